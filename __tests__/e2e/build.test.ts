// Build and push through dist/index.js: real buildah, the real registry, digests read back from it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFaultProxy } from '../harness/fault-proxy.js';
import { startRegistry } from '../harness/registry.js';
import { imageConfig, startOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;

beforeAll(async () => {
  world = await startOfflineWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('push', () => {
  it('pushes by digest, then tags last: short and full references, each serving the signed digest', async () => {
    const image = `${world.registry.host}/acme/tags`;
    const result = await world.run({ inputs: { image, tags: `1.2.3, latest\n${image}:edge` } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.tags?.split('\n')).toEqual([`${image}:1.2.3`, `${image}:latest`, `${image}:edge`]);
    const digests = await Promise.all(
      ['1.2.3', 'latest', 'edge'].map((t) => world.registry.manifest('acme/tags', t)),
    );
    expect(new Set(digests.map((d) => d?.digest))).toEqual(new Set([result.outputs.digest]));
    expect(result.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.outputs.signed).toBe('true');
    expect(result.summary).toMatch(/\| Push \| ✅ passed \| .* \| by digest, not tagged yet: /);
    expect(result.summary).toMatch(/\| Tags \| ✅ passed \| .* \| 3 tags → sha256:/);
    // The tags were made after the signature was verified: the stand-in cosign signed a digest no tag named yet.
    const signed = world.standins.calls('cosign').find((c) => c.command === 'sign');
    expect(signed?.argv.at(-1)).toBe(`${image}@${result.outputs.digest}`);
  });

  it('a tag that is a branch name with "/" is refused before anything is built or pushed', async () => {
    const image = `${world.registry.host}/acme/branchy`;
    const result = await world.run({ inputs: { image, tags: 'feature/login' } });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /Input `tags`: "feature\/login" is not a tag: a tag cannot contain `\/`/,
    );
    expect(await world.registry.tags('acme/branchy')).toEqual([]);
    expect(result.outputs.digest).toBeUndefined();
  });

  it('push: false leaves the registry untouched and writes an OCI archive', async () => {
    const result = await world.run({ inputs: { image: `${world.registry.host}/acme/local`, push: 'false' } });
    expect(result.exitCode).toBe(0);
    expect(await world.registry.tags('acme/local')).toEqual([]);
    expect(result.outputs.digest).toBeUndefined();
    expect(result.outputs['image-ref']).toBeUndefined();
    expect(result.outputs.signed).toBe('false');
    expect(result.summary).toMatch(/the image is in an OCI archive on this machine only/);
    const dir = join(result.runnerTemp, readdirName(result.runnerTemp));
    expect(existsSync(join(dir, 'image.oci.tar'))).toBe(true);
    expect(result.summary).toMatch(
      /\| Push \| ⏭️ skipped \| +\| `push: false`: the image stays on this machine \|/,
    );
    expect(result.summary).toMatch(
      /\| Sign \| ⏭️ skipped \| +\| nothing was pushed, so there is no digest to sign \|/,
    );
    expect(result.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual(
      expect.arrayContaining(['Sign skipped: nothing was pushed, so there is no digest to sign.']),
    );
  });

  it('retries a registry that answers 503 twice, then accepts', async () => {
    const proxy = await startFaultProxy(world.registry.url, [
      { method: 'PUT', path: /\/manifests\//, status: 503, times: 2 },
    ]);
    try {
      const result = await world.run({ inputs: { image: `${proxy.host}/acme/flaky`, tags: 'v1' } });
      expect(result.exitCode).toBe(0);
      expect(proxy.log().filter((l) => l.includes('(injected)'))).toHaveLength(2);
      expect(
        result.annotations.filter((a) => /Push of .* failed \(try \d\); trying again/.test(a.message)),
      ).toHaveLength(2);
      expect((await world.registry.manifest('acme/flaky', 'v1'))?.digest).toBe(result.outputs.digest);
    } finally {
      await proxy.stop();
    }
  }, 90_000);

  it('an unreachable registry fails with a clear error that counts the tries', async () => {
    const result = await world.run({ inputs: { image: '127.0.0.1:9/acme/nowhere' } });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/Pushing 127\.0\.0\.1:9\/acme\/nowhere .* failed after 4 tries/);
    // Port 9 is on the fetch standard's list of bad ports, so the refusal comes before any connection.
    expect(error).toMatch(/bad port|connection refused/);
    expect(result.outputs.digest).toBeUndefined();
    expect(result.summary).toMatch(/Failed\*\* at Push/);
  }, 90_000);
});

describe('registry credentials', () => {
  it('registry-username/password log in through a 0600 auth file that is gone afterwards, never argv', async () => {
    const password = 'pa55-word-for-the-test-registry';
    const secured = await startRegistry({ auth: { username: 'pusher', password } });
    try {
      const image = `${secured.host}/acme/private`;
      const result = await world.run({
        inputs: { image, tags: 'v1', 'registry-username': 'pusher', 'registry-password': password },
      });
      expect(result.exitCode).toBe(0);
      expect((await secured.manifest('acme/private', 'v1'))?.digest).toBe(result.outputs.digest);
      expect(result.masks).toContain(password);
      const visible = result.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
      expect(visible).not.toContain(password);
      expect(result.summary).not.toContain(password);
      expect(JSON.stringify(result.outputs)).not.toContain(password);
      for (const tool of ['cosign', 'trivy'] as const) {
        expect(JSON.stringify(world.standins.calls(tool).map((c) => c.argv))).not.toContain(password);
      }
      const leftovers = readdirSync(result.runnerTemp, { recursive: true }).map(String);
      expect(leftovers.filter((f) => f.includes('secure-image-auth'))).toEqual([]);
    } finally {
      await secured.stop();
    }
  });

  it('without credentials, a registry that needs them fails the push with what to do', async () => {
    const secured = await startRegistry({ auth: { username: 'pusher', password: 'another-password-1' } });
    try {
      const result = await world.run({ inputs: { image: `${secured.host}/acme/private` } });
      expect(result.exitCode).toBe(1);
      expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(
        /needs credentials.*log in before this step or set `registry-username` and `registry-password`/,
      );
      expect(result.summary).toMatch(/Failed\*\* at Push/);
    } finally {
      await secured.stop();
    }
  });
});

describe('build', () => {
  it('a Dockerfile syntax error is caught before the build, with the file and line', async () => {
    const ws = world.workspace();
    const file = join(ws, 'app', 'Dockerfile');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nCOPPY nothing /here\n`);
    const result = await world.run({
      workspace: ws,
      inputs: { image: `${world.registry.host}/acme/broken` },
    });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/^app\/Dockerfile:18: unknown instruction: COPPY/i);
    expect(result.stdout).not.toMatch(/buildah build/);
    expect(await world.registry.tags('acme/broken')).toEqual([]);
  });

  it("a failing build step fails with the builder's last lines", async () => {
    const ws = world.workspace();
    const file = join(ws, 'app', 'Dockerfile');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('USER 65532', 'RUN echo about to fail >&2 && exit 3\nUSER 65532'),
    );
    const result = await world.run({
      workspace: ws,
      inputs: { image: `${world.registry.host}/acme/failing` },
    });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/^The build failed \(buildah exited with code \d+\)/);
    expect(error).toMatch(/exit 3|exit status 3/);
    expect(result.summary).toMatch(/Failed\*\* at Build/);
    expect(await world.registry.tags('acme/failing')).toEqual([]);
  });

  it('a <Dockerfile>.dockerignore beside the Dockerfile still applies to the pinned build', async () => {
    const ws = world.workspace();
    writeFileSync(join(ws, 'app', 'Dockerfile.dockerignore'), 'hello.sh\n');
    const result = await world.run({
      workspace: ws,
      inputs: { image: `${world.registry.host}/acme/ignored` },
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /COPY hello\.sh[\s\S]*(filtered out|no items matching)/,
    );
    expect(await world.registry.tags('acme/ignored')).toEqual([]);
  });

  it('digest input: skips the build and checks the digest exists', async () => {
    const pushed = await world.run({ inputs: { image: `${world.registry.host}/acme/given`, tags: 'one' } });
    const digest = pushed.outputs.digest ?? '';
    const result = await world.run({ inputs: { digest: `${world.registry.host}/acme/given@${digest}` } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toMatch(/buildah build/);
    expect(result.outputs.digest).toBe(digest);
    expect(result.outputs['image-ref']).toBe(`${world.registry.host}/acme/given@${digest}`);
    expect(result.summary).toMatch(/`digest` names an image already pushed/);

    const missing = `sha256:${'0'.repeat(64)}`;
    const bad = await world.run({ inputs: { image: `${world.registry.host}/acme/given`, digest: missing } });
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /Input `digest`: .*acme\/given@sha256:0{64} does not exist in the registry/,
    );
  });

  it('labels from the input reach the pushed image config next to the OCI labels', async () => {
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/acme/labels`,
        labels: 'org.opencontainers.image.source=https://example.com/x\nteam=core',
      },
    });
    expect(result.exitCode).toBe(0);
    const config = (await imageConfig(world.registry, 'acme/labels', result.outputs.digest ?? '')) as {
      config: { Labels: Record<string, string> };
    };
    expect(config.config.Labels).toEqual(
      expect.objectContaining({ team: 'core', 'org.opencontainers.image.source': 'https://example.com/x' }),
    );
  });
});

function readdirName(dir: string): string {
  return readdirSync(dir).find((d) => d.startsWith('secure-image-')) ?? '';
}
