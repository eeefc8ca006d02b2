import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listeningAddresses } from '../harness/ports.js';
import { pushBaseImage, startRegistry, type Registry } from '../harness/registry.js';

interface OciManifest {
  mediaType: string;
  config: { digest: string };
  layers: Array<{ digest: string; mediaType: string }>;
}

/** Names of the entries of an uncompressed tar archive. */
function tarEntries(tar: Buffer): Array<{ name: string; type: string; link: string }> {
  const entries: Array<{ name: string; type: string; link: string }> = [];
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number): string =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    entries.push({ name: field(0, 100), type: field(156, 1), link: field(157, 100) });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

describe('startRegistry', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry.stop();
  });

  it('serves the distribution API on 127.0.0.1 and nowhere else', async () => {
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    const response = await fetch(`${registry.url}/v2/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    const port = Number(registry.host.split(':')[1]);
    expect(listeningAddresses(port)).toEqual(['127.0.0.1']);
  });

  it('takes a pushed busybox base image and serves its manifest with the digest buildah reported', async () => {
    const pushed = await pushBaseImage(registry, 'library/base', '1.0');
    expect(pushed.ref).toBe(`${registry.host}/library/base:1.0`);
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const byTag = await registry.manifest('library/base', '1.0');
    expect(byTag?.digest).toBe(pushed.digest);
    expect(byTag?.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(
      `sha256:${createHash('sha256')
        .update(byTag?.raw ?? '')
        .digest('hex')}`,
    ).toBe(pushed.digest);
    const byDigest = await registry.manifest('library/base', pushed.digest);
    expect(byDigest?.digest).toBe(pushed.digest);
    expect(await registry.tags('library/base')).toEqual(['1.0']);

    // The one layer holds the static busybox and the /bin/sh link to it.
    const manifest = byTag?.body as OciManifest;
    expect(manifest.layers).toHaveLength(1);
    const layer = await registry.blob('library/base', manifest.layers[0]?.digest ?? '');
    const entries = tarEntries(gunzipSync(layer ?? Buffer.alloc(0)));
    const names = entries.map((e) => e.name.replace(/^\.?\//, ''));
    expect(names).toContain('bin/busybox');
    expect(entries.find((e) => e.name.replace(/^\.?\//, '') === 'bin/sh')).toMatchObject({
      type: '2',
      link: 'busybox',
    });
    const config = JSON.parse(
      (await registry.blob('library/base', manifest.config.digest))?.toString('utf8') ?? '{}',
    ) as {
      config?: { Cmd?: string[] };
    };
    expect(config.config?.Cmd).toEqual(['/bin/sh']);
  });

  it('pushes a repo:tag once however often it is asked for', async () => {
    const [a, b] = await Promise.all([
      pushBaseImage(registry, 'once', 'v1'),
      pushBaseImage(registry, 'once', 'v1'),
    ]);
    const again = await pushBaseImage(registry, 'once', 'v1');
    expect(a).toEqual(b);
    expect(again).toEqual(a);
    expect(registry.requests().filter((r) => r === 'PUT /v2/once/manifests/v1')).toHaveLength(1);
    // A second tag reuses the image built for this registry: same digest.
    const other = await pushBaseImage(registry, 'once', 'v2');
    expect(other.digest).toBe(a.digest);
  });

  it('answers undefined and [] for what it does not have', async () => {
    expect(await registry.manifest('nothing/here', 'latest')).toBeUndefined();
    expect(await registry.tags('nothing/here')).toEqual([]);
    expect(await registry.blob('nothing/here', `sha256:${'0'.repeat(64)}`)).toBeUndefined();
  });

  it('logs the requests it served', async () => {
    await registry.manifest('library/base', '1.0');
    expect(registry.requests()).toContain('GET /v2/library/base/manifests/1.0');
  });
});

describe('startRegistry with auth', () => {
  let registry: Registry;
  const auth = { username: 'ci', password: 'p4ss-word' };
  beforeAll(async () => {
    registry = await startRegistry({ auth });
  });
  afterAll(async () => {
    await registry.stop();
  });

  it('wants the credentials, and takes them', async () => {
    const anonymous = await fetch(`${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`${registry.url}/v2/`, {
      headers: { Authorization: `Basic ${Buffer.from('ci:nope').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    const pushed = await pushBaseImage(registry, 'private/base', '1');
    expect((await registry.manifest('private/base', '1'))?.digest).toBe(pushed.digest);
  });
});

describe('Registry.stop', () => {
  it('ends the registry process and removes its data', async () => {
    const registry = await startRegistry();
    await pushBaseImage(registry, 'gone', '1');
    await registry.stop();
    expect(existsSync(registry.dataDir)).toBe(false);
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
    const port = Number(registry.host.split(':')[1]);
    expect(listeningAddresses(port)).toEqual([]);
    await registry.stop(); // a second stop is harmless
  });
});
