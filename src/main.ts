import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { readConfig, type Config } from './config/index.js';
import { readGithubContext } from './github-context.js';
import type { TrustPolicy } from './policy/index.js';
import { RegistryClient } from './registry/client.js';
import { lookupCredentials, writeAuthDir } from './registry/credentials.js';
import { RunReport } from './report/run-report.js';
import { attestStage } from './stages/attest.js';
import { baseImagesStage, loadPolicyFile } from './stages/base-images.js';
import { finishBaseUpdates } from './stages/base-updates.js';
import { buildStage, useGivenDigest } from './stages/build.js';
import { mergeStage } from './stages/merge.js';
import { planStages } from './stages/plan.js';
import { publishStage } from './stages/publish.js';
import { describeCause, reportInputError, reportStage } from './stages/report.js';
import { registryOf, runStage, type Run, type RunSeams } from './stages/run.js';
import { scanStage } from './stages/scan.js';
import { measureSize } from './stages/size.js';
import { prepareSignStage, signStage } from './stages/sign.js';
import { startDatabaseWarmup, startTools } from './stages/tools.js';
import { disposeSigning, verifyStage } from './stages/verify.js';
import { baseEnvironment, registerSecret } from './util/exec.js';
import { errorMessage } from './util/errors.js';
import { logInfo } from './util/log.js';

export type { RunSeams } from './stages/run.js';

/**
 * The schedule. Tools download while the Dockerfile is read; base images are checked as soon as cosign is in;
 * what signing needs is checked before the build; the DB warms beside the build; the image is pushed by digest,
 * scanned, signed, attested and verified, and tagged last. Every failure is caught here once and reported.
 */
export async function run(seams: RunSeams = {}): Promise<void> {
  const started = start(seams);
  if (!started) return;
  const run = started;
  const authDir = run.authDir;
  const warmup = { stop: (): void => undefined };
  try {
    startTools(run);
    warmup.stop = startDatabaseWarmup(run).stop;
    await runStage(run, baseImagesStage);
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

/** Reads the inputs and the trust policy and sets up the run; input errors are reported here and end it. */
function start(seams: RunSeams): Run | undefined {
  let config: Config | undefined;
  let policyFile: TrustPolicy | undefined;
  try {
    const github = readGithubContext(process.env, readJson, process.cwd());
    config = readConfig(
      (name) => core.getInput(name, { trimWhitespace: false }),
      github,
      (secret) => {
        core.setSecret(secret);
        registerSecret(secret);
      },
    );
    // A malformed policy is an input error too: reported before anything runs, on its own lines.
    policyFile = loadPolicyFile(config);
  } catch (error) {
    reportInputError(error, config);
    return undefined;
  }
  const plan = planStages(config);
  const report = new RunReport(plan);
  for (const record of report.list()) {
    if (record.status === 'skipped') core.notice(`${record.title} skipped: ${record.detail}.`);
  }
  const workDir = join(config.github.runnerTemp || process.cwd(), `secure-image-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const authDir = config.registryAuth
    ? writeAuthDir(workDir, registryOf(config), config.registryAuth)
    : undefined;
  const registry = new RegistryClient({
    onWriteRetry: (message) => core.warning(message),
    writeTimeoutMs: config.stageTimeoutMs,
    credentials: lookupCredentials(
      authDir ? { ...process.env, DOCKER_CONFIG: authDir.dir } : process.env,
      config.registryAuth ? { registry: registryOf(config), credentials: config.registryAuth } : undefined,
    ),
  });
  return {
    config,
    plan,
    report,
    annotations: [],
    registry,
    toolEnv: { ...baseEnvironment(), ...(authDir ? { DOCKER_CONFIG: authDir.dir } : {}) },
    workDir,
    ...(authDir ? { authDir } : {}),
    ...(policyFile ? { policyFile } : {}),
    seams,
  };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
