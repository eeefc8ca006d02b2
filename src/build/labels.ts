import type { KeyValue } from '../util/key-value.js';
import type { Annotation, AnnotationLevel } from './options.js';
import type { GithubContext } from '../github-context.js';

/**
 * The OCI annotations the interface promises, first, so a user's `labels` line with the same key
 * wins (docker/metadata-action users set their own source and revision).
 */
export function ociLabels(
  github: GithubContext,
  created: Date,
  base: { name: string; digest?: string } | undefined,
  userLabels: readonly KeyValue[],
): KeyValue[] {
  const ours: KeyValue[] = [];
  if (github.repository)
    ours.push({ key: 'org.opencontainers.image.source', value: `${github.serverUrl}/${github.repository}` });
  if (github.sha) ours.push({ key: 'org.opencontainers.image.revision', value: github.sha });
  ours.push({ key: 'org.opencontainers.image.created', value: created.toISOString() });
  if (base) {
    ours.push({ key: 'org.opencontainers.image.base.name', value: base.name });
    if (base.digest) ours.push({ key: 'org.opencontainers.image.base.digest', value: base.digest });
  }
  const userKeys = new Set(userLabels.map((l) => l.key));
  return [...ours.filter((l) => !userKeys.has(l.key)), ...userLabels];
}

/**
 * The same OCI keys as annotations at `levels` (the image manifest; with buildx and several platforms, the index
 * too), first, so a user's `annotations` line with the same key wins.
 */
export function ociAnnotations(
  github: GithubContext,
  created: Date,
  base: { name: string; digest?: string } | undefined,
  levels: AnnotationLevel[],
  userAnnotations: readonly Annotation[],
): Annotation[] {
  const userKeys = new Set(userAnnotations.map((a) => a.key));
  const ours = ociLabels(github, created, base, [])
    .filter((l) => !userKeys.has(l.key))
    .map(({ key, value }) => ({ levels, key, value }));
  return [...ours, ...userAnnotations];
}
