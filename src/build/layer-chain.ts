import { tryParseReference } from '../image/reference.js';
import { configDiffIds, type RegistryClient } from '../registry/client.js';
import { UserError } from '../util/errors.js';
import { layoutImageDigests, readLayoutBlob } from './materials.js';

/**
 * What the image is made of, against what the gate verified: each image manifest buildah or podman wrote into the OCI
 * layout must begin with the layers (`rootfs.diff_ids`, the uncompressed layer digests, which a pull that converts
 * the manifest's format leaves as they are) of the verified final base image for its platform. Unlike the base
 * record a builder writes, this holds with a build cache (`--layers`, whose record carries the digest of buildah's own
 * copy, not the registry's) and whatever the builder calls its base: an image built on anything else, a local image the runner's storage already
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
  const platforms = [...new Set(built.map((b) => b.platform))];
  const chains = new Map(
    await Promise.all(
      platforms.map(
        async (platform) =>
          [platform, await registry.imageDiffIds(host, repository, base.digest, platform)] as const,
      ),
    ),
  );
  for (const image of built) {
    const chain = chains.get(image.platform);
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

interface BuiltImage {
  digest: string;
  platform: string;
  diffIds: string[];
}

/** The images of the builder's OCI layout, each with its platform and layer chain. */
function layoutImages(layout: string): BuiltImage[] {
  return layoutImageDigests(layout).map((digest) => {
    const manifest = readLayoutBlob(layout, digest) as { config?: { digest?: string } };
    const config = readLayoutBlob(layout, manifest.config?.digest ?? '') as {
      os?: unknown;
      architecture?: unknown;
      variant?: unknown;
    };
    const platform = [config.os, config.architecture, config.variant]
      .filter((p) => typeof p === 'string' && p)
      .join('/');
    return { digest, platform, diffIds: configDiffIds(config) };
  });
}
