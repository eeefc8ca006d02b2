import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { readConfig, type Config } from './config.js';
import { readGithubContext } from './github-context.js';
import { BaseImageFailure, checkBaseImages, type BaseImageResult } from './pipeline/base-images.js';
import { buildAndPush, type BuildOutcome } from './pipeline/build.js';
import { RunReport } from './pipeline/report.js';
import { planStages } from './pipeline/stages.js';
import { RegistryClient } from './registry/client.js';
import { lookupCredentials, writeAuthDir, type AuthDir } from './registry/credentials.js';
import { emitAnnotations, type AnnotationRequest } from './report/annotations.js';
import { renderSummary } from './report/summary.js';
import { installTools, type InstallResult } from './tools/install.js';
import { baseEnvironment } from './util/exec.js';
import { ConfigErrors, errorMessage, UserError } from './util/errors.js';

/** What one run learned, stage by stage; the report and the outputs are made from it. */
export interface RunState {
  config: Config;
  report: RunReport;
  annotations: AnnotationRequest[];
  tools?: InstallResult;
  baseImages?: BaseImageResult;
  build?: BuildOutcome;
}

/** The action's entry: every failure is caught here once, reported, and handed to `core.setFailed`. */
export async function run(): Promise<void> {
  let config: Config;
  try {
    const github = readGithubContext(process.env, readJson, process.cwd());
    config = readConfig((name) => core.getInput(name, { trimWhitespace: false }), github, core.setSecret);
  } catch (error) {
    fail(error);
    return;
  }

  const state: RunState = { config, report: new RunReport(planStages(config)), annotations: [] };
  for (const record of state.report.list()) {
    if (record.status === 'skipped') core.notice(`${record.title} skipped: ${record.detail}.`);
  }

  const workDir = join(config.github.runnerTemp || process.cwd(), `secure-image-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  let authDir: AuthDir | undefined;
  try {
    if (config.registryAuth) {
      authDir = writeAuthDir(workDir, registryOf(config), config.registryAuth);
    }
    await runPipeline(state, workDir, authDir);
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

async function runPipeline(state: RunState, workDir: string, authDir: AuthDir | undefined): Promise<void> {
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
  const plan = planStages(config);

  // Tools download while the Dockerfile is read and base-image digests are resolved.
  const needCosign = plan['base-images'].run && config.verifyBaseImages !== 'off';
  let tools: Promise<InstallResult> | undefined;
  if (needCosign) {
    tools = report.run('tools', async () => {
      const value = await installTools({
        scanner: 'none',
        runnerOs: config.github.runnerOs || 'Linux',
        runnerArch: config.github.runnerArch || 'X64',
        ...(config.cosignVersion ? { cosignVersion: config.cosignVersion } : {}),
        ...(config.cosignPath ? { cosignPath: config.cosignPath } : {}),
        ...(config.toolMirror ? { toolMirror: config.toolMirror } : {}),
      });
      state.tools = value;
      const c = value.cosign;
      return {
        value,
        detail: `cosign ${c.version} (${c.source === 'provided' ? 'provided, not verified' : c.source === 'cache' ? 'tool cache, re-verified' : 'downloaded, verified'})`,
      };
    });
    tools.catch(() => undefined);
  } else {
    report.set(
      'tools',
      'skipped',
      config.verifyBaseImages === 'off'
        ? 'no stage in this run needs cosign'
        : (report.stages.get('tools')?.detail ?? ''),
    );
  }

  if (plan['base-images'].run) {
    state.baseImages = await report.run('base-images', async () => {
      try {
        const value = await checkBaseImages(config, {
          registry,
          cosign: async () => {
            if (!tools) throw new UserError('cosign is not installed in this run');
            return (await tools).cosign.path;
          },
          cosignEnv: toolEnv,
          workDir,
        });
        state.annotations.push(...value.annotations);
        setOutput('base-images', JSON.stringify(value.entries));
        return { value, status: baseImageStatus(value, config), detail: baseImageDetail(value, config) };
      } catch (error) {
        if (error instanceof BaseImageFailure) {
          state.baseImages = error.result;
          state.annotations.push(...error.result.annotations);
          setOutput('base-images', JSON.stringify(error.result.entries));
        }
        throw error;
      }
    });
    for (const w of state.baseImages.warnings) core.warning(w);
  }

  if (plan.build.run) {
    const outcome = await report.run('build', async () => {
      const value = await buildAndPush(config, {
        registry,
        workDir,
        dockerfile: state.baseImages?.dockerfile ?? config.dockerfile,
        ...(state.baseImages?.finalBase ? { finalBase: state.baseImages.finalBase } : {}),
        baseImages: (state.baseImages?.entries ?? []).flatMap((e) => (e.image ? [e.image] : [])),
        ...(authDir ? { authDir } : {}),
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
      report.set(
        'push',
        'passed',
        `${outcome.pushedTags.length} tag${outcome.pushedTags.length === 1 ? '' : 's'}; ${outcome.imageRef}`,
        outcome.pushMs,
      );
      setOutput('digest', outcome.digest);
      setOutput('image-ref', outcome.imageRef);
      setOutput('tags', outcome.pushedTags.join('\n'));
    } else {
      report.notices.push(
        'Nothing was pushed (`push: false`): the image is in an OCI archive on this machine only.',
      );
    }
  } else if (config.digest) {
    const given = config.digest;
    const [host, ...path] = given.repository.split('/');
    const head = await registry.headManifest(host ?? '', path.join('/'), given.digest);
    if (!head) {
      throw new UserError(
        `Input \`digest\`: ${given.repository}@${given.digest} does not exist in the registry. Check the digest the earlier step output, and \`image\`.`,
      );
    }
    report.set(
      'build',
      'skipped',
      `\`digest\` names an image already pushed: ${given.repository}@${given.digest} (found in the registry)`,
    );
    setOutput('digest', given.digest);
    setOutput('image-ref', `${given.repository}@${given.digest}`);
  }

  for (const id of ['scan', 'sign', 'attest', 'verify'] as const) {
    if (report.stages.get(id)?.status === 'not-run')
      report.set(id, 'not-run', 'not part of this version of secure-image yet');
  }
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
  setOutput('signed', 'false');
  if (config.annotate) emitAnnotations(state.annotations);
  if (config.summary) {
    try {
      const markdown = renderSummary({
        report,
        subject: subjectOf(state),
        baseImages: state.baseImages?.entries,
        tools: state.tools,
        dockerfile: config.dockerfileRelative,
        github: config.github,
      });
      await core.summary.addRaw(markdown).write();
    } catch (error) {
      core.warning(`Could not write the job summary: ${errorMessage(error)}`);
    }
  }
  if (report.failure) core.setFailed(report.failure.message);
}

function setOutput(name: string, value: string): void {
  core.setOutput(name, value);
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

function describeCause(cause: unknown): string {
  return cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
}
