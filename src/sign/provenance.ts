import type { GithubContext } from '../github-context.js';
import type { KeyValue } from '../util/key-value.js';

/** What `provenance` asks for: nothing, the dependencies (`min`, as `true` does), or the build's parameters too. */
export type ProvenanceMode = 'off' | 'min' | 'max';

/** The build type this action's provenance describes, as SLSA v1 asks a builder to name it. */
export const BUILD_TYPE = 'https://github.com/secure-image/secure-image/build/v1';

export interface ProvenanceInput {
  mode: Exclude<ProvenanceMode, 'off'>;
  github: GithubContext;
  /** `owner/repo/.github/workflows/x.yml@ref` (GITHUB_WORKFLOW_REF), the workflow that ran the build. */
  workflowRef?: string;
  builder: 'docker' | 'buildah' | 'podman';
  /** The base images as checked: only those with a digest the policy verified or allowed are dependencies. */
  baseImages: ReadonlyArray<{ kind: string; image?: string | null; digest?: string | null; status: string }>;
  /** The workspace-relative Dockerfile, target and platforms: what a rebuild needs. */
  dockerfile: string;
  target?: string;
  platforms: readonly string[];
  /** `mode=max` only: the build-args and the named contexts (never secrets, which are not parameters). */
  buildArgs: readonly KeyValue[];
  buildContexts: readonly KeyValue[];
  startedOn: Date;
  finishedOn: Date;
}

interface ResourceDescriptor {
  uri: string;
  digest?: Record<string, string>;
  name?: string;
  annotations?: Record<string, string>;
}

/**
 * A SLSA v1 provenance predicate (https://slsa.dev/spec/v1.0/provenance) for the pushed digest: what was built from
 * (the repository at its commit, and each base image by the digest that was verified), by which builder, in which
 * run. The subject is the digest `cosign attest` attaches it to.
 */
export function provenancePredicate(input: ProvenanceInput): Record<string, unknown> {
  const { github } = input;
  const repositoryUrl = `${github.serverUrl}/${github.repository}`;
  const dependencies: ResourceDescriptor[] = [
    {
      uri: `git+${repositoryUrl}@${github.ref}`,
      digest: { gitCommit: github.sha },
      name: 'source',
    },
  ];
  const seen = new Set<string>();
  for (const base of input.baseImages) {
    if (!base.image || !base.digest || !['verified', 'allowed-unsigned'].includes(base.status)) continue;
    const uri = `oci://${base.image}`;
    if (seen.has(`${uri}@${base.digest}`)) continue;
    seen.add(`${uri}@${base.digest}`);
    dependencies.push({
      uri,
      digest: { sha256: base.digest.replace(/^sha256:/, '') },
      annotations: { kind: base.kind, trust: base.status },
    });
  }
  dependencies.push({ uri: `pkg:generic/${input.builder}`, name: 'builder' });

  const externalParameters: Record<string, unknown> = {
    workflow: {
      ref: github.ref,
      repository: repositoryUrl,
      ...(input.workflowRef ? { path: workflowPath(input.workflowRef) } : {}),
    },
    dockerfile: input.dockerfile,
    ...(input.target ? { target: input.target } : {}),
    platforms: [...input.platforms],
  };
  if (input.mode === 'max') {
    externalParameters.buildArgs = Object.fromEntries(input.buildArgs.map((a) => [a.key, a.value]));
    externalParameters.buildContexts = Object.fromEntries(input.buildContexts.map((c) => [c.key, c.value]));
  }
  const runUrl = `${repositoryUrl}/actions/runs/${github.runId}/attempts/${github.runAttempt || '1'}`;
  return {
    buildDefinition: {
      buildType: BUILD_TYPE,
      externalParameters,
      internalParameters: { github: { event_name: github.eventName, runner_os: github.runnerOs } },
      resolvedDependencies: dependencies,
    },
    runDetails: {
      builder: {
        id: input.workflowRef ? `${github.serverUrl}/${input.workflowRef}` : `${repositoryUrl}/actions`,
      },
      metadata: {
        invocationId: runUrl,
        startedOn: input.startedOn.toISOString(),
        finishedOn: input.finishedOn.toISOString(),
      },
    },
  };
}

/** `.github/workflows/x.yml` from `owner/repo/.github/workflows/x.yml@ref`. */
function workflowPath(workflowRef: string): string {
  const at = workflowRef.lastIndexOf('@');
  const path = at >= 0 ? workflowRef.slice(0, at) : workflowRef;
  return path.split('/').slice(2).join('/');
}
