import { createHash } from 'node:crypto';
import * as core from '@actions/core';
import type { MergeLeg } from '../config/index.js';
import type { RegistryClient } from '../registry/client.js';
import { UserError } from '../util/errors.js';
import { givenOutcome } from './build.js';
import type { Stage } from './run.js';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const INDEX_TYPES = new Set([OCI_INDEX, 'application/vnd.docker.distribution.manifest.list.v2+json']);

interface Leg {
  entry: MergeLeg;
  mediaType: string;
  size: number;
  platform: { os: string; architecture: string; variant?: string };
}

/**
 * Merge (the job after a matrix of `push-by-digest` legs): the legs' single-platform images become one index in
 * `image`, pushed by digest. Each leg is read once (its manifest and its config, for the platform); a leg that does
 * not exist, is itself an index, or repeats a platform is an error naming its line of `merge`, before anything is
 * written. Adds `run.build` (the index) and `run.platforms`, and the `digest` and `image-ref` outputs.
 */
export const mergeStage: Stage = {
  id: 'push',
  async run(run) {
    const { config, report, registry } = run;
    const image = config.image ?? '';
    const [host = '', ...path] = image.split('/');
    const name = path.join('/');
    const { digest, legs } = await report.run('push', async () => {
      const legs = await Promise.all(config.merge.map((entry) => readLeg(registry, host, name, entry)));
      const seen = new Map<string, Leg>();
      for (const leg of legs) {
        const key = platformText(leg.platform);
        const earlier = seen.get(key);
        if (earlier)
          throw new UserError(
            `Input \`merge\`, line ${leg.entry.line}: ${leg.entry.digest} is a ${key} image, and so is line ${earlier.entry.line} (${earlier.entry.digest}). Each leg must build other platforms.`,
          );
        seen.set(key, leg);
      }
      const index = {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: legs.map((leg) => ({
          mediaType: leg.mediaType,
          digest: leg.entry.digest,
          size: leg.size,
          platform: leg.platform,
        })),
      };
      const bytes = Buffer.from(JSON.stringify(index));
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      await registry.putManifest(host, name, digest, { bytes, mediaType: OCI_INDEX });
      return {
        value: { digest, legs },
        detail: `by digest, not tagged yet: an index of ${legs.map((l) => platformText(l.platform)).join(', ')}`,
      };
    });
    const imageRef = `${image}@${digest}`;
    report.set('build', 'skipped', `\`merge\`: ${legs.length} images built by the matrix legs`);
    run.build = givenOutcome(digest, imageRef, OCI_INDEX, `merged from ${legs.length} legs`);
    run.platforms = legs.map((l) => platformText(l.platform));
    core.setOutput('digest', digest);
    core.setOutput('image-ref', imageRef);
  },
};

async function readLeg(registry: RegistryClient, host: string, name: string, entry: MergeLeg): Promise<Leg> {
  const where = `Input \`merge\`, line ${entry.line}: ${entry.repository}@${entry.digest}`;
  // One read of the manifest (absent, an index, or an image) and one of its config: two reads per leg.
  const manifest = await registry.getManifest(host, name, entry.digest);
  if (!manifest)
    throw new UserError(`${where} does not exist in the registry. Check the leg's \`image-ref\` output.`);
  if (INDEX_TYPES.has(manifest.mediaType))
    throw new UserError(
      `${where} is an index of several platforms, not one platform's image. Give each leg one platform (\`platforms\`) and \`push-by-digest: true\`.`,
    );
  const document = JSON.parse(manifest.bytes.toString('utf8')) as { config?: { digest?: string } };
  const configDigest = document.config?.digest;
  if (!configDigest) throw new UserError(`${where} is not an image manifest (it names no config).`);
  const imageConfig = (await registry.getJson(host, name, 'blobs', configDigest)) as {
    os?: string;
    architecture?: string;
    variant?: string;
  };
  if (!imageConfig.os || !imageConfig.architecture)
    throw new UserError(
      `${where}: its image config names no os and architecture, so its platform is unknown.`,
    );
  return {
    entry,
    mediaType: manifest.mediaType,
    size: manifest.bytes.length,
    platform: {
      os: imageConfig.os,
      architecture: imageConfig.architecture,
      ...(imageConfig.variant ? { variant: imageConfig.variant } : {}),
    },
  };
}

function platformText(p: Leg['platform']): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}
