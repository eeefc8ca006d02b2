import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { userDockerConfigDir } from '../registry/credentials.js';
import { execTool, tailLines, type ExecResult } from '../util/exec.js';
import { UserError } from '../util/errors.js';
import { writeRegistriesConf } from './registries-conf.js';
import type { BuildPlan, BuildResult, PlannedCommand } from './types.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

// What a self-hosted runner's builder configuration travels in; nothing else of the runner's env.
const BUILDER_ENV = [
  'STORAGE_DRIVER',
  'STORAGE_OPTS',
  'BUILDAH_ISOLATION',
  'BUILDAH_FORMAT',
  'CONTAINERS_CONF',
  'CONTAINERS_STORAGE_CONF',
  'CONTAINERS_REGISTRIES_CONF',
  'BUILDX_BUILDER',
  'BUILDX_CONFIG',
  'BUILDKIT_PROGRESS',
  'DOCKER_CONTEXT',
];

export function builderEnvironment(from: NodeJS.ProcessEnv, authDir?: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of BUILDER_ENV) {
    const value = from[name];
    if (value) env[name] = value;
  }
  if (authDir) {
    env.DOCKER_CONFIG = authDir;
    // buildx keeps its builders (setup-buildx-action's, `docker buildx use`) in the docker config dir: this run's
    // login must not hide them, or the build would go to another builder than the one the job set up.
    env.BUILDX_CONFIG ??= join(userDockerConfigDir(from), 'buildx');
  }
  return env;
}

export interface RunPlanOptions {
  cwd: string;
  env: Record<string, string>;
  /** Each archive or layout write may take this long; the build itself has only the job's limit. */
  pushTimeoutMs?: number;
  /**
   * Awaited once before the first command that writes to a registry (a push, or a build that pushes itself);
   * a rejection stops the run there, with nothing published.
   */
  beforePush?: () => Promise<void>;
}

/** Runs a build plan; the builder's log goes to the job log in a group, the digest comes from the builder. */
export async function runBuildPlan(plan: BuildPlan, options: RunPlanOptions): Promise<BuildResult> {
  const started = performance.now();
  let toolMs = 0;
  const passed = passedEnvironment(plan, process.env);
  const base = { ...options.env, ...passed };
  const env = plan.registriesConf
    ? { ...base, ...writeRegistriesConf(plan.registriesConf, { ...process.env, ...base }) }
    : base;
  const token = passed.ACTIONS_RUNTIME_TOKEN;

  const exec = async (command: PlannedCommand): Promise<ExecResult> => {
    const result = await execTool({
      command: plan.command,
      args: command.args,
      env,
      cwd: options.cwd,
      label: command.label,
      stream: true,
      ...(token ? { secrets: [token] } : {}),
      ...(command.kind !== 'build' && options.pushTimeoutMs !== undefined
        ? { timeoutMs: options.pushTimeoutMs }
        : {}),
    });
    toolMs += result.durationMs;
    return result;
  };

  let cleared = false;
  for (const command of plan.commands) {
    if (!cleared && pushesItself(command)) {
      await options.beforePush?.();
      cleared = true;
    }
    const result = await core.group(command.label, () => exec(command));
    if (result.exitCode !== 0) throw builderFailure(plan, command, result);
  }

  const digest =
    plan.metadataFile && plan.commands.some(pushesItself) ? readBuildxDigest(plan.metadataFile) : undefined;
  return {
    builder: plan.builder,
    ...(digest ? { digest } : {}),
    ...(plan.archive ? { archive: plan.archive } : {}),
    ...(plan.layout ? { layout: plan.layout } : {}),
    ...(plan.metadataFile ? { metadataFile: plan.metadataFile } : {}),
    durationMs: Math.round(performance.now() - started),
    toolMs,
  };
}

/**
 * The runner's variables the plan asks for (an SSH agent, the gha cache service): in the builder's environment, never
 * on its command line. A gha cache without the runner's token and cache service cannot work, and says so.
 */
export function passedEnvironment(plan: BuildPlan, from: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of plan.passEnv ?? []) {
    const value = from[name];
    if (value) env[name] = value;
  }
  if (
    plan.passEnv?.includes('ACTIONS_RUNTIME_TOKEN') &&
    (!env.ACTIONS_RUNTIME_TOKEN || (!env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL))
  ) {
    throw new UserError(
      'A type=gha cache (`cache-from`/`cache-to`) needs ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL, which the runner gives every action step; this step has not got them. Run it as a step of a GitHub Actions job, or use type=registry.',
    );
  }
  if (plan.passEnv?.includes('SSH_AUTH_SOCK') && !env.SSH_AUTH_SOCK)
    throw new UserError('Input `ssh` names the SSH agent, but SSH_AUTH_SOCK is not set.');
  return env;
}

/** A buildx build whose output pushes (by digest). */
function pushesItself(command: PlannedCommand): boolean {
  return (
    command.args.includes('--push') ||
    command.args.some((a) => a.startsWith('type=image,') && a.includes('push=true'))
  );
}

/** The builder's own words, the last lines of them, and the Dockerfile line when it names one. */
function builderFailure(plan: BuildPlan, command: PlannedCommand, result: ExecResult): UserError {
  const tail = tailLines(result.stderr || result.stdout, 12);
  const line = /(?:dockerfile parse error (?:on )?line|Dockerfile:|line) (\d+)/i.exec(tail)?.[1];
  const what = command.kind === 'build' ? 'The build failed' : `${command.label} failed`;
  // With --pull=never the builder may use only the images the gate verified and pulled by digest.
  const unseen = command.args.includes('--pull=never')
    ? /creating build container: (\S+): image not known/.exec(tail)?.[1]
    : undefined;
  const dockerDriver = /push-by-digest is currently not implemented for docker driver/.test(tail);
  const why = dockerDriver
    ? "\nThe job's buildx builder uses the `docker` driver, which cannot push by digest, and this action pushes by digest so that no tag exists before every check passed. Add docker/setup-buildx-action before this step (its `docker-container` builder can), or turn on the Docker engine's containerd image store. Nothing was pushed."
    : unseen
      ? `\nThe builder read ${unseen} from the Dockerfile, an image the base-image check never saw (the builder reads the Dockerfile differently from BuildKit's grammar, e.g. a heredoc it does not know, or an older frontend). Nothing unverified is pulled: make the Dockerfile unambiguous, or build with a builder that reads it as BuildKit does.`
      : '';
  return new UserError(
    `${what} (${plan.builder} exited with ${result.timedOut ? 'a timeout' : `code ${result.exitCode}`})${line ? ` at Dockerfile line ${line}` : ''}:\n${tail}${why}`,
  );
}

function readBuildxDigest(path: string): string {
  let value: unknown;
  try {
    value = (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)['containerimage.digest'];
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || !DIGEST.test(value)) {
    throw new UserError(
      `docker buildx reported ${typeof value === 'string' ? `"${value}"` : 'no containerimage.digest'} instead of a sha256 registry digest in its metadata file. Use a buildx builder that pushes (the docker-container driver, docker/setup-buildx-action).`,
    );
  }
  return value;
}
