import { join } from 'node:path';
import { UserError } from '../util/errors.js';
import { buildxAnnotation, containersAnnotationProblems, containersCacheProblems } from './options.js';
import type { BuildPlan, BuildRequest, PlannedCommand } from './types.js';

/** What buildx's gha cache reads from its environment: the runner's cache service and the job's token for it. */
export const GHA_CACHE_ENV = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_SERVICE_V2',
] as const;

/** `host/repo:tag` → `host/repo`. */
export function repositoryOf(reference: string): string {
  const at = reference.indexOf('@');
  const noDigest = at >= 0 ? reference.slice(0, at) : reference;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

/**
 * buildah and podman read `--file` as a string slice, which pflag parses as one CSV record: a path
 * holding a comma, a quote or a newline would be cut into several files. CSV quoting keeps it one.
 */
export function containersFileFlag(path: string): string {
  return /[",\r\n]/.test(path) ? `"${path.replace(/"/g, '""')}"` : path;
}

function commonBuildFlags(req: BuildRequest, file: string = req.dockerfile): string[] {
  const args = ['--file', file];
  for (const tag of req.tags) args.push('--tag', tag);
  for (const { key, value } of req.buildArgs) args.push('--build-arg', `${key}=${value}`);
  for (const { key, value } of req.labels) args.push('--label', `${key}=${value}`);
  if (req.target) args.push('--target', req.target);
  // Secrets reach the builder as files only; the command line names the file, never the value.
  for (const { id, src } of req.secrets ?? []) args.push('--secret', `id=${id},src=${src}`);
  for (const ssh of req.ssh ?? []) args.push('--ssh', ssh);
  for (const { key, value } of req.buildContexts ?? []) args.push('--build-context', `${key}=${value}`);
  return args;
}

/** SSH_AUTH_SOCK when an `ssh` entry names the agent rather than a file. */
function sshEnv(req: BuildRequest): string[] {
  return (req.ssh ?? []).some((s) => !s.includes('=')) ? ['SSH_AUTH_SOCK'] : [];
}

/**
 * buildah and podman share containers/image: the same build flags, a local image (or, for several
 * platforms, a local manifest list) written to an OCI layout for the action to push by digest, or to an OCI
 * archive when nothing is pushed.
 */
export function containersPlan(builder: 'buildah' | 'podman', req: BuildRequest): BuildPlan {
  const multi = req.platforms.length > 1;
  const local = req.tags[0] ?? 'localhost/secure-image:latest';
  const cacheFrom = req.cacheFrom ?? [];
  const cacheTo = req.cacheTo ?? [];
  const unsupported = [
    ...containersCacheProblems(builder, cacheFrom, cacheTo),
    ...containersAnnotationProblems(builder, req.annotations ?? []),
  ];
  if (unsupported.length > 0) throw new UserError(unsupported.join('\n'));
  const build = ['build', ...commonBuildFlags(req, containersFileFlag(req.dockerfile))];
  for (const a of req.annotations ?? []) build.push('--annotation', `${a.key}=${a.value}`);
  if (cacheFrom.length > 0 || cacheTo.length > 0) build.push('--layers');
  for (const c of cacheFrom) build.push('--cache-from', c.attrs.ref ?? '');
  for (const c of cacheTo) build.push('--cache-to', c.attrs.ref ?? '');
  // buildah and podman only read the context's .dockerignore unless told; BuildKit finds this one itself.
  if (req.ignoreFile) build.push('--ignorefile', req.ignoreFile);
  if (req.platforms.length > 0) build.push('--platform', req.platforms.join(','));
  // A manifest list must have its own name; the tag names then point at it when pushed.
  const listName = `${local.split(':').slice(0, -1).join(':') || local}-secure-image-list`;
  if (multi) build.push('--manifest', listName);
  const commands: PlannedCommand[] = [];
  if (req.pulls) {
    // Exactly the verified digests, one pull per platform built, then a build that may fetch nothing else.
    const platforms = req.platforms.length > 0 ? req.platforms : [undefined];
    for (const { ref, tag } of req.pulls) {
      for (const platform of platforms) {
        commands.push({
          label: `${builder} pull ${ref}${platform ? ` (${platform})` : ''}`,
          args: ['pull', '--quiet', ...(platform ? ['--platform', platform] : []), ref],
          kind: 'pull',
        });
      }
      if (tag) commands.push({ label: `${builder} tag ${tag}`, args: ['tag', ref, tag], kind: 'pull' });
    }
    build.push('--pull=never');
  }
  build.push(req.context);
  commands.push({ label: `${builder} build`, args: build, kind: 'build' });
  const passEnv = sshEnv(req);
  const registriesConf = registriesConfOf(req);
  const extra = {
    ...(registriesConf ? { registriesConf } : {}),
    ...(passEnv.length > 0 ? { passEnv } : {}),
  };

  if (req.push) {
    // Nothing is pushed by the builder: the image goes to an OCI layout, whose blobs and manifests the action
    // uploads by digest itself, so no tag exists before every check has passed (containers/image would push a
    // reference without a tag as `:latest`).
    const layout = join(req.workDir, 'image.oci');
    const args = multi
      ? ['manifest', 'push', '--all', listName, `oci:${layout}`]
      : ['push', local, `oci:${layout}`];
    commands.push({ label: `${builder} push to an OCI layout`, args, kind: 'archive' });
    return { builder, command: builder, commands, layout, ...extra };
  }

  const archive = join(req.workDir, 'image.oci.tar');
  const args = multi
    ? ['manifest', 'push', '--all', listName, `oci-archive:${archive}:${local}`]
    : ['push', local, `oci-archive:${archive}:${local}`];
  commands.push({ label: `${builder} archive`, args, kind: 'archive' });
  return { builder, command: builder, commands, archive, ...extra };
}

/** Plain HTTP for the loopback registries only, through registries.conf (see registries-conf.ts). */
function registriesConfOf(req: BuildRequest): BuildPlan['registriesConf'] {
  return req.insecureRegistries.length > 0
    ? { path: join(req.workDir, 'registries.conf'), insecure: [...req.insecureRegistries] }
    : undefined;
}

/**
 * docker buildx builds and pushes by digest in one command and reports the pushed digest in its metadata file
 * (`containerimage.digest`); unpushed builds are exported as one OCI archive, every platform included.
 */
export function buildxPlan(req: BuildRequest): BuildPlan {
  const metadataFile = join(req.workDir, 'buildx-metadata.json');
  // A push goes by digest, without a tag: the action tags the digest itself once every check passed.
  const args = [
    'buildx',
    'build',
    ...commonBuildFlags({ ...req, tags: req.push ? [] : req.tags }),
    '--metadata-file',
    metadataFile,
  ];
  if (req.platforms.length > 0) args.push('--platform', req.platforms.join(','));
  for (const a of req.annotations ?? []) args.push('--annotation', buildxAnnotation(a));
  for (const c of req.cacheFrom ?? []) args.push('--cache-from', c.spec);
  for (const c of req.cacheTo ?? []) args.push('--cache-to', c.spec);
  const gha = [...(req.cacheFrom ?? []), ...(req.cacheTo ?? [])].some((c) => c.type === 'gha');
  const passEnv = [...sshEnv(req), ...(gha ? GHA_CACHE_ENV : [])];
  // Provenance attestations would turn a single-platform push into an index whose digest differs from
  // what scanners and `cosign` resolve; the action attaches its own attestations after the gate.
  args.push('--provenance=false');
  let archive: string | undefined;
  if (req.push) {
    args.push(
      '--output',
      `type=image,name=${req.repository ?? repositoryOf(req.tags[0] ?? '')},push-by-digest=true,name-canonical=true,push=true`,
    );
  } else {
    archive = join(req.workDir, 'image.oci.tar');
    args.push('--output', `type=oci,dest=${archive}`);
  }
  args.push(req.context);
  return {
    builder: 'docker',
    command: 'docker',
    commands: [{ label: 'docker buildx build', args, kind: 'build' }],
    metadataFile,
    ...(archive ? { archive } : {}),
    ...(passEnv.length > 0 ? { passEnv } : {}),
  };
}
