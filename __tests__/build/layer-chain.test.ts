// The layer check against a real registry: the built images (an OCI layout, as buildah and podman write it) must
// begin with the verified base image's layers, per platform.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLayerChain } from '../../src/build/layer-chain.js';
import { RegistryClient } from '../../src/registry/client.js';
import { UserError } from '../../src/util/errors.js';
import { startRegistry, type Registry } from '../harness/registry.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const sha = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const layer = (name: string): string => sha(`layer ${name}`);
const configOf = (arch: string, diffIds: string[], variant?: string): string =>
  JSON.stringify({
    os: 'linux',
    architecture: arch,
    ...(variant ? { variant } : {}),
    rootfs: { type: 'layers', diff_ids: diffIds },
  });

let registry: Registry;
let root: string;
const client = new RegistryClient({ credentials: () => undefined });

beforeAll(async () => {
  registry = await startRegistry();
  root = mkdtempSync(join(tmpdir(), 'layer-chain-'));
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A base image in the registry: one platform's image, or an index of several. */
async function pushBase(repo: string, platforms: Record<string, string[]>): Promise<string> {
  const images: Array<{ arch: string; digest: string; size: number }> = [];
  for (const [arch, diffIds] of Object.entries(platforms)) {
    const config = await registry.putBlob(repo, Buffer.from(configOf(arch, diffIds)));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [],
    });
    const digest = await registry.putManifest(repo, sha(manifest), OCI_MANIFEST, manifest);
    images.push({ arch, digest, size: Buffer.byteLength(manifest) });
  }
  if (images.length === 1) return images[0]?.digest ?? '';
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: images.map((i) => ({
      mediaType: OCI_MANIFEST,
      digest: i.digest,
      size: i.size,
      platform: { os: 'linux', architecture: i.arch },
    })),
  });
  return registry.putManifest(repo, sha(index), OCI_INDEX, index);
}

/** An OCI layout holding the built images: one, or an index of them. */
function layoutOf(
  name: string,
  platforms: Record<string, string[]>,
  variants: Record<string, string> = {},
): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const blob = (text: string): string => {
    const digest = sha(text);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), text);
    return digest;
  };
  const manifests = Object.entries(platforms).map(([arch, diffIds]) =>
    blob(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { digest: blob(configOf(arch, diffIds, variants[arch])) },
      }),
    ),
  );
  const top =
    manifests.length === 1
      ? (manifests[0] ?? '')
      : blob(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_INDEX,
            manifests: manifests.map((digest) => ({ digest })),
          }),
        );
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ digest: top }] }));
  return dir;
}

describe('checkLayerChain', () => {
  it('passes an image built on the verified base: its layers begin with the base image’s', async () => {
    const digest = await pushBase('base/one', { amd64: [layer('a'), layer('b')] });
    const built = layoutOf('good', { amd64: [layer('a'), layer('b'), layer('app')] });
    await expect(
      checkLayerChain(built, { name: `${registry.host}/base/one:stable`, digest }, client),
    ).resolves.toBe("; layers begin with the verified base's (1 checked)");
  });

  it('refuses an image built on another image under the verified name (a local image the runner already held)', async () => {
    const digest = await pushBase('base/two', { amd64: [layer('a'), layer('b')] });
    const built = layoutOf('poisoned', { amd64: [layer('evil'), layer('b'), layer('app')] });
    const error = await checkLayerChain(built, { name: `${registry.host}/base/two`, digest }, client).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^The built image sha256:[0-9a-f]{64} \\(linux/amd64\\) does not begin with the layers of the verified base image ${registry.host}/base/two@${digest}, so nothing is tagged or signed`,
      ),
    );
  });

  it('per platform of an index: each built image against the base’s image of its platform', async () => {
    const digest = await pushBase('base/multi', { amd64: [layer('x86')], arm64: [layer('arm')] });
    const good = layoutOf('multi-good', {
      amd64: [layer('x86'), layer('app')],
      arm64: [layer('arm'), layer('app')],
    });
    await expect(
      checkLayerChain(good, { name: `${registry.host}/base/multi`, digest }, client),
    ).resolves.toBe("; layers begin with the verified base's (2 checked)");
    // The arm64 image built on the amd64 base's layers: not what the verified index holds for arm64.
    const crossed = layoutOf('multi-crossed', { amd64: [layer('x86')], arm64: [layer('x86'), layer('app')] });
    await expect(
      checkLayerChain(crossed, { name: `${registry.host}/base/multi`, digest }, client),
    ).rejects.toThrow(/\(linux\/arm64\) does not begin with the layers/);
    // arm64 with variant v8 on one side only is the same platform.
    const v8 = layoutOf(
      'multi-v8',
      { amd64: [layer('x86')], arm64: [layer('arm'), layer('app')] },
      { arm64: 'v8' },
    );
    await expect(checkLayerChain(v8, { name: `${registry.host}/base/multi`, digest }, client)).resolves.toBe(
      "; layers begin with the verified base's (2 checked)",
    );
    const other = layoutOf('multi-other', { amd64: [layer('x86')], s390x: [layer('s390')] });
    await expect(
      checkLayerChain(other, { name: `${registry.host}/base/multi`, digest }, client),
    ).rejects.toThrow(
      /\(linux\/s390x\) does not begin with the layers of the verified base image .* \(it has no linux\/s390x image\)/,
    );
  });
});
