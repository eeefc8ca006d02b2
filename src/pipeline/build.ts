import { existsSync, mkdirSync } from 'node:fs';
import type { Config } from '../config.js';
import { ociLabels } from '../build/labels.js';
import { buildxPlan, containersPlan } from '../build/plan.js';
import { builderEnvironment, runBuildPlan } from '../build/run.js';
import { chooseBuilder, type BuilderChoice } from '../build/select.js';
import type { BuildPlan, BuildRequest, BuildResult } from '../build/types.js';
import { isLoopbackRegistry, type RegistryClient } from '../registry/client.js';
import { execTimings } from '../util/exec.js';
import { UserError } from '../util/errors.js';

export interface BuildOutcome extends BuildResult {
  choice: BuilderChoice;
  /** Time in push commands, reported as its own stage. */
  pushMs: number;
  /** `image@sha256:…` of what was pushed. */
  imageRef?: string;
  /** Media type of the pushed manifest: an index means several platforms (sign with --recursive). */
  manifestMediaType?: string;
}

export interface BuildDeps {
  registry: RegistryClient;
  workDir: string;
  dockerfile: string;
  /** The build-args as the base-image check pinned them (BUILDKIT_SYNTAX); default the input's. */
  buildArgs?: Config['buildArgs'];
  finalBase?: { name: string; digest?: string };
  /** Fully qualified base images the build pulls. */
  baseImages?: string[];
  authDir?: { dir: string; configFile: string };
  now?: Date;
  /** See RunPlanOptions.beforePush: the push waits for it. */
  beforePush?: () => Promise<void>;
}

export function buildRequest(config: Config, deps: BuildDeps): BuildRequest {
  const registries = new Set([...config.tags, ...(deps.baseImages ?? [])].map((t) => t.split('/')[0] ?? ''));
  const ignoreFile = `${config.dockerfile}.dockerignore`;
  return {
    context: config.context,
    dockerfile: deps.dockerfile,
    ...(existsSync(ignoreFile) ? { ignoreFile } : {}),
    buildArgs: deps.buildArgs ?? config.buildArgs,
    ...(config.target ? { target: config.target } : {}),
    platforms: config.platforms,
    labels: ociLabels(config.github, deps.now ?? new Date(), deps.finalBase, config.labels),
    tags: config.tags,
    push: config.push,
    workDir: deps.workDir,
    ...(deps.authDir ? { authFile: deps.authDir.configFile } : {}),
    insecureRegistries: [...registries].filter(isLoopbackRegistry),
  };
}

export function planFor(builder: BuilderChoice['builder'], request: BuildRequest): BuildPlan {
  return builder === 'docker' ? buildxPlan(request) : containersPlan(builder, request);
}

export async function buildAndPush(config: Config, deps: BuildDeps): Promise<BuildOutcome> {
  mkdirSync(deps.workDir, { recursive: true });
  const choice = await chooseBuilder(config.builder);
  const request = buildRequest(config, deps);
  const plan = planFor(choice.builder, request);
  const before = execTimings().length;
  const result = await runBuildPlan(plan, {
    cwd: config.context,
    env: builderEnvironment(process.env, deps.authDir?.dir),
    pushTimeoutMs: config.stageTimeoutMs,
    ...(deps.beforePush ? { beforePush: deps.beforePush } : {}),
  });
  const pushMs = execTimings()
    .slice(before)
    .filter((t) => t.label.includes(' push '))
    .reduce((sum, t) => sum + t.durationMs, 0);

  if (!config.push) return { ...result, choice, pushMs };
  if (!result.digest)
    throw new UserError(`${choice.builder} pushed but reported no digest; nothing can be signed.`);
  const repository = config.image ?? repositoryOf(config.tags[0] ?? '');
  const [registry, ...path] = repository.split('/');
  // The builder's digest must be what the registry now serves, or signing would sign the wrong thing.
  const head = await deps.registry.headManifest(registry ?? '', path.join('/'), result.digest);
  if (!head) {
    throw new UserError(
      `${choice.builder} reported digest ${result.digest}, but ${repository} has no manifest with that digest. The push did not land where \`image\` says; check \`image\` and \`tags\`.`,
    );
  }
  return {
    ...result,
    choice,
    pushMs,
    imageRef: `${repository}@${result.digest}`,
    manifestMediaType: head.mediaType,
  };
}

function repositoryOf(reference: string): string {
  const at = reference.indexOf('@');
  const noDigest = at >= 0 ? reference.slice(0, at) : reference;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}
