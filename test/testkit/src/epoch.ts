import { ManualClock, ShiftedClock, zonedInstant } from '@sangam/core';

/**
 * The instant tests start from: `SANGAM_TEST_EPOCH` (an ISO 8601 instant) when set, so the suite can be run at any
 * date (CI runs it years ahead and across a leap day and a midnight), and the real now otherwise. No test may
 * depend on the day it runs.
 */
export function testEpoch(): Date {
  const text = process.env.SANGAM_TEST_EPOCH;
  if (!text) return new Date();
  const at = zonedInstant(text);
  if (!at) {
    throw new Error(
      `SANGAM_TEST_EPOCH must be an ISO 8601 instant with its zone, such as 2030-02-28T23:55:00Z, not "${text}"`,
    );
  }
  return new Date(at);
}

/** A clock standing still at the test epoch, moved only by the test. */
export function manualTestClock(): ManualClock {
  return new ManualClock(testEpoch());
}

/** A clock running at the machine's pace from the test epoch (the real clock when no epoch is set). */
export function runningTestClock(): ShiftedClock {
  return new ShiftedClock(testEpoch());
}

/**
 * The first instant at or after `from` whose UTC hour is `hour` (on the hour): for tests whose synthetic data has a
 * time of day (the fleet's peaks), so they run at the same hour of whatever day the epoch is.
 */
export function nextUtcHour(from: Date, hour: number): Date {
  const at = new Date(from);
  at.setUTCMinutes(0, 0, 0);
  if (at.getTime() < from.getTime()) at.setUTCHours(at.getUTCHours() + 1);
  while (at.getUTCHours() !== hour) at.setUTCHours(at.getUTCHours() + 1);
  return at;
}
