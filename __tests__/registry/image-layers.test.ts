// RegistryClient.imageLayers against a real registry (docker-registry from the harness): the layers it
// returns are what the scan uses to tell findings of the base image from the app's own, so the layers of
// another platform must never come back in place of the ones asked for.
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RegistryClient } from '../../src/registry/client.js';
import { pushBaseImage, startRegistry, type Registry } from '../harness/registry.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

const sha256 = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An image manifest in the registry: its digest and what imageLayers should give for it. */
interface PushedImage {
  digest: string;
  size: number;
  mediaType: string;
  /** The compressed layer digests, then the config's diff IDs. */
  layers: string[];
}

let registry: Registry;
let client: RegistryClient;
let repos = 0;
/** A repository of its own for each test, so no test finds another's manifests. */
const newRepo = (): string => `acme/base-${++repos}`;

beforeAll(async () => {
  registry = await startRegistry();
  client = new RegistryClient({ credentials: () => undefined, attempts: 1 });
});

afterAll(async () => {
  await registry.stop();
});

/** An image for `platform` with `layerCount` layers of random bytes, so no two images share a layer. */
async function pushImage(repo: string, platform: Platform, layerCount = 1): Promise<PushedImage> {
  const tars = Array.from({ length: layerCount }, () => randomBytes(512));
  const layers = [];
  for (const tar of tars) layers.push(await registry.putBlob(repo, gzipSync(tar)));
  const config = await registry.putBlob(
    repo,
    Buffer.from(
      JSON.stringify({ ...platform, config: {}, rootfs: { type: 'layers', diff_ids: tars.map(sha256) } }),
    ),
  );
  const text = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, ...config },
    layers: layers.map((layer) => ({ mediaType: OCI_LAYER, ...layer })),
  });
  const digest = await registry.putManifest(repo, sha256(text), OCI_MANIFEST, text);
  return {
    digest,
    size: Buffer.byteLength(text),
    mediaType: OCI_MANIFEST,
    layers: [...layers.map((l) => l.digest), ...tars.map(sha256)],
  };
}

/** The provenance buildx pushes beside an image: an unknown/unknown entry naming the image it is about. */
async function pushAttestation(repo: string, about: PushedImage): Promise<{ entry: object }> {
  const statement = await registry.putBlob(
    repo,
    Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [] })),
  );
  const config = await registry.putBlob(
    repo,
    Buffer.from(
      JSON.stringify({
        architecture: 'unknown',
        os: 'unknown',
        config: {},
        rootfs: { type: 'layers', diff_ids: [statement.digest] },
      }),
    ),
  );
  const text = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, ...config },
    layers: [{ mediaType: 'application/vnd.in-toto+json', ...statement }],
  });
  return {
    entry: {
      mediaType: OCI_MANIFEST,
      digest: await registry.putManifest(repo, sha256(text), OCI_MANIFEST, text),
      size: Buffer.byteLength(text),
      platform: { architecture: 'unknown', os: 'unknown' },
      annotations: {
        'vnd.docker.reference.digest': about.digest,
        'vnd.docker.reference.type': 'attestation-manifest',
      },
    },
  };
}

/** An image index of `images`, each with the platform given, tagged `multi`; returns its digest. */
async function pushIndex(
  repo: string,
  images: Array<[PushedImage, Platform | undefined] | { entry: object }>,
): Promise<string> {
  const text = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: images.map((item) =>
      'entry' in item
        ? item.entry
        : {
            mediaType: item[0].mediaType,
            digest: item[0].digest,
            size: item[0].size,
            ...(item[1] ? { platform: item[1] } : {}),
          },
    ),
  });
  return registry.putManifest(repo, 'multi', OCI_INDEX, text);
}

const layersOf = (repo: string, digest: string, platform: string): Promise<string[]> =>
  client.imageLayers(registry.host, repo, digest, platform);

describe('a single-platform image', () => {
  it('gives its compressed layer digests followed by the diff IDs its config lists', async () => {
    const repo = newRepo();
    const image = await pushImage(repo, { os: 'linux', architecture: 'amd64' }, 2);
    const layers = await layersOf(repo, image.digest, 'linux/amd64');
    expect(layers).toEqual(image.layers);
    expect(layers).toHaveLength(4);
  });

  it('gives the busybox image buildah pushed the layers and diff IDs the registry serves for it', async () => {
    const repo = newRepo();
    const pushed = await pushBaseImage(registry, repo, '1');
    const manifest = (await registry.manifest(repo, pushed.digest))?.body as {
      layers: Array<{ digest: string }>;
      config: { digest: string };
    };
    const config = JSON.parse((await registry.blob(repo, manifest.config.digest))?.toString() ?? '{}') as {
      rootfs: { diff_ids: string[] };
    };
    const layers = await layersOf(repo, pushed.digest, 'linux/amd64');
    expect(layers).toEqual([...manifest.layers.map((l) => l.digest), ...config.rootfs.diff_ids]);
    expect(layers).toHaveLength(2);
  });
});

describe('an index for linux/amd64 and linux/arm64', () => {
  it.each([
    ['linux/arm64', 'variant v8', 'v8'],
    ['linux/arm64/v8', 'variant v8', 'v8'],
    ['linux/arm64', 'no variant', undefined],
    ['linux/arm64/v8', 'no variant', undefined],
  ])('gives the arm64 layers when asked for %s and the arm64 entry has %s', async (asked, _, variant) => {
    const repo = newRepo();
    const amd64 = await pushImage(repo, { os: 'linux', architecture: 'amd64' });
    const arm64Platform = { os: 'linux', architecture: 'arm64', ...(variant ? { variant } : {}) };
    const arm64 = await pushImage(repo, arm64Platform);
    const index = await pushIndex(repo, [
      [amd64, { os: 'linux', architecture: 'amd64' }],
      [arm64, arm64Platform],
    ]);
    expect(await layersOf(repo, index, asked)).toEqual(arm64.layers);
  });

  it('gives the amd64 layers when asked for linux/amd64, whichever entry comes first', async () => {
    const repo = newRepo();
    const amd64 = await pushImage(repo, { os: 'linux', architecture: 'amd64' });
    const arm64 = await pushImage(repo, { os: 'linux', architecture: 'arm64', variant: 'v8' });
    const index = await pushIndex(repo, [
      [arm64, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
      [amd64, { os: 'linux', architecture: 'amd64' }],
    ]);
    expect(await layersOf(repo, index, 'linux/amd64')).toEqual(amd64.layers);
  });

  it('fails for linux/s390x, naming the platform asked for and the ones the index has, instead of giving another platform its layers', async () => {
    const repo = newRepo();
    const amd64 = await pushImage(repo, { os: 'linux', architecture: 'amd64' });
    const arm64 = await pushImage(repo, { os: 'linux', architecture: 'arm64', variant: 'v8' });
    const index = await pushIndex(repo, [
      [amd64, { os: 'linux', architecture: 'amd64' }],
      [arm64, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    ]);
    await expect(layersOf(repo, index, 'linux/s390x')).rejects.toThrow(
      `${registry.host}/${repo}@${index} has no image for linux/s390x, only for linux/amd64 and linux/arm64/v8`,
    );
  });

  it('fails for linux/arm64 on an index with only an amd64 image, rather than giving it the amd64 layers', async () => {
    const repo = newRepo();
    const amd64 = await pushImage(repo, { os: 'linux', architecture: 'amd64' });
    const index = await pushIndex(repo, [[amd64, { os: 'linux', architecture: 'amd64' }]]);
    await expect(layersOf(repo, index, 'linux/arm64')).rejects.toThrow(
      `${registry.host}/${repo}@${index} has no image for linux/arm64, only for linux/amd64`,
    );
  });
});

describe('variants, as containerd matches them', () => {
  let repo: string;
  let index: string;
  const images: Record<string, PushedImage> = {};
  const platforms: Record<string, Platform> = {
    amd64: { os: 'linux', architecture: 'amd64' },
    'amd64/v3': { os: 'linux', architecture: 'amd64', variant: 'v3' },
    'arm/v6': { os: 'linux', architecture: 'arm', variant: 'v6' },
    'arm/v7': { os: 'linux', architecture: 'arm', variant: 'v7' },
    arm64: { os: 'linux', architecture: 'arm64' },
  };
  beforeAll(async () => {
    repo = newRepo();
    // The variants first, so a match that ignored them would take the wrong image.
    for (const name of ['amd64/v3', 'amd64', 'arm/v6', 'arm/v7', 'arm64'])
      images[name] = await pushImage(repo, platforms[name]!);
    index = await pushIndex(
      repo,
      Object.entries(images).map(([name, image]) => [image, platforms[name]]),
    );
  });

  it.each([
    ['linux/amd64', 'amd64'],
    ['linux/amd64/v3', 'amd64/v3'],
    ['linux/arm', 'arm/v7'],
    ['linux/arm/v7', 'arm/v7'],
    ['linux/arm/v6', 'arm/v6'],
    ['linux/arm64/v8', 'arm64'],
    ['linux/aarch64', 'arm64'],
  ])('asked for %s, gives the layers of the %s entry', async (asked, entry) => {
    expect(await layersOf(repo, index, asked)).toEqual(images[entry]!.layers);
  });

  it('gives an amd64/v2 request the amd64 entry without a variant, which every amd64 CPU runs', async () => {
    expect(await layersOf(repo, index, 'linux/amd64/v2')).toEqual(images.amd64!.layers);
  });

  it.each(['linux/arm/v5', 'linux/arm64/v9'])(
    'fails for %s rather than giving it the layers of another variant',
    async (asked) => {
      await expect(layersOf(repo, index, asked)).rejects.toThrow(
        `has no image for ${asked}, only for linux/amd64/v3, linux/amd64, linux/arm/v6, linux/arm/v7 and linux/arm64`,
      );
    },
  );
});

describe('the attestations buildx pushes beside the images (unknown/unknown)', () => {
  it('are passed over for the image of the platform asked for, even when listed first', async () => {
    const repo = newRepo();
    const amd64 = await pushImage(repo, { os: 'linux', architecture: 'amd64' });
    const attestation = await pushAttestation(repo, amd64);
    const index = await pushIndex(repo, [attestation, [amd64, { os: 'linux', architecture: 'amd64' }]]);
    expect(await layersOf(repo, index, 'linux/amd64')).toEqual(amd64.layers);
  });

  it('are never given for a platform the index lacks, nor listed among the platforms it has', async () => {
    const repo = newRepo();
    const amd64 = await pushImage(repo, { os: 'linux', architecture: 'amd64' });
    const attestation = await pushAttestation(repo, amd64);
    const index = await pushIndex(repo, [attestation, [amd64, { os: 'linux', architecture: 'amd64' }]]);
    await expect(layersOf(repo, index, 'linux/arm64')).rejects.toThrow(
      `${registry.host}/${repo}@${index} has no image for linux/arm64, only for linux/amd64`,
    );
    await expect(layersOf(repo, index, 'unknown/unknown')).rejects.toThrow(
      `${registry.host}/${repo}@${index} has no image for unknown/unknown, only for linux/amd64`,
    );
  });

  it('leave an index of attestations and unnamed images with nothing to give, and the error says so', async () => {
    const repo = newRepo();
    const image = await pushImage(repo, { os: 'linux', architecture: 'amd64' });
    const attestation = await pushAttestation(repo, image);
    const index = await pushIndex(repo, [attestation, [image, undefined]]);
    await expect(layersOf(repo, index, 'linux/amd64')).rejects.toThrow(
      `${registry.host}/${repo}@${index} has no image for linux/amd64: its index names no platform`,
    );
  });
});
