// Publish only what passed, through dist/index.js against the real registry and buildah: what signing needs is
// checked before anything is uploaded; matrix legs push by digest and the merge job assembles, signs and tags one
// index; a bad `merge` entry is refused before anything is written.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { standinKeyPair, useOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;
useOfflineWorld((started) => (world = started));

/** Writes to the registry for a repository: blob uploads and manifest PUTs its access log recorded. */
function writesTo(repo: string): string[] {
  return world.registry.requests().filter((r) => /^(POST|PUT|PATCH) /.test(r) && r.includes(`/v2/${repo}/`));
}

/** The run failed with `message` as its error, and wrote no manifest or blob to `repo` after `before` writes. */
function expectRefusedBeforeWriting(
  result: { exitCode: number; annotations: Array<{ level: string; message: string }> },
  message: RegExp,
  repo: string,
  before: number,
): void {
  expect(result.exitCode).toBe(1);
  expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(message);
  expect(
    writesTo(repo)
      .slice(before)
      .filter((r) => r.startsWith('PUT ')),
  ).toEqual([]);
}

/** A Dockerfile that builds for any platform without running anything: FROM scratch and a COPY. */
function scratchWorkspace(): string {
  const ws = world.workspace();
  writeFileSync(join(ws, 'app', 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
  writeFileSync(join(ws, 'app', 'hello.txt'), 'hello\n');
  return ws;
}

describe('what signing needs is checked before the build', () => {
  it('no id-token permission: the error says so, and nothing reached the registry', async () => {
    const repo = 'acme/no-oidc';
    const result = await world.run({
      inputs: { image: `${world.registry.host}/${repo}`, tags: 'v1' },
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toContain(
      'permissions: id-token: write',
    );
    expect(writesTo(repo)).toEqual([]);
    expect(await world.registry.tags(repo)).toEqual([]);
    expect(result.outputs.digest).toBeUndefined();
  });

  it('a cosign-key whose password is wrong: the error names cosign-password, and nothing reached the registry', async () => {
    const repo = 'acme/wrong-password';
    const key = await standinKeyPair(world, 'the-real-password-1');
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/${repo}`,
        tags: 'v1',
        'cosign-key': key.privatePem,
        'cosign-password': 'not-the-password',
      },
    });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/^Input `cosign-password` does not open `cosign-key`/);
    expect(error).toContain('Nothing was built.');
    expect(writesTo(repo)).toEqual([]);
    expect(result.summary).not.toMatch(/\| Build \| ✅/);
  });
});

describe('several runners, one image', () => {
  it('two push-by-digest legs and a merge: one index of the legs, scanned per platform, signed once, tagged last', async () => {
    const repo = 'acme/matrix';
    const image = `${world.registry.host}/${repo}`;
    const ws = scratchWorkspace();
    const legs = [];
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const leg = await world.run({
        inputs: { image, platforms: platform, 'push-by-digest': 'true', tags: 'v1' },
        workspace: ws,
      });
      expect(leg.exitCode).toBe(0);
      // A leg neither scans, signs nor tags.
      expect(leg.outputs.signed).toBe('false');
      expect(leg.outputs.tags ?? '').toBe('');
      expect(leg.summary).toMatch(
        /\| Sign \| ⏭️ skipped \| +\| `push-by-digest`: the merge job signs the index \|/,
      );
      legs.push(leg.outputs['image-ref'] ?? '');
    }
    expect(await world.registry.tags(repo)).toEqual([]);

    const merged = await world.run({
      inputs: { image, build: 'false', merge: legs.join('\n'), tags: 'v1, latest' },
      workspace: ws,
    });
    expect(merged.exitCode).toBe(0);
    const index = await world.registry.manifest(repo, merged.outputs.digest ?? '');
    const entries = (
      index?.body as { manifests: Array<{ digest: string; platform: { architecture: string } }> }
    ).manifests;
    expect(entries.map((m) => `${image}@${m.digest}`)).toEqual(legs);
    expect(entries.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    // Every tag serves the signed index; the index was signed once, with --recursive for its platforms.
    for (const tag of ['v1', 'latest']) {
      expect((await world.registry.manifest(repo, tag))?.digest).toBe(merged.outputs.digest);
    }
    const signs = world.standins.calls('cosign').filter((c) => c.command === 'sign');
    expect(signs).toHaveLength(1);
    expect(signs[0]?.argv).toContain('--recursive');
    expect(signs[0]?.argv.at(-1)).toBe(`${image}@${merged.outputs.digest}`);
    // One scan per platform of the index.
    const scans = world.standins
      .calls('trivy')
      .filter((c) => c.command === 'image' && !c.argv.includes('--download-db-only'));
    expect(scans.map((c) => c.argv[c.argv.indexOf('--platform') + 1]).sort()).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
  });

  it.each([
    [
      'a digest that does not exist',
      (legs: string[]) => [legs[0] ?? '', `${(legs[0] ?? '').split('@')[0] ?? ''}@sha256:${'e'.repeat(64)}`],
      /^Input `merge`, line 2: .* does not exist in the registry/,
    ],
    [
      'two legs of one platform',
      (legs: string[]) => [legs[0] ?? '', legs[1] ?? ''],
      /^Input `merge`, line 2: sha256:[0-9a-f]{64} is a linux\/amd64 image, and so is line 1/,
    ],
  ])('refuses %s, naming the entry, before anything is written', async (_what, entries, message) => {
    const repo = 'acme/matrix-bad';
    const image = `${world.registry.host}/${repo}`;
    const ws = scratchWorkspace();
    const legs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const leg = await world.run({
        inputs: { image, platforms: 'linux/amd64', 'push-by-digest': 'true' },
        workspace: ws,
      });
      legs.push(leg.outputs['image-ref'] ?? '');
      // A second leg of the same platform with other bytes.
      writeFileSync(join(ws, 'app', 'hello.txt'), `hello ${legs.length}\n`);
    }
    const before = writesTo(repo).length;
    const result = await world.run({
      inputs: { image, build: 'false', merge: entries(legs).join('\n'), tags: 'v1' },
      workspace: ws,
    });
    expectRefusedBeforeWriting(result, message, repo, before);
    expect(await world.registry.tags(repo)).toEqual([]);
  });

  it.each([
    [
      'an index of several platforms instead of one platform’s image',
      (index: string) => index,
      /^Input `merge`, line 2: .*@sha256:[0-9a-f]{64} is an index of several platforms, not one platform's image/,
    ],
    [
      'another repository’s image',
      (index: string) => index.replace('/acme/matrix-index@', '/acme/elsewhere@'),
      /^Input `merge`, line 2: .* is in .*\/acme\/elsewhere, not in `image`/,
    ],
  ])('refuses %s, naming the entry, before anything is written', async (_what, second, message) => {
    const repo = 'acme/matrix-index';
    const image = `${world.registry.host}/${repo}`;
    const ws = scratchWorkspace();
    const legs: string[] = [];
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const leg = await world.run({
        inputs: { image, platforms: platform, 'push-by-digest': 'true' },
        workspace: ws,
      });
      expect(leg.exitCode).toBe(0);
      legs.push(leg.outputs['image-ref'] ?? '');
    }
    // An index of both legs, as a leg that built two platforms would have pushed it.
    const manifests = await Promise.all(
      legs.map(async (ref) => {
        const digest = ref.split('@')[1] ?? '';
        const served = await world.registry.manifest(repo, digest);
        return {
          mediaType: served?.mediaType,
          digest,
          size: Buffer.byteLength(served?.raw ?? ''),
          platform: { os: 'linux', architecture: digest === legs[0]?.split('@')[1] ? 'amd64' : 'arm64' },
        };
      }),
    );
    const indexDigest = await world.registry.putManifest(
      repo,
      'unused-tag',
      'application/vnd.oci.image.index.v1+json',
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
    );
    const before = writesTo(repo).length;
    const result = await world.run({
      inputs: {
        image,
        build: 'false',
        merge: [legs[0] ?? '', second(`${image}@${indexDigest}`)].join('\n'),
        tags: 'v1',
      },
      workspace: ws,
    });
    expectRefusedBeforeWriting(result, message, repo, before);
    expect(await world.registry.tags(repo)).toEqual(['unused-tag']);
  });
});

describe('signature-format', () => {
  it('legacy: cosign signs and attests with the old tag scheme, by the digest', async () => {
    const repo = 'acme/legacy-format';
    const result = await world.run({
      inputs: { image: `${world.registry.host}/${repo}`, tags: 'v1', 'signature-format': 'legacy' },
    });
    expect(result.exitCode).toBe(0);
    for (const command of ['sign', 'attest']) {
      for (const call of world.standins.calls('cosign').filter((c) => c.command === command)) {
        expect(call.argv).toEqual(
          expect.arrayContaining(['--new-bundle-format=false', '--use-signing-config=false']),
        );
      }
    }
  });
});
