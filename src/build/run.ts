import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { userDockerConfigDir } from '../registry/credentials.js';
import { execTool, tailLines, type ExecResult } from '../util/exec.js';
import { UserError } from '../util/errors.js';
import { isTransientText, retry } from '../util/retry.js';
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
  /** Registry pushes: tries and the first delay. */
  pushAttempts?: number;
  pushDelayMs?: number;
  /** Each push (or archive write) may take this long; the build itself has only the job's limit. */
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
  const digests: Array<{ tag: string; digest: string }> = [];

  const exec = async (command: PlannedCommand): Promise<ExecResult> => {
    const result = await execTool({
      command: plan.command,
      args: command.args,
      env: options.env,
      cwd: options.cwd,
      label: command.label,
      stream: true,
      ...(command.kind !== 'build' && options.pushTimeoutMs !== undefined
        ? { timeoutMs: options.pushTimeoutMs }
        : {}),
    });
    toolMs += result.durationMs;
    return result;
  };

  let cleared = false;
  for (const command of plan.commands) {
    if (!cleared && (command.kind === 'push' || command.args.includes('--push'))) {
      await options.beforePush?.();
      cleared = true;
    }
    const result = await core.group(command.label, async () => {
      if (command.kind !== 'push') return exec(command);
      return retry(
        async () => {
          const r = await exec(command);
          if (r.timedOut) {
            // A registry that stops answering is not retried: another try would wait as long again.
            throw new UserError(
              `Pushing ${command.pushes ?? ''} did not finish within ${Math.round((options.pushTimeoutMs ?? 0) / 1000)} s (\`stage-timeout\`); the registry stopped answering.${tailLines(r.stderr, 3) ? `\n${tailLines(r.stderr, 3)}` : ''}`,
            );
          }
          if (r.exitCode !== 0) throw new PushError(command, r);
          return r;
        },
        {
          attempts: options.pushAttempts ?? 4,
          baseDelayMs: options.pushDelayMs ?? 1000,
          maxDelayMs: 8000,
          what: `Pushing ${command.pushes ?? ''}`,
          isTransient: (e) => e instanceof PushError && isTransientText(e.result.stderr),
          onRetry: ({ attempt, delayMs }) =>
            core.warning(
              `Push of ${command.pushes ?? ''} failed (try ${attempt}); trying again in ${delayMs} ms.`,
            ),
        },
      ).catch((error: unknown) => {
        throw error instanceof PushError ? builderFailure(plan, command, error.result) : error;
      });
    });
    if (result.exitCode !== 0) throw builderFailure(plan, command, result);
    if (command.digestFile && command.pushes) {
      digests.push({ tag: command.pushes, digest: readDigestFile(command.digestFile, command.label) });
    }
  }

  let digest: string | undefined;
  if (plan.metadataFile && plan.commands.some((c) => c.args.includes('--push'))) {
    digest = readBuildxDigest(plan.metadataFile);
  } else if (digests.length > 0) {
    digest = digests[0]?.digest;
    const other = digests.find((d) => d.digest !== digest);
    if (other) {
      throw new UserError(
        `The tags were pushed with different digests (${digests[0]?.tag} → ${digest}, ${other.tag} → ${other.digest}). Something else pushed to the same tags at the same time; run again.`,
      );
    }
  }
  return {
    builder: plan.builder,
    ...(digest ? { digest } : {}),
    pushedTags: plan.commands.filter((c) => c.kind === 'push' && c.pushes).map((c) => c.pushes ?? ''),
    ...(plan.archive ? { archive: plan.archive } : {}),
    durationMs: Math.round(performance.now() - started),
    toolMs,
  };
}

class PushError extends Error {
  constructor(
    readonly command: PlannedCommand,
    readonly result: ExecResult,
  ) {
    super(tailLines(result.stderr, 5) || `exit code ${result.exitCode}`);
  }
}

/** The builder's own words, the last lines of them, and the Dockerfile line when it names one. */
function builderFailure(plan: BuildPlan, command: PlannedCommand, result: ExecResult): UserError {
  const tail = tailLines(result.stderr || result.stdout, 12);
  const line = /(?:dockerfile parse error (?:on )?line|Dockerfile:|line) (\d+)/i.exec(tail)?.[1];
  const what = command.kind === 'build' ? 'The build failed' : `${command.label} failed`;
  return new UserError(
    `${what} (${plan.builder} exited with ${result.timedOut ? 'a timeout' : `code ${result.exitCode}`})${line ? ` at Dockerfile line ${line}` : ''}:\n${tail}`,
  );
}

function readDigestFile(path: string, label: string): string {
  let text = '';
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    // Reported below as an empty digest.
  }
  if (!DIGEST.test(text)) {
    throw new UserError(
      `${label} reported ${text === '' ? 'no digest' : `"${text}"`} instead of a sha256 registry digest; the push cannot be signed by digest. Check the builder version.`,
    );
  }
  return text;
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
