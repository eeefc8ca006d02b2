// A self-hosted runner's container storage is shared between jobs: an image already there under a name the
// Dockerfile uses is found by the builder even with --pull=never. Through dist/index.js with the real registry and
// the real buildah (1.28, no heredocs), a build cache on (`--layers`, whose base record names an intermediate image,
// not a registry digest): what the image is made of is checked against the verified base's layers.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildah } from '../harness/registry.js';
import { useOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;
useOfflineWorld((started) => (world = started));

describe("an image already in the runner's storage", () => {
  it('under a name a hidden FROM uses, with a build cache: nothing is pushed, tagged or signed', async () => {
    // A previous job left `evil/unsigned:latest` in the storage this job's buildah uses: the verified busybox with a
    // file of its own on top.
    const storage = join(world.dir, 'containers');
    const container = await buildah(storage, [
      'from',
      '--tls-verify=false',
      `${world.registry.host}/secure-image/busybox@${world.base.digest}`,
    ]);
    const planted = join(world.dir, 'planted.txt');
    writeFileSync(planted, 'pwned\n');
    await buildah(storage, ['copy', container, planted, '/pwned.txt']);
    await buildah(storage, ['commit', container, `${world.registry.host}/evil/unsigned:latest`]);
    await buildah(storage, ['rm', container]);

    const repo = 'acme/local-storage';
    const ws = world.workspace();
    writeFileSync(
      join(ws, 'app', 'Dockerfile'),
      [
        `ARG REGISTRY=${world.registry.host}`,
        'FROM ${REGISTRY}/secure-image/busybox:stable AS app',
        'COPY <<CMD /notes.txt',
        'FROM ${REGISTRY}/evil/unsigned:latest',
        'LABEL pwned=built-from-a-local-image',
        'CMD',
        '',
      ].join('\n'),
    );
    const cache = `${world.registry.host}/acme/local-storage-cache`;
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/${repo}`,
        tags: 'v1',
        'cache-from': `type=registry,ref=${cache}`,
        'cache-to': `type=registry,ref=${cache}`,
      },
      workspace: ws,
      scenario: world.signedBase(),
    });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error' && a.title === undefined)?.message ?? '';
    // The builder's own record names the local image (or, where the check reads the Dockerfile as this buildah
    // does, the base-image check refuses it before the build).
    expect(error).toMatch(
      /^The build used an image the base-image check never verified, so nothing is tagged or signed:\n- .*\/evil\/unsigned:latest \(sha256:[0-9a-f]{64}\)|base images? do(es)? not meet the trust policy/,
    );
    // Nothing of the image reached the registry; nothing was signed.
    expect(
      world.registry.requests().filter((r) => /^(POST|PUT|PATCH) /.test(r) && r.includes(`/v2/${repo}/`)),
    ).toEqual([]);
    expect(await world.registry.tags(repo)).toEqual([]);
    expect(world.standins.calls('cosign').filter((c) => c.command === 'sign')).toEqual([]);
    expect(result.outputs.signed).toBe('false');
  }, 180_000);
});
