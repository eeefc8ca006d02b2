import * as core from '@actions/core';
import {
  checkSigningKey,
  prepareSigning,
  signDigest,
  signingFor,
  SignStageError,
  type Signing,
  type SignResult,
} from '../sign/signing.js';
import { errorMessage } from '../util/errors.js';
import type { StageId } from '../report/run-report.js';
import { cosignPath, type Run, type Stage } from './run.js';

/** The prepared signing of this run, between the preflight and the verify stage. */
const signings = new WeakMap<Run, Signing>();

/**
 * Before the build: whatever signing will need is checked, so a run that cannot sign fails before anything is
 * pushed. Keyless: the OIDC token (a job without `id-token: write` fails here, with the fix). Key: cosign reads
 * the key with `cosign-password`, or the KMS key's public key.
 */
export async function prepareSignStage(run: Run): Promise<void> {
  const { config, plan } = run;
  if (!plan.sign.run) return;
  const signing = await failAt(run, 'sign', async () =>
    prepareSigning(
      {
        config,
        reference: '',
        isIndex: false,
        cosign: await cosignPath(run),
        env: run.toolEnv,
        workDir: run.workDir,
      },
      { timeoutMs: config.stageTimeoutMs },
    ),
  );
  signings.set(run, signing);
  await failAt(run, 'sign', () => checkSigningKey(signing));
}

/** The prepared signing, pointed at the pushed digest and the scan's outputs. */
export function signingOf(run: Run): Signing | undefined {
  return signings.get(run);
}

/**
 * Sign: the pushed digest (never a tag), keyless with the workflow's identity or with `cosign-key`, with the
 * action's annotations. Runs only when the gate passed. Adds `run.sign` and the `verify-command` output.
 */
export const signStage: Stage = {
  id: 'sign',
  skipped: (run) => (run.build?.imageRef ? undefined : 'nothing was pushed, so there is no digest to sign'),
  async run(run) {
    const { build, scan } = run;
    const signing = signings.get(run);
    if (!build?.imageRef || !signing) return;
    signingFor(signing, build.imageRef, /index|manifest\.list/.test(build.manifestMediaType ?? ''));
    signing.input = {
      ...signing.input,
      ...(scan?.sbomFile ? { sbomFile: scan.sbomFile } : {}),
      ...(scan?.vulnPredicateFile ? { vulnPredicateFile: scan.vulnPredicateFile } : {}),
    };
    record(run, signing.result);
    await phase(run, 'sign', signing, () => signDigest(signing));
    const who = signing.result.identity
      ? signing.result.identity.identity
      : (signing.result.keyRef ?? 'the key in `cosign-key`');
    const rekor =
      signing.result.rekorLogIndex !== undefined ? `; Rekor log index ${signing.result.rekorLogIndex}` : '';
    run.report.set(
      'sign',
      'passed',
      `${signing.result.reference} by ${who}${rekor}`,
      signing.result.durations.sign,
    );
  },
};

/** Keeps the sign result on the run and its verify command in the outputs, whatever happens next. */
export function record(run: Run, result: SignResult): void {
  run.sign = result;
  core.setOutput('verify-command', result.verifyCommand);
}

/** Runs one phase of signing; a failure marks that stage failed and is the run's failure. */
export async function phase(run: Run, id: StageId, signing: Signing, fn: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await fn();
  } catch (error) {
    record(run, signing.result);
    const message = errorMessage(error);
    run.report.set(id, 'failed', message.split('\n')[0] ?? '', Math.round(performance.now() - started));
    run.report.failure ??= { stage: id, message };
    throw error instanceof SignStageError
      ? error
      : new SignStageError(message, signing.result, { cause: error });
  }
}

async function failAt<T>(run: Run, id: StageId, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const message = errorMessage(error);
    run.report.set(id, 'failed', message.split('\n')[0] ?? '');
    run.report.failure ??= { stage: id, message };
    throw error;
  }
}
