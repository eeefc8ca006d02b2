import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { readConfig, type Config } from './config/index.js';
import { readGithubContext } from './github-context.js';
import { describeCause, reportInputError } from './stages/input-errors.js';
import type { RunSeams } from './stages/run.js';
import { registerSecret } from './util/exec.js';
import { errorMessage } from './util/errors.js';
import { logInfo } from './util/log.js';

export type { RunSeams } from './stages/run.js';

/**
 * The schedule. Tools download while the Dockerfile is read; base images are checked as soon as cosign is in;
 * what signing needs is checked before the build; the DB warms beside the build; the image is pushed by digest,
 * scanned, signed, attested and verified, and tagged last. Every failure is caught here once and reported.
 */
export async function run(seams: RunSeams = {}): Promise<void> {
  const config = readInputs();
  if (!config) return;
  // The stages load once the inputs are known good: a run that stops at its inputs loads nothing else.
  const {
    attestStage,
    baseImagesStage,
    buildStage,
    disposeSigning,
    finishBaseUpdates,
    measureSize,
    mergeStage,
    prepareSignStage,
    publishStage,
    reportStage,
    runStage,
    scanStage,
    setUp,
    signStage,
    startDatabaseWarmup,
    startTools,
    useGivenDigest,
    verifyStage,
  } = await import('./stages/index.js');
  const run = await setUp(config, seams).catch((error: unknown) => {
    reportInputError(error, config);
    return undefined;
  });
  if (!run) return;
  const authDir = run.authDir;
  const warmup = { stop: (): void => undefined };
  try {
    startTools(run);
    await runStage(run, baseImagesStage);
    // The DB warms beside the build, not beside the base-image checks, which are on the way to the build and would
    // share the runner's cores with it.
    warmup.stop = startDatabaseWarmup(run).stop;
    await prepareSignStage(run);
    if (run.plan.build.run) await runStage(run, buildStage);
    else if (run.config.merge.length > 0) await runStage(run, mergeStage);
    else if (run.config.digest) await useGivenDigest(run);
    await measureSize(run);
    await runStage(run, scanStage);
    await runStage(run, signStage);
    await runStage(run, attestStage);
    await runStage(run, verifyStage);
    await runStage(run, publishStage);
  } catch (error) {
    run.report.failure ??= { message: errorMessage(error) };
    if (error instanceof Error && error.cause !== undefined) logInfo(`Cause: ${describeCause(error.cause)}`);
  } finally {
    warmup.stop();
    disposeSigning(run);
    authDir?.dispose();
  }
  run.report.closeUnfinished();
  await finishBaseUpdates(run);
  await reportStage(run);
}

/** Reads every input; input errors are reported here and end the run. */
function readInputs(): Config | undefined {
  try {
    const github = readGithubContext(process.env, readJson, process.cwd());
    return readConfig(
      (name) => core.getInput(name, { trimWhitespace: false }),
      github,
      (secret) => {
        core.setSecret(secret);
        registerSecret(secret);
      },
    );
  } catch (error) {
    reportInputError(error);
    return undefined;
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
