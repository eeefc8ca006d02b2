import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { provenancePredicate } from '../sign/provenance.js';
import type { BuildOutcome } from './build.js';
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

/**
 * The SLSA v1 provenance predicate of this run's build, as a file for `cosign attest`: the verified base images by
 * digest, the source at its commit, and the builder. Only a run that built has one (a given digest was built elsewhere).
 */
function writeProvenance(run: Run, mode: 'min' | 'max', build: BuildOutcome): string {
  const { config } = run;
  const finishedOn = new Date();
  const predicate = provenancePredicate({
    mode,
    github: config.github,
    ...(process.env.GITHUB_WORKFLOW_REF ? { workflowRef: process.env.GITHUB_WORKFLOW_REF } : {}),
    builder: build.choice.builder,
    baseImages: run.baseImages?.entries ?? [],
    dockerfile: config.dockerfileRelative,
    ...(config.target ? { target: config.target } : {}),
    platforms: config.platforms,
    buildArgs: run.baseImages?.buildArgs ?? config.buildArgs,
    buildContexts: run.baseImages?.buildContexts ?? config.buildContexts,
    // The run, from reading its inputs to this attestation: the build's whole invocation.
    startedOn: new Date(run.report.startedAt),
    finishedOn,
  });
  const file = join(run.workDir, 'provenance.slsa1.json');
  writeFileSync(file, JSON.stringify(predicate, null, 2));
  return file;
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
      ...(run.config.provenance !== 'off' && run.plan.build.run
        ? { provenanceFile: writeProvenance(run, run.config.provenance, build) }
        : {}),
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
