/**
 * How big an image is, read from the registry (so it works for every builder, and for `digest` and `merge` runs):
 * per platform, the compressed size (the sum of the layer sizes in its manifest), the size of its base image, and
 * the layers the build added, each with the instruction that made it (from the image config's history).
 */
import { tryParseReference } from '../image/reference.js';
import { indexEntryFor, isImage, type IndexEntry, type RegistryClient } from './client.js';

/** A repository and a manifest digest in it. */
export interface ImageAt {
  registry: string;
  repository: string;
  digest: string;
}

export interface AddedLayer {
  digest: string;
  /** Compressed bytes, as the manifest gives them. */
  size: number;
  /** The history's `created_by` of the layer, when the config has a history. */
  instruction: string | null;
}

/** One entry of the `image-size` output. */
export interface PlatformSize {
  platform: string;
  /** The platform's image manifest. */
  digest: string;
  /** Compressed bytes of all layers. */
  size: number;
  base: { image: string; digest: string; size: number } | null;
  /** Compressed bytes of the layers that are not the base image's. */
  added: number;
  /** The largest added layers, largest first. */
  largestAdded: AddedLayer[];
}

/** The final stage's base image: `name` as reports show it, and the digest that was verified. */
export type BaseImage = ImageAt & { name: string };

/** Added layers listed per platform. */
export const LARGEST_ADDED = 5;

interface ImageManifest {
  manifests?: Array<IndexEntry & { digest: string }>;
  layers?: Array<{ digest: string; size?: number }>;
  config?: { digest: string };
}

export interface ImageConfig {
  config?: { Labels?: Record<string, string> | null };
  os?: string;
  architecture?: string;
  variant?: string;
  history?: Array<{ created_by?: string; empty_layer?: boolean }>;
}

async function manifestOf(registry: RegistryClient, at: ImageAt, digest = at.digest): Promise<ImageManifest> {
  return (await registry.getJson(at.registry, at.repository, 'manifests', digest)) as ImageManifest;
}

/** The image manifests of `at`: its own, or one per platform of an index (attestations left out). */
async function platformManifests(
  registry: RegistryClient,
  at: ImageAt,
): Promise<Array<{ digest: string; manifest: ImageManifest; platform?: string }>> {
  const top = await manifestOf(registry, at);
  if (!top.manifests) return [{ digest: at.digest, manifest: top }];
  return Promise.all(
    top.manifests.filter(isImage).map(async (entry) => ({
      digest: entry.digest,
      manifest: await manifestOf(registry, at, entry.digest),
      platform: [entry.platform.os, entry.platform.architecture, entry.platform.variant]
        .filter((p) => p !== undefined && p !== '')
        .join('/'),
    })),
  );
}

const layerSize = (l: { size?: number }): number => (typeof l.size === 'number' ? l.size : 0);

/**
 * A history entry as the Dockerfile line it came from: `/bin/sh -c #(nop) COPY …` (buildah, classic Docker) as
 * `COPY …`, `/bin/sh -c <command>` as `RUN <command>`, BuildKit's `# buildkit` suffix dropped.
 */
export function instructionText(createdBy: string): string {
  const text = createdBy
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*# buildkit$/, '');
  if (/^\/bin\/sh -c #\(nop\)/.test(text)) return text.replace(/^\/bin\/sh -c #\(nop\)\s*/, '');
  if (text.startsWith('/bin/sh -c ')) return `RUN ${text.slice('/bin/sh -c '.length)}`;
  return text;
}

/** Instructions that change only the config, never the file system. */
const METADATA_ONLY =
  /^(LABEL|ENV|USER|ENTRYPOINT|CMD|ARG|EXPOSE|WORKDIR|VOLUME|STOPSIGNAL|HEALTHCHECK|SHELL|ONBUILD|MAINTAINER)\b/i;

/**
 * The instruction(s) behind each layer, when the history accounts for every layer. A builder that commits a
 * stage as one layer (buildah without `--layers`) marks all but the last instruction of it as empty: the layer is
 * then what the instructions since the previous layer made, and those that change files are the ones named.
 */
export function layerInstructions(history: ImageConfig['history'], layers: number): Array<string | null> {
  const groups: string[][] = [];
  let pending: string[] = [];
  for (const h of history ?? []) {
    const text = instructionText(h.created_by ?? '');
    if (text !== '') pending.push(text);
    if (h.empty_layer !== true) {
      groups.push(pending);
      pending = [];
    }
  }
  if (groups.length !== layers) return Array.from({ length: layers }, () => null);
  return groups.map((g) => {
    const changing = g.filter((t) => !METADATA_ONLY.test(t));
    const named = changing.length > 0 ? changing : g.slice(-1);
    return named.length > 0 ? named.join('; ') : null;
  });
}

/**
 * The size of every platform of `image`, against `base` (the final stage's base image, for the same platform).
 * A layer is the build's when the base image has no layer of the same digest.
 */
export async function measureImageSize(
  registry: RegistryClient,
  image: ImageAt,
  base: BaseImage | undefined,
): Promise<PlatformSize[]> {
  const platforms = await platformManifests(registry, image);
  const baseTops = new Map<string, Promise<ImageManifest>>();
  const baseTop = (b: BaseImage): Promise<ImageManifest> => {
    const key = `${b.registry}/${b.repository}@${b.digest}`;
    let top = baseTops.get(key);
    if (!top) baseTops.set(key, (top = manifestOf(registry, b)));
    return top;
  };
  return Promise.all(
    platforms.map(async ({ digest, manifest, platform: indexed }) => {
      const config = manifest.config
        ? ((await registry.getJson(
            image.registry,
            image.repository,
            'blobs',
            manifest.config.digest,
          )) as ImageConfig)
        : {};
      const platform =
        indexed ??
        [config.os, config.architecture, config.variant].filter((p) => p !== undefined && p !== '').join('/');
      const layers = manifest.layers ?? [];
      const size = layers.reduce((sum, l) => sum + layerSize(l), 0);

      let baseSize: PlatformSize['base'] = null;
      let baseLayers = new Set<string>();
      const from = base ?? labelledBase(config);
      if (from) {
        const top = await baseTop(from);
        let baseManifest = top;
        let baseDigest = from.digest;
        if (top.manifests) {
          const entry = indexEntryFor(top.manifests, platform);
          baseManifest = entry ? await manifestOf(registry, from, entry.digest) : {};
          if (entry) baseDigest = entry.digest;
        }
        if (baseManifest.layers) {
          baseLayers = new Set(baseManifest.layers.map((l) => l.digest));
          baseSize = {
            image: from.name,
            digest: baseDigest,
            size: baseManifest.layers.reduce((sum, l) => sum + layerSize(l), 0),
          };
        }
      }

      const instructions = layerInstructions(config.history, layers.length);
      const added = layers
        .map((l, i) => ({ digest: l.digest, size: layerSize(l), instruction: instructions[i] ?? null }))
        .filter((l) => !baseLayers.has(l.digest));
      return {
        platform,
        digest,
        size,
        base: baseSize,
        added: added.reduce((sum, l) => sum + l.size, 0),
        largestAdded: [...added].sort((a, b) => b.size - a.size).slice(0, LARGEST_ADDED),
      };
    }),
  );
}

/** The base image the action labelled the image with (OCI base.name / base.digest), for runs without a Dockerfile. */
function labelledBase(config: ImageConfig): BaseImage | undefined {
  const labels = config.config?.Labels ?? {};
  const name = labels['org.opencontainers.image.base.name'];
  const digest = labels['org.opencontainers.image.base.digest'];
  if (!name || !digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
  const parsed = tryParseReference(name);
  if (!parsed.ok) return undefined;
  return { name, registry: parsed.ref.registry, repository: parsed.ref.repository, digest };
}

/** Bytes as a person reads them: `812 B`, `4.2 MB`, `1.31 GB` (decimal units, as registries show). */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < 1000) return `${bytes} B`;
  const [value, unit] =
    abs < 1e6 ? [bytes / 1e3, 'kB'] : abs < 1e9 ? [bytes / 1e6, 'MB'] : [bytes / 1e9, 'GB'];
  return `${value.toFixed(Math.abs(value) < 10 ? 2 : 1)} ${unit}`;
}
