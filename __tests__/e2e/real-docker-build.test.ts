// `builder: docker` for real, through dist/index.js: the real buildx (built by scripts/install-real-tools.sh) with
// both builders a GitHub runner has, each started by the harness on a private socket: the Docker engine's own
// (`docker` driver, dockerd with vfs and no bridge) and a BuildKit daemon behind a `remote` driver builder (what
// setup-buildx-action's docker-container builder amounts to). Images reach the real registry; digests are read
// back from it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  realTools,
  skipReason,
  startBuildkitd,
  startDockerd,
  type Buildkitd,
  type Dockerd,
} from '../harness/real-tools.js';
import { startRegistry } from '../harness/registry.js';
import { visibleStdout } from './expectations.js';
import { explain, imageConfig, startOfflineWorld, type OfflineWorld } from './offline-world.js';

const missing = skipReason(['buildx', 'buildkitd', 'buildctl'], 'real docker builder end-to-end tests');
const suite = missing ? describe.skip : describe;

let world: OfflineWorld;
let dockerd: Dockerd;
let buildkitd: Buildkitd;
let images = 0;

beforeAll(async () => {
  if (missing) return;
  const tools = realTools(['buildx', 'buildkitd', 'buildctl']).tools;
  if (!tools) return;
  world = await startOfflineWorld();
  [dockerd, buildkitd] = await Promise.all([startDockerd(tools), startBuildkitd(tools)]);
}, 180_000);

afterAll(async () => {
  await Promise.all([dockerd?.stop(), buildkitd?.stop()]);
  await world?.stop();
}, 60_000);

type Driver = 'docker' | 'remote';
// The images are pushed by digest, which buildx's `docker` driver cannot do (without the containerd image store,
// which dockerd 20.10 here does not have): the builds run on the remote driver, and the docker driver's refusal is
// checked below.
const DRIVERS: Driver[] = ['remote'];

/** The step's environment on a runner with that builder: the engine's socket, or the builder setup-buildx made. */
function builderEnv(driver: Driver): Record<string, string> {
  return driver === 'docker'
    ? { DOCKER_HOST: dockerd.host, DOCKER_CONFIG: dockerd.dockerConfig }
    : // The builder is the one `docker buildx create --use` made current, as setup-buildx-action leaves it.
      { DOCKER_CONFIG: buildkitd.dockerConfig };
}

/**
 * The example's workspace for that builder. dockerd runs with `--bridge=none` (no iptables, no bridge: nothing of the
 * machine's network touched), so its builder has no network for RUN steps ("network bridge not found"; they would need
 * `--network host`); for it the build stage copies instead of running. BuildKit's OCI worker runs them on the host
 * network.
 */
function workspaceFor(driver: Driver): string {
  const ws = world.workspace();
  if (driver === 'docker') {
    const file = join(ws, 'app', 'Dockerfile');
    const text = readFileSync(file, 'utf8');
    const replaced = text.replace(/^RUN .*$/m, 'COPY hello.sh /src/app.sh');
    if (replaced === text) throw new Error('the example has no RUN line to replace');
    writeFileSync(file, replaced);
  }
  return ws;
}

interface ImageConfig {
  config: { Labels?: Record<string, string>; Entrypoint?: string[]; User?: string };
}

suite.each(DRIVERS)('builder: docker, %s driver', (driver) => {
  it('builds the multi-stage example with build-args and labels, pushes the tags; the digest is the registry’s', async () => {
    const repo = `acme/docker-${driver}-${++images}`;
    const image = `${world.registry.host}/${repo}`;
    const result = await world.run({
      workspace: workspaceFor(driver),
      inputs: {
        builder: 'docker',
        image,
        tags: 'v1\nlatest',
        'build-args': `REGISTRY=${world.registry.host}\nGREETING=bonjour`,
        labels: 'team=core',
      },
      env: builderEnv(driver),
    });
    if (result.exitCode !== 0) throw new Error(explain(result));
    expect(result.stdout).toMatch(/docker buildx build/);
    // What real BuildKit says it resolved (its provenance in buildx's metadata file) was checked against the gate.
    expect(result.summary).toMatch(
      /the builder used only verified digests \(BuildKit's provenance: [1-9]\d* checked\): /,
    );
    // Each image BuildKit resolved, by the name the check gave it and the digest BuildKit used, with its FROM lines.
    expect(result.summary).toContain(
      `${world.registry.host}/secure-image/busybox:stable@${world.base.digest.slice(0, 19)}… (lines 6, 11)`,
    );
    const [v1, latest] = await Promise.all([
      world.registry.manifest(repo, 'v1'),
      world.registry.manifest(repo, 'latest'),
    ]);
    expect(result.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(v1?.digest).toBe(result.outputs.digest);
    expect(latest?.digest).toBe(result.outputs.digest);
    // One image, not an index with a provenance attestation: what is scanned and signed is what was built.
    expect(v1?.mediaType).toMatch(/manifest\.v1\+json|manifest\.v2\+json/);

    const config = (await imageConfig(
      world.registry,
      repo,
      result.outputs.digest ?? '',
    )) as unknown as ImageConfig;
    expect(config.config.Labels).toEqual(
      expect.objectContaining({ team: 'core', 'org.example.greeting': 'bonjour' }),
    );
    expect(config.config.User).toBe('65532');
    expect(config.config.Entrypoint).toEqual(['/bin/sh', '/app/hello.sh']);
    expect(result.outputs.signed).toBe('true');
  }, 240_000);

  it('target: builds and pushes the named stage only', async () => {
    const repo = `acme/docker-target-${driver}-${++images}`;
    const result = await world.run({
      workspace: workspaceFor(driver),
      inputs: { builder: 'docker', image: `${world.registry.host}/${repo}`, tags: 'build', target: 'build' },
      env: builderEnv(driver),
    });
    if (result.exitCode !== 0) throw new Error(explain(result));
    const pushed = await world.registry.manifest(repo, 'build');
    expect(pushed?.digest).toBe(result.outputs.digest);
    const config = (await imageConfig(
      world.registry,
      repo,
      result.outputs.digest ?? '',
    )) as unknown as ImageConfig;
    // The final stage's LABEL, USER and ENTRYPOINT are not in the build stage.
    expect(config.config.Labels?.['org.example.greeting']).toBeUndefined();
    expect(config.config.User ?? '').toBe('');
  }, 240_000);

  it('with registry-username/password the build still runs on the job’s builder and pushes with that login', async () => {
    const password = 'docker-builder-login-9';
    const secured = await startRegistry({ auth: { username: 'pusher', password } });
    try {
      const repo = `acme/docker-login-${driver}-${++images}`;
      const result = await world.run({
        workspace: workspaceFor(driver),
        inputs: {
          builder: 'docker',
          image: `${secured.host}/${repo}`,
          tags: 'v1',
          'registry-username': 'pusher',
          'registry-password': password,
        },
        env: builderEnv(driver),
      });
      if (result.exitCode !== 0) throw new Error(explain(result));
      expect((await secured.manifest(repo, 'v1'))?.digest).toBe(result.outputs.digest);
      expect(visibleStdout(result)).not.toContain(password);
    } finally {
      await secured.stop();
    }
  }, 240_000);
});

suite('builder: docker, docker driver', () => {
  it('cannot push by digest: the error says to set up a docker-container builder, and nothing is pushed', async () => {
    const repo = `acme/docker-driver-${++images}`;
    const result = await world.run({
      workspace: workspaceFor('docker'),
      inputs: { builder: 'docker', image: `${world.registry.host}/${repo}`, tags: 'v1' },
      env: builderEnv('docker'),
    });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/push-by-digest is currently not implemented for docker driver/);
    expect(error).toMatch(/Add docker\/setup-buildx-action before this step .* Nothing was pushed\.$/s);
    expect(await world.registry.tags(repo)).toEqual([]);
    expect(result.outputs.digest).toBeUndefined();
  }, 240_000);
});

suite('builder: docker, remote driver (BuildKit runs RUN steps)', () => {
  it('a failing RUN fails the build with buildx’s words, and nothing is pushed', async () => {
    const ws = world.workspace();
    const file = join(ws, 'app', 'Dockerfile');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('USER 65532', 'RUN echo about to fail >&2 && exit 3\nUSER 65532'),
    );
    const repo = `acme/docker-failing-remote-${++images}`;
    const result = await world.run({
      workspace: ws,
      inputs: { builder: 'docker', image: `${world.registry.host}/${repo}` },
      env: builderEnv('remote'),
    });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/^The build failed \(docker exited with code 1\)/);
    expect(error).toMatch(/exit code: 3/);
    expect(await world.registry.tags(repo)).toEqual([]);
  }, 240_000);
});
