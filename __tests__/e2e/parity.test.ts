// docker/build-push-action parity through dist/index.js with real buildah and a real registry: annotations on the
// pushed manifest, a registry build cache written and read back, and what buildah cannot do refused by name.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failureOf, flagValues, loggingBuildah } from './adversity.js';
import { DEFAULT_SHA } from '../harness/runner.js';
import { stageRow } from './expectations.js';
import { baseImagesOf, explain, useOfflineWorld, type OfflineWorld } from './offline-world.js';

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
        // buildah's own record of what it built on (the pinned FROM), which the materials check reads: the
        // digest the trust policy verified.
        'org.opencontainers.image.base.name': `${world.registry.host}/secure-image/busybox@${world.base.digest}`,
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

describe('named build contexts', () => {
  it.each(['buildah', 'podman'] as const)(
    '%s: a docker-image:// context is checked and pinned as its FROM would be; a directory context is listed as unverified',
    async (builder) => {
      const ws = world.workspace();
      const dockerfile = join(ws, 'app', 'Dockerfile');
      writeFileSync(
        dockerfile,
        [
          'FROM mybase',
          'COPY --from=extra greeting.txt /greeting.txt',
          'COPY hello.sh /app/hello.sh',
          'USER 65532',
          '',
        ].join('\n'),
      );
      mkdirSync(join(ws, 'extra'));
      writeFileSync(join(ws, 'extra', 'greeting.txt'), 'hi\n');
      const buildah = loggingBuildah(join(world.dir, `${builder}-contexts`), `/usr/bin/${builder}`);
      const base = `${world.registry.host}/secure-image/busybox:stable`;
      const result = await world.run({
        workspace: ws,
        inputs: {
          image: `${world.registry.host}/parity/contexts-${builder}`,
          builder,
          'build-contexts': `mybase=docker-image://${base}\nextra=extra`,
        },
        env: { PATH: `${buildah.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
      });
      ok(result, () => explain(result));
      expect(baseImagesOf(result)).toEqual([
        expect.objectContaining({
          kind: 'context',
          line: 1,
          ref: 'mybase',
          image: base,
          digest: world.base.digest,
          status: 'verified',
        }),
      ]);
      const build = buildah.calls().find((argv) => argv[0] === 'build') ?? [];
      // The context is pinned to the verified digest; the Dockerfile keeps the name the builder looks up.
      expect(flagValues(build, '--build-context')).toEqual([
        `mybase=docker-image://${base}@${world.base.digest}`,
        `extra=${join(ws, 'extra')}`,
      ]);
      expect(result.summary).toMatch(
        /Unverified build input: the named context `extra` \(.*extra\) replaces the reference on line 2/,
      );
      // The image the registry holds was built from the named context's verified digest.
      expect(stageRow(result.summary, 'Build')?.detail).toMatch(/the builder used only verified digests/);
    },
    120_000,
  );

  it('a docker-image:// context the trust policy rejects stops the run before the build', async () => {
    const ws = world.workspace();
    writeFileSync(join(ws, 'app', 'Dockerfile'), 'FROM mybase\nUSER 65532\n');
    const result = await world.run({
      workspace: ws,
      inputs: {
        image: `${world.registry.host}/parity/contexts-denied`,
        'build-contexts': `mybase=docker-image://${world.registry.host}/secure-image/busybox:stable`,
      },
      // No signature for the base image in this world.
      scenario: { cosign: { oidcPublicKeyPem: world.oidc.publicKeyPem, signedImages: [] } },
    });
    expect(result.exitCode).toBe(1);
    expect(failureOf(result)).toMatch(
      /1 base image does not meet the trust policy, reading the Dockerfile as [^\n]*:\n- app\/Dockerfile:1: /,
    );
    expect(result.stdout).not.toMatch(/buildah build/);
    expect(baseImagesOf(result)[0]).toEqual(expect.objectContaining({ kind: 'context', status: 'failed' }));
  }, 120_000);
});

describe('build-contexts on an older buildah', () => {
  it('is refused with the version found and what to do, before anything is pushed', async () => {
    const bin = join(world.dir, 'old-buildah');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'buildah'),
      '#!/bin/sh\necho "buildah version 1.27.3 (image-spec 1.0.2-dev, runtime-spec 1.0.2-dev)"\n',
      {
        mode: 0o755,
      },
    );
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/parity/old-buildah`,
        'build-contexts': `mybase=docker-image://${world.registry.host}/secure-image/busybox:stable`,
      },
      env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    expect(result.exitCode).toBe(1);
    expect(failureOf(result)).toBe(
      'Input `build-contexts` needs buildah 1.28 or later (`--build-context`); this runner has 1.27.3. Install a newer buildah, or use `builder: docker`.',
    );
    expect(await world.registry.tags('parity/old-buildah')).toEqual([]);
  });
});

describe('SLSA provenance', () => {
  it('is attested by the signing identity with the verified base image, the source commit and the builder, and verified', async () => {
    const repo = 'parity/provenance';
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/${repo}`,
        provenance: 'mode=max',
        'build-args': `REGISTRY=${world.registry.host}\nGREETING=hey`,
      },
      env: { GITHUB_WORKFLOW_REF: 'acme/hello/.github/workflows/release.yml@refs/heads/main' },
    });
    ok(result, () => explain(result));
    const digest = result.outputs.digest ?? '';
    const signature = world.standins
      .signatures()
      .find((s) => s.name.endsWith(repo) && s.kind === 'signature');
    const provenance = world.standins
      .signatures()
      .find((s) => s.name.endsWith(repo) && s.predicateType === 'https://slsa.dev/provenance/v1');
    expect(provenance).toEqual(
      expect.objectContaining({ digest, identity: signature?.identity, issuer: signature?.issuer }),
    );
    const predicate = provenance?.predicate as {
      buildDefinition: { externalParameters: Record<string, unknown>; resolvedDependencies: unknown[] };
      runDetails: { builder: { id: string } };
    };
    expect(predicate.buildDefinition.resolvedDependencies).toEqual([
      {
        uri: 'git+https://github.com/acme/hello@refs/heads/main',
        digest: { gitCommit: DEFAULT_SHA },
        name: 'source',
      },
      {
        uri: `oci://${world.registry.host}/secure-image/busybox:stable`,
        digest: { sha256: world.base.digest.replace('sha256:', '') },
        annotations: { kind: 'from', trust: 'verified' },
      },
      { uri: 'pkg:generic/buildah', name: 'builder' },
    ]);
    expect(predicate.buildDefinition.externalParameters).toEqual(
      expect.objectContaining({
        dockerfile: 'app/Dockerfile',
        buildArgs: { REGISTRY: world.registry.host, GREETING: 'hey' },
      }),
    );
    expect(predicate.runDetails.builder.id).toBe(
      'https://github.com/acme/hello/.github/workflows/release.yml@refs/heads/main',
    );
    // Verified like the others, with the signature's identity.
    const verify = world.standins
      .calls('cosign')
      .find(
        (c) => c.command === 'verify-attestation' && flagValues(c.argv, '--type')[0] === 'slsaprovenance1',
      );
    expect(flagValues(verify?.argv ?? [], '--certificate-identity')).toEqual([signature?.identity]);
  }, 120_000);

  it('provenance: false attaches none; a bad value is an input error', async () => {
    const repo = 'parity/no-provenance';
    const result = await world.run({
      inputs: { image: `${world.registry.host}/${repo}`, provenance: 'false' },
    });
    ok(result, () => explain(result));
    expect(
      world.standins
        .signatures()
        .filter((s) => s.name.endsWith(repo))
        .map((s) => s.predicateType ?? s.kind),
    ).toEqual(['signature', 'https://cyclonedx.org/bom', 'https://cosign.sigstore.dev/attestation/vuln/v1']);
    const bad = await world.run({
      inputs: { image: `${world.registry.host}/${repo}`, provenance: 'mode=sometimes' },
    });
    expect(failureOf(bad)).toMatch(
      /Input `provenance` must be `true`, `false`, `mode=min` or `mode=max`; got "mode=sometimes"/,
    );
  }, 120_000);
});
