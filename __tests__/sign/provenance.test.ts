// The SLSA v1 predicate as a verifier reads it: only checked base images are dependencies, and `min` names no
// build parameters.
import { describe, expect, it } from '@jest/globals';
import type { GithubContext } from '../../src/github-context.js';
import { provenancePredicate, type ProvenanceInput } from '../../src/sign/provenance.js';

const github = {
  repository: 'acme/app',
  sha: 'abc',
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  runId: '7',
  runAttempt: '2',
  eventName: 'push',
  runnerOs: 'Linux',
} as GithubContext;
const input: ProvenanceInput = {
  mode: 'min',
  github,
  builder: 'docker',
  baseImages: [
    { kind: 'from', image: 'ghcr.io/acme/base:1', digest: 'sha256:aa', status: 'verified' },
    { kind: 'copy-from', image: 'ghcr.io/acme/base:1', digest: 'sha256:aa', status: 'verified' },
    { kind: 'from', image: 'docker.io/library/alpine:3', digest: 'sha256:bb', status: 'failed' },
    { kind: 'context', image: 'ghcr.io/acme/tools:2', digest: 'sha256:cc', status: 'allowed-unsigned' },
  ],
  dockerfile: 'Dockerfile',
  platforms: ['linux/amd64'],
  buildArgs: [{ key: 'VERSION', value: '1' }],
  buildContexts: [],
  startedOn: new Date('2026-12-07T00:00:00Z'),
  finishedOn: new Date('2026-12-07T00:01:00Z'),
};

describe('SLSA v1 provenance predicate', () => {
  it('lists the source, each checked base image once by digest, and the builder; a failed image is not a dependency', () => {
    const p = provenancePredicate(input) as {
      buildDefinition: { resolvedDependencies: unknown[]; externalParameters: Record<string, unknown> };
      runDetails: { builder: { id: string }; metadata: Record<string, string> };
    };
    expect(p.buildDefinition.resolvedDependencies).toEqual([
      {
        uri: 'git+https://github.com/acme/app@refs/heads/main',
        digest: { gitCommit: 'abc' },
        name: 'source',
      },
      {
        uri: 'oci://ghcr.io/acme/base:1',
        digest: { sha256: 'aa' },
        annotations: { kind: 'from', trust: 'verified' },
      },
      {
        uri: 'oci://ghcr.io/acme/tools:2',
        digest: { sha256: 'cc' },
        annotations: { kind: 'context', trust: 'allowed-unsigned' },
      },
      { uri: 'pkg:generic/docker', name: 'builder' },
    ]);
    expect(p.buildDefinition.externalParameters).not.toHaveProperty('buildArgs');
    expect(p.runDetails.builder.id).toBe('https://github.com/acme/app/actions');
    expect(p.runDetails.metadata.invocationId).toBe('https://github.com/acme/app/actions/runs/7/attempts/2');
  });

  it('mode=max adds the build-args; the workflow names the builder', () => {
    const p = provenancePredicate({
      ...input,
      mode: 'max',
      workflowRef: 'acme/app/.github/workflows/release.yml@refs/tags/v1',
    }) as {
      buildDefinition: { externalParameters: Record<string, unknown> };
      runDetails: { builder: { id: string } };
    };
    expect(p.buildDefinition.externalParameters).toEqual(
      expect.objectContaining({
        buildArgs: { VERSION: '1' },
        workflow: {
          ref: 'refs/heads/main',
          repository: 'https://github.com/acme/app',
          path: '.github/workflows/release.yml',
        },
      }),
    );
    expect(p.runDetails.builder.id).toBe(
      'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1',
    );
  });
});
