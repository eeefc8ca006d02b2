import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import * as core from '@actions/core';
import { readConfig, workspaceRelative, type Config } from './config.js';
import { readGithubContext, runUrl } from './github-context.js';
import type { BaseImageResult } from './pipeline/base-images.js';
import type { BuildOutcome } from './pipeline/build.js';
import { RunReport } from './pipeline/report.js';
import { planStages, type StagePlan } from './pipeline/stages.js';
import { isLoopbackRegistry, RegistryClient } from './registry/client.js';
import { lookupCredentials, writeAuthDir, type AuthDir } from './registry/credentials.js';
import { emitAnnotations, type AnnotationRequest } from './report/annotations.js';
import { renderSummary, type SummaryInput } from './report/summary.js';
import type { DatabaseState } from './scan/database.js';
import type { ScanStageResult } from './scan/stage.js';
import type { SignResult } from './sign/stage.js';
import type { InstallDeps, InstallResult, ToolReport } from './tools/install.js';
import type { TrustPolicy } from './policy/index.js';
import { baseEnvironment, registerSecret } from './util/exec.js';
import { ConfigErrors, errorMessage, UserError } from './util/errors.js';

/** What one run learned, stage by stage; the report and the outputs are made from it. */
export interface RunState {
  config: Config;
  report: RunReport;
  annotations: AnnotationRequest[];
  tools?: InstallResult;
  baseImages?: BaseImageResult;
  build?: BuildOutcome;
  scan?: ScanStageResult;
  sign?: SignResult;
}

/**
 * What a benchmark may replace in a run. Only code that imports this module can pass it (src/index.ts passes
 * nothing); no input or environment variable reaches it.
 */
export interface RunSeams {
  /** A tool catalog whose pinned hashes fit a local release server's stand-ins (bench/pipeline.ts). */
  install?: Pick<InstallDeps, 'catalog'>;
}

/** The action's entry: every failure is caught here once, reported, and handed to `core.setFailed`. */
export async function run(seams: RunSeams = {}): Promise<void> {
  let config: Config;
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
  } catch (error) {
    fail(error);
    return;
  }
  // A malformed policy is an input error too: reported before anything runs, on its own lines.
  if (config.trustPolicy) {
    try {
      const { loadPolicyFile } = await import('./pipeline/base-images.js');
      policyFile = loadPolicyFile(config);
    } catch (error) {
      failPolicy(error, config);
      return;
    }
  }

  const plan = planStages(config);
  const state: RunState = { config, report: new RunReport(plan), annotations: [] };
  for (const record of state.report.list()) {
    if (record.status === 'skipped') core.notice(`${record.title} skipped: ${record.detail}.`);
  }

  const workDir = join(config.github.runnerTemp || process.cwd(), `secure-image-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  let authDir: AuthDir | undefined;
  try {
    if (config.registryAuth) authDir = writeAuthDir(workDir, registryOf(config), config.registryAuth);
    await runPipeline(state, plan, workDir, authDir, policyFile, seams);
  } catch (error) {
    state.report.failure ??= { message: errorMessage(error) };
    if (error instanceof Error && error.cause !== undefined)
      core.info(`Cause: ${describeCause(error.cause)}`);
  } finally {
    authDir?.dispose();
  }
  state.report.closeUnfinished();
  await finish(state);
}

/** Starts a promise now and keeps an unawaited rejection from ending the process; it is awaited later. */
function early<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

async function runPipeline(
  state: RunState,
  plan: StagePlan,
  workDir: string,
  authDir: AuthDir | undefined,
  policyFile: TrustPolicy | undefined,
  seams: RunSeams,
): Promise<void> {
  const { config, report } = state;
  const registry = new RegistryClient({
    credentials: lookupCredentials(
      authDir ? { ...process.env, DOCKER_CONFIG: authDir.dir } : process.env,
      config.registryAuth ? { registry: registryOf(config), credentials: config.registryAuth } : undefined,
    ),
  });
  const toolEnv: Record<string, string> = {
    ...baseEnvironment(),
    ...(authDir ? { DOCKER_CONFIG: authDir.dir } : {}),
  };

  // Tools download while the Dockerfile is read; the DB warms while the image builds.
  const needCosign = (plan['base-images'].run && config.verifyBaseImages !== 'off') || plan.sign.run;
  const needScanner = plan.scan.run && config.scanner !== 'none';
  let tools: Promise<InstallResult> | undefined;
  let cosign: Promise<ToolReport | undefined> | undefined;
  if (needCosign || needScanner) {
    let announce: (report: ToolReport) => void = () => undefined;
    const announced = new Promise<ToolReport>((resolve) => (announce = resolve));
    tools = early(report.run('tools', () => installStage(state, needCosign, needScanner, announce, seams)));
    // Base-image checks start as soon as cosign is verified, while the scanner may still download; a failed
    // install of cosign rejects `tools` first, and with it this.
    cosign = early(Promise.race([announced, tools.then((t) => t.cosign)]));
  } else if (plan.tools.run) {
    report.set('tools', 'skipped', 'no stage in this run needs cosign or a scanner');
  }
  const cosignPath = async (): Promise<string> => {
    const installed = await cosign;
    if (!installed) throw new UserError('cosign is not installed in this run');
    return installed.path;
  };
  // The DB warms beside the build for the scan. A run that fails before its scan stops it (below), so it ends at
  // once rather than waiting for a download nobody will read. By the time a scan has run, the warm-up has finished
  // and the scan stage has saved the DB (also when the gate failed), so stopping it then changes nothing.
  const warmup = new AbortController();
  let warmed = false;
  let database: Promise<DatabaseState> | undefined;
  if (needScanner && tools && config.scanner !== 'none') {
    const scanner = config.scanner;
    database = early(
      tools.then(async (t) => {
        const { warmDatabase } = await import('./scan/database.js');
        return warmDatabase({
          scanner,
          scannerPath: t.scanner?.path ?? '',
          toolCacheDir: config.github.toolCache || join(workDir, 'tool-cache'),
          env: toolEnv,
          log: (m) => core.info(m),
          signal: warmup.signal,
        });
      }),
    );
    void database.then(
      () => (warmed = true),
      () => (warmed = true),
    );
  }
  try {
    if (plan['base-images'].run)
      await baseImageStage(state, registry, cosignPath, toolEnv, workDir, policyFile);

    if (plan.build.run) {
      // The build may start before the scanner is installed (it only needs the verified base images), but
      // nothing is pushed until the tools the later stages need are in: an image that cannot be scanned and
      // signed in this run is not published.
      const toolsReady = tools;
      const beforePush = toolsReady
        ? async (): Promise<void> => {
            await toolsReady.catch((error: unknown) => {
              throw new UserError(
                'Nothing was pushed: the tools stage failed (its error is above), so this run could not scan and sign the image.',
                { cause: error },
              );
            });
          }
        : undefined;
      await buildStage(state, registry, workDir, authDir, beforePush);
    } else if (config.digest) {
      await givenDigestStage(state, registry);
    }

    if (plan.scan.run && tools && database && config.scanner !== 'none') {
      await scanStage(state, registry, tools, database, toolEnv, workDir);
    }

    if (plan.sign.run && tools) {
      await signStage(state, await cosignPath(), toolEnv, workDir);
    }
  } finally {
    if (database && !warmed)
      core.info('Stopping the vulnerability DB warm-up: the run ended before its scan.');
    warmup.abort();
  }
}

async function installStage(
  state: RunState,
  needCosign: boolean,
  needScanner: boolean,
  onCosign: (cosign: ToolReport) => void,
  seams: RunSeams,
) {
  const { config } = state;
  const { installTools } = await import('./tools/install.js');
  const value = await installTools(
    {
      needCosign,
      scanner: needScanner && config.scanner !== 'none' ? config.scanner : 'none',
      runnerOs: config.github.runnerOs,
      runnerArch: config.github.runnerArch,
      ...(config.cosignVersion ? { cosignVersion: config.cosignVersion } : {}),
      ...(config.scannerVersion ? { scannerVersion: config.scannerVersion } : {}),
      ...(config.cosignPath ? { cosignPath: config.cosignPath } : {}),
      ...(config.scannerPath ? { scannerPath: config.scannerPath } : {}),
      ...(config.toolMirror ? { toolMirror: config.toolMirror } : {}),
    },
    { ...seams.install, onCosign },
  );
  state.tools = value;
  const describe = (t: ToolReport): string =>
    `${t.name} ${t.version} (${t.source === 'provided' ? 'provided, not verified' : t.source === 'cache' ? 'tool cache, re-verified' : 'downloaded, verified'})`;
  const detail = [value.cosign, value.scanner]
    .filter((t) => t !== undefined)
    .map(describe)
    .join('; ');
  return { value, detail };
}

async function baseImageStage(
  state: RunState,
  registry: RegistryClient,
  cosign: () => Promise<string>,
  toolEnv: Record<string, string>,
  workDir: string,
  policyFile: TrustPolicy | undefined,
): Promise<void> {
  const { config, report } = state;
  const { checkBaseImages, BaseImageFailure } = await import('./pipeline/base-images.js');
  state.baseImages = await report.run('base-images', async () => {
    try {
      const value = await checkBaseImages(config, {
        registry,
        cosign,
        cosignEnv: toolEnv,
        workDir,
        verifyTimeoutMs: config.stageTimeoutMs,
        ...(policyFile ? { policyFile } : {}),
      });
      state.annotations.push(...value.annotations);
      core.setOutput('base-images', JSON.stringify(value.entries));
      return { value, status: baseImageStatus(value, config), detail: baseImageDetail(value, config) };
    } catch (error) {
      if (error instanceof BaseImageFailure) {
        state.baseImages = error.result;
        state.annotations.push(...error.result.annotations);
        core.setOutput('base-images', JSON.stringify(error.result.entries));
      }
      throw error;
    }
  });
  for (const w of state.baseImages.warnings) core.warning(w);
}

async function buildStage(
  state: RunState,
  registry: RegistryClient,
  workDir: string,
  authDir: AuthDir | undefined,
  beforePush: (() => Promise<void>) | undefined,
): Promise<void> {
  const { config, report } = state;
  const { buildAndPush } = await import('./pipeline/build.js');
  const outcome = await report.run('build', async () => {
    const value = await buildAndPush(config, {
      registry,
      workDir,
      dockerfile: state.baseImages?.dockerfile ?? config.dockerfile,
      ...(state.baseImages?.finalBase ? { finalBase: state.baseImages.finalBase } : {}),
      baseImages: (state.baseImages?.entries ?? []).flatMap((e) => (e.image ? [e.image] : [])),
      ...(authDir ? { authDir } : {}),
      ...(beforePush ? { beforePush } : {}),
    });
    const pinned = state.baseImages?.pinnedCopy ? ' from the verified digests' : '';
    return {
      value,
      detail: config.push
        ? `${value.choice.builder}${pinned} (${value.choice.why})`
        : `${value.choice.builder}${pinned}, into an OCI archive on this machine (${value.choice.why})`,
    };
  });
  state.build = outcome;
  const buildRecord = report.stages.get('build');
  if (buildRecord?.durationMs !== undefined)
    buildRecord.durationMs = Math.max(0, buildRecord.durationMs - outcome.pushMs);
  if (config.push && outcome.digest && outcome.imageRef) {
    const n = outcome.pushedTags.length;
    report.set('push', 'passed', `${n} tag${n === 1 ? '' : 's'}; ${outcome.imageRef}`, outcome.pushMs);
    core.setOutput('digest', outcome.digest);
    core.setOutput('image-ref', outcome.imageRef);
    core.setOutput('tags', outcome.pushedTags.join('\n'));
  } else {
    report.notices.push(
      'Nothing was pushed (`push: false`): the image is in an OCI archive on this machine only.',
    );
  }
}

async function givenDigestStage(state: RunState, registry: RegistryClient): Promise<void> {
  const { config, report } = state;
  const given = config.digest;
  if (!given) return;
  const [host, ...path] = given.repository.split('/');
  const head = await registry.headManifest(host ?? '', path.join('/'), given.digest);
  if (!head) {
    throw new UserError(
      `Input \`digest\`: ${given.repository}@${given.digest} does not exist in the registry. Check the digest the earlier step output, and \`image\`.`,
    );
  }
  const imageRef = `${given.repository}@${given.digest}`;
  report.set(
    'build',
    'skipped',
    `\`digest\` names an image already pushed: ${imageRef} (found in the registry)`,
  );
  state.build = {
    builder: 'buildah',
    choice: { builder: 'buildah', why: 'not built' },
    digest: given.digest,
    imageRef,
    manifestMediaType: head.mediaType,
    pushedTags: [],
    pushMs: 0,
    durationMs: 0,
    toolMs: 0,
  };
  core.setOutput('digest', given.digest);
  core.setOutput('image-ref', imageRef);
}

async function scanStage(
  state: RunState,
  registry: RegistryClient,
  tools: Promise<InstallResult>,
  database: Promise<DatabaseState>,
  toolEnv: Record<string, string>,
  workDir: string,
): Promise<void> {
  const { config, report, build } = state;
  if (config.scanner === 'none' || !build) return;
  const scanner = config.scanner;
  const { readGateRules, runScanStage, gateFailureMessage, scanPlatforms } = await import('./scan/stage.js');
  state.scan = await report.run('scan', async () => {
    const installed = await tools;
    if (!installed.scanner) throw new UserError(`${scanner} is not installed in this run`);
    const target = build.imageRef
      ? ({ kind: 'registry', ref: build.imageRef } as const)
      : build.archive
        ? ({ kind: 'archive', path: build.archive } as const)
        : undefined;
    if (!target) throw new UserError('The build produced neither a pushed digest nor an archive to scan.');
    const imageRef = build.imageRef ?? config.tags[0] ?? '';
    // The built stage's FROM line; another stage may start from the same image on an earlier line.
    const finalBase = state.baseImages?.finalBase;
    const baseImageLine =
      finalBase?.line ?? state.baseImages?.entries.find((e) => e.image === finalBase?.name)?.line;
    const rules = await readGateRules(
      scanner,
      config.ignoreFile ?? defaultIgnoreFile(config),
      config.vex,
      (p) => workspaceRelative(config.github.workspace || process.cwd(), p),
    );
    // A scan without `--platform` reads the one platform built: the input's, or the runner's, as the build does.
    const { runnerPlatform } = await import('./pipeline/base-images.js');
    const defaultPlatform = config.platforms[0] ?? runnerPlatform(config.github.runnerArch);
    const scanned = scanPlatforms(scanner, target, config.platforms).platforms.map(
      (p) => p ?? defaultPlatform,
    );
    const baseLayers = await finalBaseLayers(state, registry, scanned);
    // From here a scan runs. One that ends without a verdict (crash, timeout, unreadable report) did not pass:
    // `scan-passed` says false, so a later step that checks for anything but false is not misled by an empty value.
    const value = await runScanStage({
      scanner,
      scannerPath: installed.scanner.path,
      scannerVersion: installed.scanner.version,
      target,
      platforms: config.platforms,
      workDir,
      toolCacheDir: config.github.toolCache || join(workDir, 'tool-cache'),
      env: toolEnv,
      insecure: target.kind === 'registry' && isLoopbackRegistry(target.ref.split('/')[0] ?? ''),
      gate: { failOn: config.failOnSeverity, ignoreUnfixed: config.ignoreUnfixed, ...rules },
      dockerfile: config.dockerfileRelative,
      ...(baseImageLine !== undefined ? { baseImageLine } : {}),
      ...(baseLayers ? { baseLayers, defaultPlatform } : {}),
      imageRef,
      database,
      ...(config.registryAuth ? { login: { registry: registryOf(config), ...config.registryAuth } } : {}),
      invocation: { uri: runUrl(config.github), eventId: config.github.runId },
      timeoutMs: config.stageTimeoutMs,
    }).catch((error: unknown) => {
      core.setOutput('scan-passed', 'false');
      throw error;
    });
    for (const [name, output] of Object.entries(value.outputs)) core.setOutput(name, output);
    for (const warning of value.warnings) core.warning(warning);
    // An expired entry no longer ignores: said on its line of the ignore file, whether or not there is a summary.
    for (const { rule, message } of value.gate.expiredIgnores) {
      core.info(message);
      state.annotations.push({
        level: 'warning',
        title: 'Ignore entry expired',
        message,
        ...(isAbsolute(rule.file) ? {} : { file: rule.file, line: rule.line }),
      });
    }
    const c = value.gate.counts;
    const detail = `${c.total} vulnerabilities (${c.critical} critical, ${c.high} high, ${c.fixable} fixable, ${c.ignored} ignored); gate: ${config.failOnSeverity}`;
    state.annotations.push({
      level: value.gate.passed ? 'notice' : 'error',
      title: value.gate.passed ? 'Vulnerability gate passed' : 'Vulnerability gate failed',
      message: value.gate.passed ? detail : (gateFailureMessage(value) ?? detail),
    });
    state.scan = value;
    if (!value.gate.passed) {
      throw new UserError(gateFailureMessage(value) ?? `The vulnerability gate failed: ${detail}`);
    }
    return { value, detail };
  });
}

async function signStage(
  state: RunState,
  cosign: string,
  toolEnv: Record<string, string>,
  workDir: string,
): Promise<void> {
  const { config, report, build, scan } = state;
  if (!build?.imageRef) return;
  const { runSignStage, SignStageError } = await import('./sign/stage.js');
  const record = (result: SignResult): void => {
    state.sign = result;
    core.setOutput('verify-command', result.verifyCommand);
    const rekor = result.rekorLogIndex !== undefined ? `; Rekor log index ${result.rekorLogIndex}` : '';
    const who = result.identity ? result.identity.identity : (result.keyRef ?? 'the key in `cosign-key`');
    // A signature exists once the stage got past signing, even when a later step failed.
    const madeSignature = result.phase === 'attest' || result.phase === 'verify' || result.phase === 'done';
    if (madeSignature)
      report.set('sign', 'passed', `${result.reference} by ${who}${rekor}`, result.durations.sign);
    const attached = result.phase === 'verify' || result.phase === 'done';
    if (result.attestations.length > 0 && attached) {
      report.set(
        'attest',
        'passed',
        result.attestations.map((a) => a.type).join(', '),
        result.durations.attest,
      );
    } else if (result.attestations.length === 0 && result.skippedAttestations.length > 0) {
      report.set(
        'attest',
        'skipped',
        result.skippedAttestations.map((s) => `${s.kind}: ${s.reason}`).join('; '),
      );
    }
    for (const s of result.skippedAttestations) core.notice(`Attestation ${s.kind} skipped: ${s.reason}`);
  };
  const started = performance.now();
  try {
    const result = await runSignStage(
      {
        config,
        reference: build.imageRef,
        isIndex: /index|manifest\.list/.test(build.manifestMediaType ?? ''),
        cosign,
        env: toolEnv,
        workDir,
        ...(scan?.sbomFile ? { sbomFile: scan.sbomFile } : {}),
        ...(scan?.vulnPredicateFile ? { vulnPredicateFile: scan.vulnPredicateFile } : {}),
      },
      { timeoutMs: config.stageTimeoutMs },
    );
    record(result);
    report.set(
      'verify',
      'passed',
      `signature${result.attestations.length > 0 ? ' and attestations' : ''} verified with the expected ${result.mode === 'keyless' ? 'identity' : 'key'}`,
      result.durations.verify,
    );
  } catch (error) {
    if (error instanceof SignStageError) {
      record(error.result);
      const failedAt =
        error.result.phase === 'verify' ? 'verify' : error.result.phase === 'attest' ? 'attest' : 'sign';
      const duration =
        failedAt === 'verify'
          ? Math.round(performance.now() - started) -
            error.result.durations.sign -
            error.result.durations.attest
          : undefined;
      report.set(failedAt, 'failed', errorMessage(error).split('\n')[0] ?? '', duration);
      report.failure ??= { stage: failedAt, message: errorMessage(error) };
    } else {
      report.set(
        'sign',
        'failed',
        errorMessage(error).split('\n')[0] ?? '',
        Math.round(performance.now() - started),
      );
      report.failure ??= { stage: 'sign', message: errorMessage(error) };
    }
    throw error;
  }
}

/**
 * The final base image's layers for each platform scanned, to tell findings of the base from the build's own:
 * a base image built for several platforms has other layers on each.
 */
async function finalBaseLayers(
  state: RunState,
  registry: RegistryClient,
  platforms: readonly string[],
): Promise<Record<string, string[]> | undefined> {
  const base = state.baseImages?.finalBase;
  const digest = base?.digest;
  if (!base || !digest) return undefined;
  const [host, ...rest] = base.name.split('/');
  const repository = rest.join('/').replace(/:[^:/]+$/, '');
  const found = await Promise.all(
    [...new Set(platforms)].map(async (platform) => {
      try {
        return [platform, await registry.imageLayers(host ?? '', repository, digest, platform)] as const;
      } catch (error) {
        // A registry that fails, or a base image without this platform: either way no layers to compare with.
        core.info(
          `No ${platform} layers of ${base.name} to tell its findings from the build's (${errorMessage(error)}); the ${platform} findings will not say base or app.`,
        );
        return [platform, []] as const;
      }
    }),
  );
  const layers = Object.fromEntries(found.filter(([, l]) => l.length > 0));
  return Object.keys(layers).length > 0 ? layers : undefined;
}

/** `ignore-file` empty: the scanner's usual file in the context root, when there is one. */
function defaultIgnoreFile(config: Config): string | undefined {
  const names =
    config.scanner === 'grype' ? ['.grype.yaml', '.grype.yml'] : ['.trivyignore.yaml', '.trivyignore'];
  return names.map((n) => join(config.context, n)).find((p) => existsSync(p));
}

function baseImageStatus(result: BaseImageResult, config: Config): 'passed' | 'warning' | 'skipped' {
  if (config.verifyBaseImages === 'off') return 'skipped';
  const unverified = result.entries.some((e) => e.status !== 'verified' && e.status !== 'allowed-unsigned');
  return unverified || result.annotations.some((a) => a.level !== 'notice') ? 'warning' : 'passed';
}

function baseImageDetail(result: BaseImageResult, config: Config): string {
  const n = result.entries.length;
  if (n === 0) return 'the Dockerfile uses no external images';
  if (config.verifyBaseImages === 'off') return `${n} found; not checked (\`verify-base-images: off\`)`;
  const counts = new Map<string, number>();
  for (const e of result.entries) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  const parts = [...counts].map(([status, count]) => `${count} ${status}`);
  return `${parts.join(', ')}${result.pinnedCopy ? '; build pinned to the checked digests' : ''}`;
}

async function finish(state: RunState): Promise<void> {
  const { config, report } = state;
  core.setOutput('signed', state.sign?.signed ? 'true' : 'false');
  if (config.annotate) emitAnnotations(state.annotations);
  const input: SummaryInput = {
    report,
    subject: subjectOf(state),
    baseImages: state.baseImages?.entries,
    tools: state.tools,
    dockerfile: config.dockerfileRelative,
    github: config.github,
    digestPinning: config.digestPinning,
    ...(state.build?.pushedTags.length ? { tags: state.build.pushedTags } : {}),
    ...(state.scan ? { scan: state.scan } : {}),
    ...(state.sign ? { sign: state.sign } : {}),
  };
  if (config.summary) {
    try {
      await core.summary.addRaw(renderSummary(input)).write();
    } catch (error) {
      core.warning(`Could not write the job summary: ${errorMessage(error)}`);
    }
  }
  if (config.prComment && config.github.eventName.startsWith('pull_request')) {
    // Posting never fails the run: a fork's read-only token is a warning, not an error.
    try {
      const { renderPrComment } = await import('./report/comment.js');
      const { postPrComment } = await import('./report/pr-comment.js');
      await postPrComment({
        ...(config.githubToken ? { token: config.githubToken } : {}),
        github: config.github,
        markdown: renderPrComment(input),
        image: config.image ?? subjectOf(state),
      });
    } catch (error) {
      core.warning(`Could not write the pull request comment: ${errorMessage(error)}`);
    }
  }
  if (report.failure) core.setFailed(report.failure.message);
}

function registryOf(config: Config): string {
  const repository = config.image ?? config.digest?.repository ?? config.tags[0] ?? '';
  return repository.split('/')[0] ?? '';
}

function subjectOf(state: RunState): string {
  const { config, build } = state;
  if (build?.imageRef) return build.imageRef;
  if (config.digest) return `${config.digest.repository}@${config.digest.digest}`;
  return config.tags[0] ?? config.image ?? 'image';
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function fail(error: unknown): void {
  if (error instanceof ConfigErrors && error.problems.length > 1) {
    for (const problem of error.problems) core.error(problem, { title: 'secure-image: invalid input' });
    core.setFailed(`${error.problems.length} problems with the inputs; see the errors above.`);
    return;
  }
  if (error instanceof Error && error.cause !== undefined) core.info(`Cause: ${describeCause(error.cause)}`);
  core.setFailed(errorMessage(error));
}

function failPolicy(error: unknown, config: Config): void {
  const problems = (error as { problems?: ReadonlyArray<{ line: number; key: string; message: string }> })
    .problems;
  if (error instanceof UserError && problems && config.trustPolicy) {
    const file = relative(config.github.workspace || process.cwd(), config.trustPolicy) || config.trustPolicy;
    for (const p of problems) {
      core.error(`${p.key}: ${p.message}`, {
        title: 'secure-image: invalid trust policy',
        file,
        startLine: p.line,
      });
    }
  }
  fail(error);
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
}
