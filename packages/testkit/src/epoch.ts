import { ManualClock, ShiftedClock } from '@sangam/core';

/**
 * The instant tests start from: `SANGAM_TEST_EPOCH` (an ISO 8601 instant) when set, so the suite can be run at any
 * date (CI runs it years ahead and across a leap day and a midnight), and the real now otherwise. No test may
 * depend on the day it runs.
 */
export function testEpoch(): Date {
  const text = process.env.SANGAM_TEST_EPOCH;
  if (!text) return new Date();
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(at.getTime())) {
    throw new Error(
      `SANGAM_TEST_EPOCH must be an ISO 8601 instant such as 2030-02-28T23:55:00Z, not "${text}"`,
    );
  }
  return at;
}

/** A clock standing still at the test epoch, moved only by the test. */
export function manualTestClock(): ManualClock {
  return new ManualClock(testEpoch());
}

/** A clock running at the machine's pace from the test epoch (the real clock when no epoch is set). */
export function runningTestClock(): ShiftedClock {
  return new ShiftedClock(testEpoch());
}
