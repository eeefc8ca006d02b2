import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as core from '@actions/core';
import type { Config } from '../config/index.js';
import {
  buildxMaterials,
  layoutBaseImages,
  unverifiedMaterials,
  type BuilderMaterial,
} from '../build/materials.js';
import { tryParseReference } from '../image/reference.js';
import type { BaseImageEntry } from '../policy/entries.js';
import { ociAnnotations, ociLabels } from '../build/labels.js';
import { cacheSummary, writableCache, type AnnotationLevel } from '../build/options.js';
import { buildxPlan, containersPlan, repositoryOf } from '../build/plan.js';
import { builderEnvironment, runBuildPlan } from '../build/run.js';
import { writeSecretFiles } from '../build/secret-files.js';
import { chooseBuilder, requireBuildContexts, type BuilderChoice } from '../build/select.js';
import type { BuildPlan, BuildRequest, BuildResult, SecretMount } from '../build/types.js';
import { isLoopbackRegistry, type RegistryClient } from '../registry/client.js';
import { pushLayout } from '../registry/layout.js';
import { checkLayerChain } from '../build/layer-chain.js';
import { UserError } from '../util/errors.js';
import type { Run, Stage } from './run.js';

export interface BuildOutcome extends BuildResult {
  choice: BuilderChoice;
  /** Time spent publishing by digest, reported as its own stage. */
  pushMs: number;
  /** `image@sha256:…` of what was pushed (untagged until the publish stage). */
  imageRef?: string;
  /** Media type of the pushed manifest: an index means several platforms (sign with --recursive). */
  manifestMediaType?: string;
}

export interface BuildDeps {
  registry: RegistryClient;
  workDir: string;
  dockerfile: string;
  finalBase?: { name: string; digest?: string };
  /** Fully qualified base images the build pulls. */
  baseImages?: string[];
  authDir?: { dir: string; configFile: string };
  now?: Date;
  /** Awaited before anything is written to a registry. */
  beforePush?: () => Promise<void>;
  /** The build-args with BUILDKIT_SYNTAX pinned to the checked frontend image (base-images stage). */
  buildArgs?: Config['buildArgs'];
  /** Under `verify-base-images: enforce`: the images the gate let through, which alone the builder may use. */
  verified?: VerifiedImages;
  /** `build-contexts` with docker-image:// values pinned to the checked digests (base-images stage). */
  buildContexts?: Config['buildContexts'];
  /** The builder the base-images stage chose and read the Dockerfile for; chosen here when not given. */
  choice?: BuilderChoice;
}

/** The base images that passed the gate: pulled by digest for buildah/podman, and the digests the builder may use. */
export interface VerifiedImages {
  pulls: Array<{ ref: string; tag?: string }>;
  /** Each verified digest, and for an index the digests of its platform manifests (builders name either). */
  allowed: Set<string>;
  /** For each digest in `allowed`: the image as checked, and the Dockerfile lines that use it (0: BUILDKIT_SYNTAX). */
  uses?: Map<string, { image: string; lines: number[] }>;
}

/**
 * Build and push: builds from the pinned Dockerfile and, with `push`, publishes the result by digest only; no tag
 * exists until every later check passed (the publish stage). Adds `run.build` and the `digest` and `image-ref`
 * outputs, which a failed later stage leaves set so the untagged image can be inspected.
 */
export const buildStage: Stage = {
  id: 'build',
  async run(run) {
    const { config, report } = run;
    // The build may start before the scanner is installed (it needs only the verified base images), but nothing
    // is pushed until the tools the later stages need are in: an image that cannot be scanned and signed in this
    // run is not published.
    const tools = run.tools;
    const beforePush = tools
      ? async (): Promise<void> => {
          await tools.catch((error: unknown) => {
            throw new UserError(
              'Nothing was pushed: the tools stage failed (its error is above), so this run could not scan and sign the image.',
              { cause: error },
            );
          });
        }
      : undefined;
    const deps: BuildDeps = {
      registry: run.registry,
      workDir: run.workDir,
      dockerfile: run.baseImages?.dockerfile ?? config.dockerfile,
      ...(run.baseImages?.finalBase ? { finalBase: run.baseImages.finalBase } : {}),
      baseImages: (run.baseImages?.entries ?? []).flatMap((e) => (e.image ? [e.image] : [])),
      ...(run.authDir ? { authDir: run.authDir } : {}),
      ...(beforePush ? { beforePush } : {}),
      ...(run.builder ? { choice: run.builder } : {}),
      ...(run.baseImages
        ? { buildArgs: run.baseImages.buildArgs, buildContexts: run.baseImages.buildContexts }
        : {}),
      ...(config.verifyBaseImages === 'enforce' && run.baseImages
        ? { verified: await verifiedImages(run.registry, run.baseImages) }
        : {}),
    };
    const built = await report.run('build', async () => {
      const value = await buildImage(config, deps);
      const layers = config.cacheFrom.length > 0 || config.cacheTo.length > 0;
      const used = deps.verified ? checkMaterials(value, deps.verified, layers) : '';
      // What the image is made of, beside what the builder says: its layers begin with the verified base's.
      const final = deps.finalBase;
      const chain =
        deps.verified && value.layout && final?.digest
          ? await checkLayerChain(value.layout, { name: final.name, digest: final.digest }, run.registry)
          : '';
      const pinned = run.baseImages?.pinnedCopy ? ' from the verified digests' : '';
      const cache = cacheSummary(config.cacheFrom, writableCache(config.github.eventName, config.cacheTo));
      return {
        value,
        // The cache before the materials: the row's cell is cut at 400 characters, and which cache was read matters.
        detail: `${value.choice.builder}${pinned}${config.push ? '' : ', into an OCI archive on this machine'} (${value.choice.why})${cache ? `; ${cache}` : ''}${used}${chain}`,
      };
    });
    run.build = built;
    if (!config.push) {
      report.notices.push(
        'Nothing was pushed (`push: false`): the image is in an OCI archive on this machine only.',
      );
      return;
    }
    run.build = await report.run('push', async () => {
      const value = await pushByDigest(config, deps, built);
      return { value, detail: `by digest, not tagged yet: ${value.imageRef ?? ''}` };
    });
    core.setOutput('digest', run.build.digest);
    core.setOutput('image-ref', run.build.imageRef);
  },
};

/**
 * `digest`: an image another step pushed stands in for the build, once the registry confirms it exists.
 * Adds `run.build` and the `digest` and `image-ref` outputs.
 */
export async function useGivenDigest(run: Run): Promise<void> {
  const { config, report } = run;
  const given = config.digest;
  if (!given) return;
  const [host, ...path] = given.repository.split('/');
  const head = await run.registry.headManifest(host ?? '', path.join('/'), given.digest);
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
  run.build = givenOutcome(given.digest, imageRef, head.mediaType, 'not built');
  core.setOutput('digest', given.digest);
  core.setOutput('image-ref', imageRef);
}

/** The outcome of a run that did not build: a given digest, or an index merged from matrix legs. */
export function givenOutcome(digest: string, imageRef: string, mediaType: string, why: string): BuildOutcome {
  return {
    builder: 'buildah',
    choice: { builder: 'buildah', why },
    digest,
    imageRef,
    manifestMediaType: mediaType,
    pushMs: 0,
    durationMs: 0,
    toolMs: 0,
  };
}

export function buildRequest(
  config: Config,
  deps: BuildDeps,
  secrets: SecretMount[] = [],
  builder: BuilderChoice['builder'] = 'buildah',
): BuildRequest {
  const registries = new Set([...config.tags, ...(deps.baseImages ?? [])].map((t) => t.split('/')[0] ?? ''));
  const ignoreFile = `${config.dockerfile}.dockerignore`;
  const created = deps.now ?? new Date();
  // buildx annotates the index of a multi-platform image too; buildah and podman annotate each image manifest.
  const levels: AnnotationLevel[] =
    builder === 'docker' && config.platforms.length > 1 ? ['manifest', 'index'] : ['manifest'];
  return {
    context: config.context,
    dockerfile: deps.dockerfile,
    ...(existsSync(ignoreFile) ? { ignoreFile } : {}),
    buildArgs: deps.buildArgs ?? config.buildArgs,
    ...(config.target ? { target: config.target } : {}),
    platforms: config.platforms,
    labels: ociLabels(config.github, created, deps.finalBase, config.labels),
    // buildah and podman record the base image they built on in each manifest themselves, which is what the
    // materials check reads: the action adds the base annotations for buildx only.
    annotations: ociAnnotations(
      config.github,
      created,
      builder === 'docker' ? deps.finalBase : undefined,
      levels,
      config.annotations,
    ),
    secrets,
    ssh: config.ssh,
    cacheFrom: config.cacheFrom,
    cacheTo: writableCache(config.github.eventName, config.cacheTo).write,
    buildContexts: deps.buildContexts ?? config.buildContexts,
    tags: config.tags,
    push: config.push,
    ...(config.image ? { repository: config.image } : {}),
    workDir: deps.workDir,
    ...(deps.authDir ? { authFile: deps.authDir.configFile } : {}),
    insecureRegistries: [...registries].filter(isLoopbackRegistry),
    ...(deps.verified ? { pulls: deps.verified.pulls } : {}),
  };
}

export function planFor(builder: BuilderChoice['builder'], request: BuildRequest): BuildPlan {
  return builder === 'docker' ? buildxPlan(request) : containersPlan(builder, request);
}

/** Builds, and with `push` publishes by digest: the build and push stages in one call (the benchmarks use it). */
export async function buildAndPush(config: Config, deps: BuildDeps): Promise<BuildOutcome> {
  const built = await buildImage(config, deps);
  return config.push ? pushByDigest(config, deps, built) : built;
}

/** Runs the builder; buildx pushes by digest as it builds, buildah and podman write an OCI layout or archive. */
export async function buildImage(config: Config, deps: BuildDeps): Promise<BuildOutcome> {
  mkdirSync(deps.workDir, { recursive: true });
  const choice = deps.choice ?? (await chooseBuilder(config.builder));
  if (config.buildContexts.length > 0) await requireBuildContexts(choice.builder);
  // Secret values live in files only while the builder runs.
  const secrets = writeSecretFiles(deps.workDir, config.buildSecrets);
  try {
    const request = buildRequest(config, deps, secrets.mounts, choice.builder);
    const plan = planFor(choice.builder, request);
    const result = await runBuildPlan(plan, {
      cwd: config.context,
      env: builderEnvironment(process.env, deps.authDir?.dir),
      pushTimeoutMs: config.stageTimeoutMs,
      ...(deps.beforePush ? { beforePush: deps.beforePush } : {}),
    });
    return { ...result, choice, pushMs: 0 };
  } finally {
    secrets.dispose();
  }
}

/**
 * Publishes the built image by digest (buildah and podman: the OCI layout's blobs and manifests; buildx has pushed
 * already), and checks that the registry serves that digest: signing would otherwise sign the wrong thing.
 */
export async function pushByDigest(
  config: Config,
  deps: BuildDeps,
  built: BuildOutcome,
): Promise<BuildOutcome> {
  const repository = config.image ?? repositoryOf(config.tags[0] ?? '');
  const [registry = '', ...path] = repository.split('/');
  let digest = built.digest;
  const started = performance.now();
  if (built.layout) {
    await deps.beforePush?.();
    digest = (await pushLayout(deps.registry, registry, path.join('/'), built.layout)).digest;
  }
  if (!digest)
    throw new UserError(`${built.choice.builder} pushed but reported no digest; nothing can be signed.`);
  const head = await deps.registry.headManifest(registry, path.join('/'), digest);
  if (!head) {
    throw new UserError(
      `${built.choice.builder} reported digest ${digest}, but ${repository} has no manifest with that digest. The push did not land where \`image\` says; check \`image\`.`,
    );
  }
  return {
    ...built,
    digest,
    pushMs: Math.round(performance.now() - started),
    imageRef: `${repository}@${digest}`,
    manifestMediaType: head.mediaType,
  };
}

/**
 * The images the gate let through, and every digest a builder may name for them: the digest checked and, for an
 * index, its platform manifests (read from the registry, which is what the builder reads too).
 */
export async function verifiedImages(
  registry: RegistryClient,
  result: { entries: ReadonlyArray<BaseImageEntry>; pinnedCopy: boolean },
): Promise<VerifiedImages> {
  const passed = result.entries.filter(
    (e) => e.image !== null && e.digest !== null && e.status !== 'failed' && e.status !== 'unresolved',
  );
  const pulls = new Map<string, { ref: string; tag?: string }>();
  const allowed = new Set<string>();
  const uses = new Map<string, { image: string; lines: number[] }>();
  const use = (digest: string, e: BaseImageEntry): void => {
    const known = uses.get(digest) ?? { image: e.image ?? '', lines: [] };
    if (!known.lines.includes(e.line)) known.lines.push(e.line);
    uses.set(digest, known);
  };
  await Promise.all(
    passed.map(async (e) => {
      const parsed = tryParseReference(e.image ?? '');
      if (!parsed.ok || !e.digest) return;
      const repository = `${parsed.ref.registry}/${parsed.ref.repository}`;
      const ref = `${repository}@${e.digest}`;
      // Unpinned builds name the tag: it is made locally, pointing at the verified digest.
      const tag =
        !result.pinnedCopy && !e.pinned && parsed.ref.tag ? `${repository}:${parsed.ref.tag}` : undefined;
      pulls.set(`${ref} ${tag ?? ''}`, { ref, ...(tag ? { tag } : {}) });
      allowed.add(e.digest);
      use(e.digest, e);
      const document = (await registry.getJson(
        parsed.ref.registry,
        parsed.ref.repository,
        'manifests',
        e.digest,
      )) as {
        manifests?: Array<{ digest?: string }>;
      };
      for (const m of document.manifests ?? []) {
        if (!m.digest) continue;
        allowed.add(m.digest);
        use(m.digest, e);
      }
    }),
  );
  return { pulls: [...pulls.values()], allowed, uses };
}

/**
 * The builder's own record of what it built from, against what the gate verified: BuildKit's provenance (buildx's
 * metadata file), or the base image buildah and podman wrote into each manifest. Anything else fails the run before
 * anything is tagged or signed. Returns the phrase for the stage row.
 */
export function checkMaterials(built: BuildOutcome, verified: VerifiedImages, layers = false): string {
  let materials: BuilderMaterial[];
  if (built.builder === 'docker') {
    const metadata = built.metadataFile ? readJsonObject(built.metadataFile) : undefined;
    const found = metadata ? buildxMaterials(metadata) : undefined;
    if (!found)
      throw new UserError(
        'docker buildx wrote no provenance into its metadata file, so this run cannot confirm which images the build used, and `verify-base-images: enforce` asks for that. Use a BuildKit builder with the build history API (BuildKit 0.11 or later, as docker/setup-buildx-action sets up), and do not set BUILDX_METADATA_PROVENANCE=disabled.',
      );
    materials = found;
  } else if (built.layout) {
    materials = layoutBaseImages(built.layout).filter((m): m is BuilderMaterial => m.digest !== '');
  } else {
    // Nothing leaves this machine; --pull=never already kept the build to the verified images.
    return '; only the verified images were in reach (--pull=never)';
  }
  // With --layers (a build cache) buildah records as the base digest that of its own copy of the image, not the
  // registry's: the name it records must then be one this run pulled or tagged from a verified digest (a local tag
  // re-pointed at it before the build), and checkLayerChain checks the layers.
  const names = new Set(verified.pulls.flatMap((p) => [p.ref, ...(p.tag ? [p.tag] : [])]));
  const unverified = unverifiedMaterials(materials, verified.allowed).filter(
    (m) => !(layers && built.layout && names.has(m.name)),
  );
  if (unverified.length > 0)
    throw new UserError(
      `The build used ${unverified.length === 1 ? 'an image' : 'images'} the base-image check never verified, so nothing is tagged or signed:\n${unverified
        .map((m) => `- ${m.name} (${m.digest || 'no digest'}), from ${m.source}`)
        .join(
          '\n',
        )}\nThe builder reads the Dockerfile differently from the check (a heredoc, an older \`# syntax\` frontend, a build-arg): make it unambiguous.`,
    );
  return `; the builder used only verified digests (${built.builder === 'docker' ? "BuildKit's provenance" : 'the base image it recorded'}: ${materials.length} checked): ${usedImages(materials, verified).join(', ')}`;
}

/** Each image the builder used, as `image@digest (line N)`: the digest it named, the lines whose FROM names that image. */
function usedImages(materials: readonly BuilderMaterial[], verified: VerifiedImages): string[] {
  const out = new Set<string>();
  for (const m of materials) {
    const digest = verified.allowed.has(m.digest) ? m.digest : (m.nameDigest ?? m.digest);
    const known = verified.uses?.get(digest);
    if (!known) {
      out.add(`${m.name.replace(/@sha256:[0-9a-f]{64}$/, '')}@${digest}`);
      continue;
    }
    const lines = [...known.lines].sort((a, b) => a - b);
    const inFile = lines.filter((l) => l > 0);
    const where = [
      ...(lines.includes(0) ? ['build-arg BUILDKIT_SYNTAX'] : []),
      ...(inFile.length > 0 ? [`line${inFile.length > 1 ? 's' : ''} ${inFile.join(', ')}`] : []),
    ].join('; ');
    out.add(`${known.image.replace(/@sha256:[0-9a-f]{64}$/, '')}@${digest} (${where})`);
  }
  return [...out];
}

function readJsonObject(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
