// npm test (and so CI) replays fixed fast-check seeds, so a red run names a change, not a draw; `npm run fuzz`
// (FUZZ_RUNS) explores fresh random seeds and FUZZ_SEED replays one it reports.
import fc from 'fast-check';

if (!process.env.FUZZ_RUNS && !process.env.FUZZ_SEED) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 20261204 });
