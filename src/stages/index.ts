// Every stage, for src/main.ts to load in one go once the inputs are read (a dynamic import keeps them out of the
// startup of a run that stops at its inputs).
export { attestStage } from './attest.js';
export { baseImagesStage } from './base-images.js';
export { finishBaseUpdates } from './base-updates.js';
export { buildStage, useGivenDigest } from './build.js';
export { mergeStage } from './merge.js';
export { publishStage } from './publish.js';
export { reportStage } from './report.js';
export { runStage } from './run.js';
export { scanStage } from './scan.js';
export { setUp } from './setup.js';
export { measureSize } from './size.js';
export { prepareSignStage, signStage } from './sign.js';
export { startDatabaseWarmup, startTools } from './tools.js';
export { disposeSigning, verifyStage } from './verify.js';
