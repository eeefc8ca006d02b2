import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tryParseReference } from '../image/reference.js';
import type { RegistryClient } from '../registry/client.js';
import { UserError } from '../util/errors.js';

/**
 * What the image is made of, against what the gate verified: each image manifest buildah or podman wrote into the OCI
 * layout must begin with the layers (`rootfs.diff_ids`, the uncompressed layer digests, which a pull that converts
 * the manifest's format leaves as they are) of the verified final base image for its platform. Unlike the base
 * record a builder writes, this holds with a build cache (`--layers`, whose record names an intermediate image) and
 * whatever the builder calls its base: an image built on anything else, a local image the runner's storage already
 * held under the verified name included, has other layers. Returns the phrase for the Build row.
 */
export async function checkLayerChain(
  layout: string,
  base: { name: string; digest: string },
  registry: RegistryClient,
): Promise<string> {
  const parsed = tryParseReference(base.name);
  if (!parsed.ok) return '';
  const { registry: host, repository } = parsed.ref;
  const built = layoutImages(layout);
  const chains = await baseChains(
    registry,
    host,
    repository,
    base.digest,
    new Set(built.map((b) => b.platform)),
  );
  for (const image of built) {
    // A base that is one image (no index) is the base of whatever platform was built on it.
    const chain = chains.get(image.platform) ?? chains.get(ANY_PLATFORM);
    const begins =
      chain !== undefined &&
      chain.length <= image.diffIds.length &&
      chain.every((id, i) => image.diffIds[i] === id);
    if (!begins)
      throw new UserError(
        `The built image ${image.digest} (${image.platform}) does not begin with the layers of the verified base image ${base.name}@${base.digest}${chain ? '' : ` (it has no ${image.platform} image)`}, so nothing is tagged or signed. The builder built the final stage on another image than the one the check verified: an image already in the runner's container storage under that name, or a stage the check did not see. Remove the local image (\`buildah rmi\`), or make the Dockerfile unambiguous.`,
      );
  }
  return built.length > 0 ? `; layers begin with the verified base's (${built.length} checked)` : '';
}

const ANY_PLATFORM = '*';

interface BuiltImage {
  digest: string;
  platform: string;
  diffIds: string[];
}

/** The image manifests of an OCI layout (one, or those of its index), each with its platform and layer chain. */
function layoutImages(layout: string): BuiltImage[] {
  const read = (digest: string): Record<string, unknown> =>
    JSON.parse(
      readFileSync(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), 'utf8'),
    ) as Record<string, unknown>;
  const index = read(topDigest(layout));
  const digests = Array.isArray(index.manifests)
    ? (index.manifests as Array<{ digest: string }>).map((m) => m.digest)
    : [topDigest(layout)];
  return digests.map((digest) => {
    const config = read(((read(digest).config ?? {}) as { digest: string }).digest);
    return { digest, platform: platformOf(config), diffIds: diffIdsOf(config) };
  });
}

function topDigest(layout: string): string {
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
    manifests?: Array<{ digest: string }>;
  };
  const top = index.manifests?.at(-1)?.digest;
  if (!top) throw new UserError(`The builder's OCI layout at ${layout} holds no image.`);
  return top;
}

/** The verified image's layer chain per platform: one entry for an image, one per image of an index. */
async function baseChains(
  registry: RegistryClient,
  host: string,
  repository: string,
  digest: string,
  wanted: ReadonlySet<string>,
): Promise<Map<string, string[]>> {
  const manifest = (await registry.getJson(host, repository, 'manifests', digest)) as {
    manifests?: Array<{
      digest: string;
      platform?: { os?: string; architecture?: string; variant?: string };
    }>;
    config?: { digest: string };
  };
  const chains = new Map<string, string[]>();
  const imageDigests = manifest.manifests
    ? manifest.manifests.filter((m) => wanted.has(platformOf(m.platform ?? {}))).map((m) => m.digest)
    : [digest];
  await Promise.all(
    imageDigests.map(async (d) => {
      const image =
        d === digest
          ? manifest
          : ((await registry.getJson(host, repository, 'manifests', d)) as { config?: { digest: string } });
      if (!image.config?.digest) return;
      const config = (await registry.getJson(host, repository, 'blobs', image.config.digest)) as Record<
        string,
        unknown
      >;
      chains.set(manifest.manifests ? platformOf(config) : ANY_PLATFORM, diffIdsOf(config));
    }),
  );
  return chains;
}

function platformOf(config: { os?: unknown; architecture?: unknown; variant?: unknown }): string {
  // arm64's variant is v8 or unsaid, as containerd's platform normalising has it: a builder that says v8 built for the
  // base index's arm64 entry that does not (and the other way round).
  const variant = config.architecture === 'arm64' && config.variant === 'v8' ? undefined : config.variant;
  return [config.os, config.architecture, variant].filter((p) => typeof p === 'string' && p).join('/');
}

function diffIdsOf(config: Record<string, unknown>): string[] {
  const ids = (config.rootfs as { diff_ids?: unknown } | undefined)?.diff_ids;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}
