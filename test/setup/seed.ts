import fc from 'fast-check';

// Property tests draw the same cases on every run, so a failure is a fact about the code, not about the day:
// SANGAM_TEST_SEED explores other cases (and replays a failure fast-check reports with its seed).
const seed = Number(process.env.SANGAM_TEST_SEED ?? 20_261_127);
if (!Number.isSafeInteger(seed))
  throw new Error(`SANGAM_TEST_SEED must be an integer, not "${process.env.SANGAM_TEST_SEED}"`);
fc.configureGlobal({ seed });
