// Plan-level tests: the argv each builder gets. buildx and podman cannot run here (no Docker engine, no
// podman), so their plans are checked as tables; buildah's plan also runs for real in the e2e suite.
import { describe, expect, it } from '@jest/globals';
import { buildxPlan, containersPlan } from '../../src/build/plan.js';
import { ociAnnotations, ociLabels } from '../../src/build/labels.js';
import { parseAnnotations, parseCache } from '../../src/build/options.js';
import type { BuildRequest } from '../../src/build/types.js';
import type { GithubContext } from '../../src/github-context.js';

const request: BuildRequest = {
  context: '/ws/app',
  dockerfile: '/tmp/w/Dockerfile.pinned',
  buildArgs: [{ key: 'GREETING', value: 'hi there' }],
  target: 'runtime',
  platforms: [],
  labels: [{ key: 'org.opencontainers.image.revision', value: 'abc' }],
  tags: ['127.0.0.1:5000/acme/app:1', 'ghcr.io/acme/app:1'],
  push: true,
  workDir: '/tmp/w',
  authFile: '/tmp/w/auth/config.json',
  insecureRegistries: ['127.0.0.1:5000'],
};

const buildFlags = [
  '--file',
  '/tmp/w/Dockerfile.pinned',
  '--tag',
  '127.0.0.1:5000/acme/app:1',
  '--tag',
  'ghcr.io/acme/app:1',
  '--build-arg',
  'GREETING=hi there',
  '--label',
  'org.opencontainers.image.revision=abc',
  '--target',
  'runtime',
];

describe('buildah and podman plans', () => {
  it.each(['buildah', 'podman'] as const)(
    '%s: one build, then an OCI layout the action pushes by digest; the builder pushes no tag',
    (builder) => {
      const plan = containersPlan(builder, request);
      expect(plan.command).toBe(builder);
      expect(plan.commands.map((c) => c.args)).toEqual([
        // TLS stays on for the build: only the loopback registry is plain HTTP, through registries.conf.
        ['build', ...buildFlags, '/ws/app'],
        ['push', '127.0.0.1:5000/acme/app:1', 'oci:/tmp/w/image.oci'],
      ]);
      expect(plan.registriesConf).toEqual({ path: '/tmp/w/registries.conf', insecure: ['127.0.0.1:5000'] });
      expect(plan.layout).toBe('/tmp/w/image.oci');
      expect(plan.commands.some((c) => c.args.some((a) => a.startsWith('docker://')))).toBe(false);
    },
  );

  it('several platforms: the manifest list goes to the layout with --all', () => {
    const plan = containersPlan('buildah', {
      ...request,
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['ghcr.io/acme/app:1'],
      authFile: undefined,
      insecureRegistries: [],
    });
    expect(plan.commands[0]?.args).not.toContain('--tls-verify=false');
    expect(plan.commands[0]?.args).toEqual(
      expect.arrayContaining([
        '--platform',
        'linux/amd64,linux/arm64',
        '--manifest',
        'ghcr.io/acme/app-secure-image-list',
      ]),
    );
    expect(plan.commands[1]?.args).toEqual([
      'manifest',
      'push',
      '--all',
      'ghcr.io/acme/app-secure-image-list',
      'oci:/tmp/w/image.oci',
    ]);
  });

  it("passes the Dockerfile's own .dockerignore, which BuildKit would read", () => {
    const plan = containersPlan('buildah', { ...request, ignoreFile: '/ws/app/Dockerfile.dockerignore' });
    expect(plan.commands[0]?.args).toEqual(
      expect.arrayContaining(['--ignorefile', '/ws/app/Dockerfile.dockerignore']),
    );
    expect(
      buildxPlan({ ...request, ignoreFile: '/ws/app/Dockerfile.dockerignore' }).commands[0]?.args,
    ).not.toContain('--ignorefile');
  });

  it('no push: an OCI archive and no registry at all', () => {
    const plan = containersPlan('podman', { ...request, push: false });
    expect(plan.archive).toBe('/tmp/w/image.oci.tar');
    expect(plan.commands.slice(1).map((c) => c.args)).toEqual([
      ['push', '127.0.0.1:5000/acme/app:1', 'oci-archive:/tmp/w/image.oci.tar:127.0.0.1:5000/acme/app:1'],
    ]);
    expect(plan.commands.some((c) => c.args.some((a) => a.startsWith('docker://')))).toBe(false);
  });
});

describe('buildx plan', () => {
  it('builds and pushes by digest in one command, no tag, digest from the metadata file, no provenance index', () => {
    const plan = buildxPlan({
      ...request,
      platforms: ['linux/amd64', 'linux/arm64'],
      repository: 'ghcr.io/acme/app',
    });
    expect(plan.command).toBe('docker');
    expect(plan.metadataFile).toBe('/tmp/w/buildx-metadata.json');
    expect(plan.commands).toHaveLength(1);
    expect(plan.commands[0]?.args).toEqual([
      'buildx',
      'build',
      ...buildFlags.filter((f, i, all) => f !== '--tag' && all[i - 1] !== '--tag'),
      '--metadata-file',
      '/tmp/w/buildx-metadata.json',
      '--platform',
      'linux/amd64,linux/arm64',
      '--provenance=false',
      '--output',
      'type=image,name=ghcr.io/acme/app,push-by-digest=true,name-canonical=true,push=true',
      '/ws/app',
    ]);
  });

  it('no push: exports every platform into one OCI archive', () => {
    const plan = buildxPlan({ ...request, push: false });
    expect(plan.commands[0]?.args).toEqual(
      expect.arrayContaining(['--output', 'type=oci,dest=/tmp/w/image.oci.tar']),
    );
    expect(plan.commands[0]?.args).not.toContain('--push');
    expect(plan.archive).toBe('/tmp/w/image.oci.tar');
  });
});

describe('OCI labels', () => {
  const github = { repository: 'acme/app', sha: 'abc123', serverUrl: 'https://github.com' } as GithubContext;
  it('adds source, revision, created and the base image; user labels win', () => {
    const labels = ociLabels(
      github,
      new Date('2026-11-22T00:00:00Z'),
      { name: 'gcr.io/distroless/static:nonroot', digest: 'sha256:1' },
      [{ key: 'org.opencontainers.image.source', value: 'https://example.com/mine' }],
    );
    expect(labels).toEqual([
      { key: 'org.opencontainers.image.revision', value: 'abc123' },
      { key: 'org.opencontainers.image.created', value: '2026-11-22T00:00:00.000Z' },
      { key: 'org.opencontainers.image.base.name', value: 'gcr.io/distroless/static:nonroot' },
      { key: 'org.opencontainers.image.base.digest', value: 'sha256:1' },
      { key: 'org.opencontainers.image.source', value: 'https://example.com/mine' },
    ]);
  });
});

const cache = (input: 'cache-from' | 'cache-to', text: string) =>
  parseCache(
    input,
    text.split('\n').map((t, i) => ({ text: t, line: i + 1 })),
  ).values;
const annotations = (text: string) =>
  parseAnnotations(text.split('\n').map((t, i) => ({ text: t, line: i + 1 }))).values;

describe('builder parity: secrets, ssh, cache, annotations', () => {
  const parity: BuildRequest = {
    ...request,
    target: undefined,
    tags: ['ghcr.io/acme/app:1'],
    buildArgs: [],
    labels: [],
    insecureRegistries: [],
    secrets: [
      { id: 'token', src: '/tmp/w/build-secrets-x/0' },
      { id: 'npmrc', src: '/home/me/.npmrc' },
    ],
    ssh: ['default', 'deploy=/keys/deploy'],
  };
  // Only file paths and ids: the values stay in the files.
  const secretAndSshFlags = [
    '--secret',
    'id=token,src=/tmp/w/build-secrets-x/0',
    '--secret',
    'id=npmrc,src=/home/me/.npmrc',
    '--ssh',
    'default',
    '--ssh',
    'deploy=/keys/deploy',
  ];

  it('buildx: secrets by file path, ssh, caches as lists, annotations with their levels; gha cache env by name only', () => {
    const plan = buildxPlan({
      ...parity,
      repository: 'ghcr.io/acme/app',
      cacheFrom: cache('cache-from', 'type=gha,scope=main\nghcr.io/acme/app:cache'),
      cacheTo: cache('cache-to', 'type=gha,mode=max'),
      annotations: annotations(
        'index:org.opencontainers.image.title=App\nmanifest,index[linux/amd64]:team=core\nplain=1',
      ),
    });
    expect(plan.commands[0]?.args).toEqual([
      'buildx',
      'build',
      '--file',
      '/tmp/w/Dockerfile.pinned',
      ...secretAndSshFlags,
      '--metadata-file',
      '/tmp/w/buildx-metadata.json',
      '--annotation',
      'index:org.opencontainers.image.title=App',
      '--annotation',
      'manifest,index[linux/amd64]:team=core',
      '--annotation',
      'plain=1',
      '--cache-from',
      'type=gha,scope=main',
      '--cache-from',
      'type=registry,ref=ghcr.io/acme/app:cache',
      '--cache-to',
      'type=gha,mode=max',
      '--provenance=false',
      '--output',
      'type=image,name=ghcr.io/acme/app,push-by-digest=true,name-canonical=true,push=true',
      '/ws/app',
    ]);
    expect(plan.passEnv).toEqual([
      'SSH_AUTH_SOCK',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_CACHE_URL',
      'ACTIONS_RESULTS_URL',
      'ACTIONS_CACHE_SERVICE_V2',
    ]);
  });

  it('buildah and podman: one registry cache with --layers, manifest annotations, the same secret and ssh flags', () => {
    for (const builder of ['buildah', 'podman'] as const) {
      const plan = containersPlan(builder, {
        ...parity,
        cacheFrom: cache('cache-from', 'type=registry,ref=ghcr.io/acme/cache'),
        cacheTo: cache('cache-to', 'type=registry,ref=ghcr.io/acme/cache,mode=max'),
        annotations: annotations('org.opencontainers.image.title=App'),
      });
      expect(plan.commands[0]?.args).toEqual([
        'build',
        '--file',
        '/tmp/w/Dockerfile.pinned',
        '--tag',
        'ghcr.io/acme/app:1',
        ...secretAndSshFlags,
        '--annotation',
        'org.opencontainers.image.title=App',
        '--layers',
        '--cache-from',
        'ghcr.io/acme/cache',
        '--cache-to',
        'ghcr.io/acme/cache',
        '/ws/app',
      ]);
      expect(plan.passEnv).toEqual(['SSH_AUTH_SOCK']);
    }
  });

  it('buildah refuses what it cannot do, naming itself and the input', () => {
    expect(() =>
      containersPlan('buildah', {
        ...parity,
        cacheFrom: cache('cache-from', 'type=gha'),
        cacheTo: cache('cache-to', 'type=inline'),
        annotations: annotations('index:a=b'),
      }),
    ).toThrow(
      new RegExp(
        [
          'Input `cache-from`: buildah cannot use a type=gha cache .*Use `builder: docker`',
          'Input `cache-to`: buildah cannot use a type=inline cache',
          'Input `annotations`: buildah annotates the image manifest only; "index:a" needs `builder: docker`',
        ].join('[\\s\\S]*'),
      ),
    );
    expect(() =>
      containersPlan('podman', {
        ...parity,
        cacheTo: cache('cache-to', 'type=registry,ref=a/b\ntype=registry,ref=c/d'),
      }),
    ).toThrow(/Input `cache-to`: podman takes one cache repository; 2 are given/);
  });

  it('the action annotates with the OCI keys too, at the levels it is given; a user annotation wins', () => {
    const github = {
      repository: 'acme/app',
      sha: 'abc123',
      serverUrl: 'https://github.com',
    } as GithubContext;
    expect(
      ociAnnotations(
        github,
        new Date('2026-11-22T00:00:00Z'),
        { name: 'busybox', digest: 'sha256:1' },
        ['manifest', 'index'],
        [{ levels: ['manifest'], key: 'org.opencontainers.image.revision', value: 'mine' }],
      ),
    ).toEqual([
      {
        levels: ['manifest', 'index'],
        key: 'org.opencontainers.image.source',
        value: 'https://github.com/acme/app',
      },
      {
        levels: ['manifest', 'index'],
        key: 'org.opencontainers.image.created',
        value: '2026-11-22T00:00:00.000Z',
      },
      { levels: ['manifest', 'index'], key: 'org.opencontainers.image.base.name', value: 'busybox' },
      { levels: ['manifest', 'index'], key: 'org.opencontainers.image.base.digest', value: 'sha256:1' },
      { levels: ['manifest'], key: 'org.opencontainers.image.revision', value: 'mine' },
    ]);
  });
});
