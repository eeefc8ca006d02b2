// The thin build runner with a real process standing in for buildx: the digest must come from the metadata file
// buildx writes and be a registry digest, never an image ID or nothing at all (docker/build-push-action #461, #579
// and #906 were exactly these). buildah and podman push nothing themselves (the action uploads their OCI layout
// by digest), which the e2e suite checks against the real registry.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passedEnvironment, runBuildPlan } from '../../src/build/run.js';
import type { BuildPlan } from '../../src/build/types.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const PUSH_BY_DIGEST =
  'type=image,name=127.0.0.1:5000/acme/app,push-by-digest=true,name-canonical=true,push=true';

/** A buildx build that pushes by digest and writes `digest` into its metadata file. */
function buildxWriting(digest: unknown): BuildPlan {
  const dir = mkdtempSync(join(tmpdir(), 'secure-image-buildrun-'));
  const metadataFile = join(dir, 'metadata.json');
  return {
    builder: 'docker',
    command: '/bin/sh',
    commands: [
      {
        label: 'docker buildx build',
        kind: 'build',
        args: [
          '-c',
          'printf "%s" "$1" > "$2"',
          'sh',
          JSON.stringify({ 'containerimage.digest': digest }),
          metadataFile,
          '--output',
          PUSH_BY_DIGEST,
        ],
      },
    ],
    metadataFile,
  };
}

describe('runBuildPlan reads the pushed digest from buildx', () => {
  it('takes a sha256 registry digest', async () => {
    const result = await runBuildPlan(buildxWriting(DIGEST), { cwd: tmpdir(), env: {} });
    expect(result.digest).toBe(DIGEST);
  });

  it.each([
    ['no digest', undefined, /reported no containerimage.digest instead of a sha256 registry digest/],
    [
      'an image ID without its algorithm',
      'b'.repeat(64),
      /reported "b{64}" instead of a sha256 registry digest/,
    ],
    ['an image ID in short form', 'f313afab807', /reported "f313afab807" instead/],
    ['upper-case hex', `sha256:${'A'.repeat(64)}`, /instead of a sha256 registry digest/],
  ])('refuses %s', async (_what, written, message) => {
    await expect(runBuildPlan(buildxWriting(written), { cwd: tmpdir(), env: {} })).rejects.toThrow(message);
  });

  it('a failing build names the builder, its exit code and its last words', async () => {
    const plan: BuildPlan = {
      builder: 'buildah',
      command: '/bin/sh',
      commands: [
        {
          label: 'buildah build',
          kind: 'build',
          args: ['-c', 'echo "error: parse error on line 3: unknown instruction" >&2; exit 125'],
        },
      ],
    };
    await expect(runBuildPlan(plan, { cwd: tmpdir(), env: {} })).rejects.toThrow(
      /The build failed \(buildah exited with code 125\) at Dockerfile line 3:\nerror: parse error on line 3: unknown instruction/,
    );
  });
});

describe('runBuildPlan waits for beforePush before a builder that pushes starts', () => {
  const marks = (dir: string): string[] => {
    try {
      return readFileSync(join(dir, 'marks'), 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };
  const mark = (dir: string, name: string): string[] => [
    '-c',
    'echo "$1" >> "$2"',
    'sh',
    name,
    join(dir, 'marks'),
  ];

  it('buildx pushing by digest: beforePush is awaited before it starts, and a rejection stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secure-image-buildrun-'));
    const order: string[] = [];
    const beforePush = async (): Promise<void> => {
      order.push(`beforePush after [${marks(dir).join(',')}]`);
      return Promise.reject(new Error('no'));
    };
    const plan: BuildPlan = {
      builder: 'docker',
      command: '/bin/sh',
      commands: [
        {
          label: 'docker buildx build',
          kind: 'build',
          args: [...mark(dir, 'build+push'), '--output', PUSH_BY_DIGEST],
        },
      ],
    };
    await expect(runBuildPlan(plan, { cwd: dir, env: {}, beforePush })).rejects.toThrow('no');
    expect(order).toEqual(['beforePush after []']);
    expect(marks(dir)).toEqual([]);
  });

  it('a build that writes only locally (buildah, an OCI layout) never waits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secure-image-buildrun-'));
    let asked = 0;
    const plan: BuildPlan = {
      builder: 'buildah',
      command: '/bin/sh',
      commands: [
        { label: 'buildah build', kind: 'build', args: mark(dir, 'build') },
        { label: 'buildah push to an OCI layout', kind: 'archive', args: mark(dir, 'layout') },
      ],
      layout: join(dir, 'image.oci'),
    };
    const result = await runBuildPlan(plan, { cwd: dir, env: {}, beforePush: async () => void asked++ });
    expect(asked).toBe(0);
    expect(marks(dir)).toEqual(['build', 'layout']);
    expect(result.layout).toBe(join(dir, 'image.oci'));
  });
});

describe('the runner variables a plan asks for', () => {
  const plan = (passEnv: string[]): BuildPlan => ({
    builder: 'docker',
    command: 'docker',
    commands: [],
    passEnv,
  });
  const gha = [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_CACHE_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_SERVICE_V2',
  ];

  it("a gha cache gets the runner's cache service and token in the environment, and nothing else of it", () => {
    expect(
      passedEnvironment(plan(gha), {
        ACTIONS_RUNTIME_TOKEN: 'tok',
        ACTIONS_RESULTS_URL: 'https://results/',
        ACTIONS_CACHE_SERVICE_V2: 'true',
        GITHUB_TOKEN: 'other',
      }),
    ).toEqual({
      ACTIONS_RUNTIME_TOKEN: 'tok',
      ACTIONS_RESULTS_URL: 'https://results/',
      ACTIONS_CACHE_SERVICE_V2: 'true',
    });
  });

  it('without them, or without an agent for ssh, it says what is missing', () => {
    expect(() => passedEnvironment(plan(gha), { ACTIONS_CACHE_URL: 'https://cache/' })).toThrow(
      /A type=gha cache \(`cache-from`\/`cache-to`\) needs ACTIONS_RUNTIME_TOKEN/,
    );
    expect(() => passedEnvironment(plan(['SSH_AUTH_SOCK']), {})).toThrow(/SSH_AUTH_SOCK is not set/);
    expect(passedEnvironment(plan([]), { SSH_AUTH_SOCK: '/a' })).toEqual({});
  });
});
