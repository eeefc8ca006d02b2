import { join } from 'node:path';
import type { BuildPlan, BuildRequest, PlannedCommand } from './types.js';

function registryOf(reference: string): string {
  return reference.split('/')[0] ?? '';
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
  return args;
}

/**
 * buildah and podman share containers/image: the same build flags, a local image (or, for several
 * platforms, a local manifest list) pushed per tag with `--digestfile`, or written to an OCI archive.
 */
export function containersPlan(builder: 'buildah' | 'podman', req: BuildRequest): BuildPlan {
  const multi = req.platforms.length > 1;
  const local = req.tags[0] ?? 'localhost/secure-image:latest';
  const build = ['build', ...commonBuildFlags(req, containersFileFlag(req.dockerfile))];
  // buildah and podman only read the context's .dockerignore unless told; BuildKit finds this one itself.
  if (req.ignoreFile) build.push('--ignorefile', req.ignoreFile);
  if (req.platforms.length > 0) build.push('--platform', req.platforms.join(','));
  // A manifest list must have its own name; the tag names then point at it when pushed.
  const listName = `${local.split(':').slice(0, -1).join(':') || local}-secure-image-list`;
  if (multi) build.push('--manifest', listName);
  build.push(req.context);

  const commands: PlannedCommand[] = [{ label: `${builder} build`, args: build, kind: 'build' }];
  // Plain HTTP for the loopback registries only, through registries.conf (see registries-conf.ts).
  const registriesConf =
    req.insecureRegistries.length > 0
      ? { path: join(req.workDir, 'registries.conf'), insecure: [...req.insecureRegistries] }
      : undefined;
  const auth = (reference: string): string[] => {
    const args: string[] = [];
    if (req.authFile) args.push('--authfile', req.authFile);
    if (req.insecureRegistries.includes(registryOf(reference))) args.push('--tls-verify=false');
    return args;
  };

  if (req.push) {
    req.tags.forEach((tag, i) => {
      const digestFile = join(req.workDir, `digest-${i}.txt`);
      const args = multi
        ? ['manifest', 'push', '--all', ...auth(tag), '--digestfile', digestFile, listName, `docker://${tag}`]
        : ['push', ...auth(tag), '--digestfile', digestFile, local, `docker://${tag}`];
      commands.push({ label: `${builder} push ${tag}`, args, kind: 'push', digestFile, pushes: tag });
    });
    return { builder, command: builder, commands, ...(registriesConf ? { registriesConf } : {}) };
  }

  const archive = join(req.workDir, 'image.oci.tar');
  const args = multi
    ? ['manifest', 'push', '--all', listName, `oci-archive:${archive}:${local}`]
    : ['push', local, `oci-archive:${archive}:${local}`];
  commands.push({ label: `${builder} archive`, args, kind: 'archive' });
  return { builder, command: builder, commands, archive, ...(registriesConf ? { registriesConf } : {}) };
}

/**
 * docker buildx builds and pushes in one command and reports the pushed digest in its metadata file
 * (`containerimage.digest`); unpushed builds are exported as one OCI archive, every platform included.
 */
export function buildxPlan(req: BuildRequest): BuildPlan {
  const metadataFile = join(req.workDir, 'buildx-metadata.json');
  const args = ['buildx', 'build', ...commonBuildFlags(req), '--metadata-file', metadataFile];
  if (req.platforms.length > 0) args.push('--platform', req.platforms.join(','));
  // Provenance attestations would turn a single-platform push into an index whose digest differs from
  // what scanners and `cosign` resolve; the action attaches its own attestations after the gate.
  args.push('--provenance=false');
  let archive: string | undefined;
  if (req.push) {
    args.push('--push');
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
  };
}
