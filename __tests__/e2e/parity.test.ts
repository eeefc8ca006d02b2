// docker/build-push-action parity through dist/index.js with real buildah and a real registry: annotations on the
// pushed manifest, a registry build cache written and read back, and what buildah cannot do refused by name.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flagValues, loggingBuildah } from './adversity.js';
import { stageRow } from './expectations.js';
import { explain, useOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;
useOfflineWorld((started) => (world = started));

const ok = (result: { exitCode: number }, why: () => string): void =>
  expect({ exitCode: result.exitCode, explain: result.exitCode === 0 ? '' : why() }).toEqual({
    exitCode: 0,
    explain: '',
  });

describe('annotations', () => {
  it("the user's annotations (docker/metadata-action's output as it is) and the action's OCI keys reach the pushed manifest", async () => {
    const repo = 'parity/annotated';
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/${repo}`,
        annotations:
          'manifest:org.opencontainers.image.title=hello\norg.opencontainers.image.revision=from-metadata-action',
      },
    });
    ok(result, () => explain(result));
    const manifest = await world.registry.manifest(repo, result.outputs.digest ?? '');
    const annotations = (manifest?.body as { annotations?: Record<string, string> }).annotations;
    expect(annotations).toEqual(
      expect.objectContaining({
        'org.opencontainers.image.title': 'hello',
        // The user's line wins over the action's own key.
        'org.opencontainers.image.revision': 'from-metadata-action',
        'org.opencontainers.image.source': 'https://github.com/acme/hello',
        'org.opencontainers.image.base.name': `${world.registry.host}/secure-image/busybox:stable`,
        // The digest the trust policy verified.
        'org.opencontainers.image.base.digest': world.base.digest,
        'org.opencontainers.image.created': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    );
  });

  it('an index annotation with buildah, and malformed lines, are errors naming the input, reported together', async () => {
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/parity/refused`,
        builder: 'buildah',
        annotations: 'index:org.opencontainers.image.title=x\nno-equals-sign',
        'cache-to': 'type=gha,mode=sometimes\ntype=inline',
      },
    });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors.join('\n')).toMatch(
      /Input `cache-to`, line 1: "type=gha,mode=sometimes": `mode` must be one of `min`, `max`/,
    );
    expect(errors.join('\n')).toMatch(
      /Input `annotations`, line 2: "no-equals-sign" is not \[level:\]key=value/,
    );
    expect(errors.join('\n')).toMatch(/Input `cache-to`: buildah cannot use a type=inline cache/);
    expect(errors.join('\n')).toMatch(/Input `annotations`: buildah annotates the image manifest only/);
    expect(await world.registry.tags('parity/refused')).toEqual([]);
  });
});

describe('build cache', () => {
  it('buildah writes a registry cache, reads it back on the next run, and the summary says which cache was read', async () => {
    const cacheRepo = `${world.registry.host}/parity/cache`;
    const buildah = loggingBuildah(join(world.dir, 'buildah-cache'));
    const inputs = {
      image: `${world.registry.host}/parity/cached`,
      'cache-from': `type=registry,ref=${cacheRepo}`,
      'cache-to': `type=registry,ref=${cacheRepo},mode=max`,
    };
    const env = { PATH: `${buildah.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` };
    const first = await world.run({ inputs, env });
    ok(first, () => explain(first));
    const build = buildah.calls().find((argv) => argv[0] === 'build') ?? [];
    expect(build).toContain('--layers');
    expect(flagValues(build, '--cache-from')).toEqual([cacheRepo]);
    expect(flagValues(build, '--cache-to')).toEqual([cacheRepo]);
    // The cache reached the registry: buildah pushed layer-cache manifests to the cache repository.
    expect((await world.registry.tags('parity/cache')).length).toBeGreaterThan(0);
    expect(stageRow(first.summary, 'Build')?.detail.replace(/<br>/g, ' ')).toContain(
      `cache read from \`type=registry,ref=${cacheRepo}\`; written to \`type=registry,ref=${cacheRepo},mode=max\``,
    );

    // A second run on a fresh containers storage (another runner) has only the registry's cache to hit.
    const storage = join(world.dir, 'fresh-storage');
    mkdirSync(storage, { recursive: true });
    writeFileSync(
      join(storage, 'storage.conf'),
      `[storage]\ndriver = "vfs"\ngraphroot = "${join(storage, 'root')}"\nrunroot = "${join(storage, 'runroot')}"\n`,
    );
    const second = await world.run({
      inputs,
      env: { ...env, CONTAINERS_STORAGE_CONF: join(storage, 'storage.conf') },
    });
    ok(second, () => explain(second));
    expect(second.stdout).toMatch(/Using cache|cache found|Cache hit/i);
  }, 180_000);

  it('a pull request does not write the registry cache, and says so in the summary', async () => {
    const cacheRepo = `${world.registry.host}/parity/pr-cache`;
    const result = await world.run({
      event: 'pull_request',
      inputs: {
        image: `${world.registry.host}/parity/pr`,
        push: 'false',
        'cache-to': `type=registry,ref=${cacheRepo}`,
      },
    });
    ok(result, () => explain(result));
    expect(await world.registry.tags('parity/pr-cache')).toEqual([]);
    expect(stageRow(result.summary, 'Build')?.detail.replace(/<br>/g, ' ')).toContain(
      `not written to \`type=registry,ref=${cacheRepo}\` (a pull request does not write the default branch's cache)`,
    );
  });
});
