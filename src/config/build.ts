import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  containersAnnotationProblems,
  containersCacheProblems,
  parseAnnotations,
  parseCache,
  parseSsh,
  type Annotation,
  type CacheEntry,
} from '../build/options.js';
import type { Builder, BuildSecret } from '../build/types.js';
import { tryParseReference } from '../image/reference.js';
import type { GithubContext } from '../github-context.js';
import type { KeyValue } from '../util/key-value.js';
import { lines, quote, statOrUndefined, type InputReader } from './reader.js';
import { workspaceRelative } from './paths.js';

export interface BuildInputs {
  context: string;
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  /** The Dockerfile as the workspace sees it ("examples/hello/Dockerfile"), for annotations and links. */
  dockerfileRelative: string;
  /** Whether the Dockerfile exists; with `digest` it may be absent and then base images are not checked. */
  dockerfileExists: boolean;
  buildArgs: KeyValue[];
  target?: string;
  platforms: string[];
  labels: KeyValue[];
  builder: Builder;
  /** `secrets`, `secret-envs` (values, masked when read) and `secret-files` (paths), by id. */
  buildSecrets: BuildSecret[];
  ssh: string[];
  cacheFrom: CacheEntry[];
  cacheTo: CacheEntry[];
  annotations: Annotation[];
  /** `build-contexts`: name → docker-image://ref, an absolute directory, or a URL. */
  buildContexts: KeyValue[];
}

const SECRET_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A `secret-files` file is masked line by line; larger files (keystores) are passed without reading them. */
const MASKED_FILE_BYTES = 64 * 1024;

/** BuildKit's stage names (`FROM … AS name`), which `--target` is matched against without regard to case. */
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
/**
 * The largest Dockerfile read: docker buildx refuses a Dockerfile it fetches from a URL above 2 MiB, and
 * the whole file is parsed and copied before anything runs.
 */
const MAX_DOCKERFILE_BYTES = 2 * 1024 * 1024;

// The values the OCI image index allows for `os` and `architecture` (the image spec defers to Go's GOOS and
// GOARCH), and the variants containerd knows. A typo (`linux/amd46`) would otherwise reach the builder, or build
// nothing useful.
const OS = new Set([
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'illumos',
  'ios',
  'js',
  'linux',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
]);
const ARCH = new Set([
  '386',
  'amd64',
  'arm',
  'arm64',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'ppc64',
  'ppc64le',
  'riscv64',
  's390x',
  'wasm',
]);
const VARIANTS: Readonly<Record<string, ReadonlySet<string>>> = {
  arm: new Set(['v5', 'v6', 'v7', 'v8']),
  arm64: new Set([
    'v8',
    'v8.0',
    'v8.1',
    'v8.2',
    'v8.3',
    'v8.4',
    'v8.5',
    'v8.6',
    'v8.7',
    'v8.8',
    'v8.9',
    'v9',
    'v9.0',
    'v9.1',
    'v9.2',
    'v9.3',
    'v9.4',
    'v9.5',
  ]),
  amd64: new Set(['v1', 'v2', 'v3', 'v4']),
};

/** The build group: `context`, `file`, `build-args`, `target`, `platforms`, `labels`, `builder`. */
export function readBuildInputs(
  r: InputReader,
  github: GithubContext,
  needsDockerfile: boolean,
  building: boolean,
  env: NodeJS.ProcessEnv = process.env,
): BuildInputs {
  const contextRaw = r.read('context') || '.';
  const context = resolve(r.cwd, contextRaw);
  const contextFound = statOrUndefined(context);
  const fileRaw = r.read('file');
  const dockerfile = fileRaw !== '' ? resolve(r.cwd, fileRaw) : join(context, 'Dockerfile');
  const dockerfileStat = statOrUndefined(dockerfile);
  const dockerfileExists = dockerfileStat?.isFile() ?? false;
  if (building && (!contextFound || !contextFound.isDirectory())) {
    r.problem(`Input \`context\`: directory ${quote(contextRaw)} does not exist (looked for ${context}).`);
  } else if ((needsDockerfile || fileRaw !== '') && !dockerfileExists) {
    r.problem(
      fileRaw !== ''
        ? `Input \`file\`: ${quote(fileRaw)} does not exist (looked for ${dockerfile}).`
        : `No Dockerfile at ${dockerfile}. Set \`file\` to the Dockerfile's path, or \`context\` to the directory that holds it.`,
    );
  } else if (dockerfileExists && Number(dockerfileStat?.size) > MAX_DOCKERFILE_BYTES) {
    const size = Number(dockerfileStat?.size);
    r.problem(
      `${fileRaw !== '' ? 'Input `file`: ' : ''}${workspaceRelative(github.workspace || r.cwd, dockerfile)} is ${(size / 1048576).toFixed(1)} MiB (${size} bytes); a Dockerfile may be at most 2 MiB, as docker buildx allows. Move generated content into files the build copies in (COPY), or split the build into several Dockerfiles.`,
    );
  }

  const platforms = r.list('platforms');
  for (const p of platforms) {
    const problem = platformProblem(p);
    if (problem) r.problem(`Input \`platforms\`: ${quote(p)} ${problem}`);
  }
  const seen = new Set<string>();
  for (const p of platforms) {
    if (seen.has(p)) r.problem(`Input \`platforms\`: ${quote(p)} is listed twice.`);
    seen.add(p);
  }

  const target = r.read('target');
  if (target !== '' && !STAGE_NAME.test(target))
    r.problem(
      `Input \`target\`: ${quote(target)} is not a stage name. Give the name after \`AS\` in a \`FROM … AS <name>\` line of the Dockerfile: a letter, then letters, digits, \`_\`, \`.\` or \`-\`.`,
    );

  const cacheFrom = parseCache('cache-from', lines(r.read('cache-from')));
  const cacheTo = parseCache('cache-to', lines(r.read('cache-to')));
  const annotations = parseAnnotations(lines(r.read('annotations')));
  const ssh = parseSsh(
    lines(r.read('ssh')),
    (p) => (statOrUndefined(resolve(r.cwd, p)) ? resolve(r.cwd, p) : undefined),
    env.SSH_AUTH_SOCK,
  );
  for (const p of [...cacheFrom.problems, ...cacheTo.problems, ...annotations.problems, ...ssh.problems])
    r.problem(p);
  const builder = r.oneOf('builder', ['auto', 'docker', 'buildah', 'podman'] as const);
  // A builder named here is known before anything runs; `auto` is checked when it has picked one (build plan).
  if (builder === 'buildah' || builder === 'podman')
    for (const p of [
      ...containersCacheProblems(builder, cacheFrom.values, cacheTo.values),
      ...containersAnnotationProblems(builder, annotations.values),
    ])
      r.problem(p);

  return {
    context,
    dockerfile,
    dockerfileRelative: workspaceRelative(github.workspace || r.cwd, dockerfile),
    dockerfileExists,
    buildArgs: r.keyValues('build-args'),
    ...(target !== '' ? { target } : {}),
    platforms,
    labels: r.keyValues('labels'),
    builder,
    buildSecrets: readBuildSecrets(r, env),
    ssh: ssh.values,
    cacheFrom: cacheFrom.values,
    cacheTo: cacheTo.values,
    annotations: annotations.values,
    buildContexts: readBuildContexts(r),
  };
}

const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/@-]*$/;

/**
 * `build-contexts` (name=value, buildx syntax): `docker-image://<ref>` (checked like a FROM), `oci-layout://…`, a URL,
 * or a directory, made absolute against the workspace since the builder runs in the build context.
 */
function readBuildContexts(r: InputReader): KeyValue[] {
  const out: KeyValue[] = [];
  for (const { text, line } of lines(r.read('build-contexts'))) {
    const at = `Input \`build-contexts\`, line ${line}: ${quote(text)}`;
    const eq = text.indexOf('=');
    const key = eq > 0 ? text.slice(0, eq).trim() : '';
    const value = text.slice(eq + 1).trim();
    if (!CONTEXT_NAME.test(key) || value === '') {
      r.problem(`${at} is not name=value (e.g. \`alpine=docker-image://alpine:3.20\` or \`src=../shared\`).`);
      continue;
    }
    if (value.startsWith('docker-image://')) {
      const parsed = tryParseReference(value.slice('docker-image://'.length));
      if (!parsed.ok) r.problem(`${at}: ${parsed.error}.`);
      else out.push({ key, value });
    } else if (/^(?:oci-layout:\/\/|https?:\/\/|git@|ssh:\/\/)/.test(value)) out.push({ key, value });
    else {
      const dir = resolve(r.cwd, value);
      if (!statOrUndefined(dir)?.isDirectory())
        r.problem(`${at}: directory ${quote(value)} does not exist (looked for ${dir}).`);
      else out.push({ key, value: dir });
    }
  }
  return out;
}

/**
 * `secrets` (id=value), `secret-envs` (id=ENV_NAME) and `secret-files` (id=path). Every value is masked the moment it
 * is read, and a malformed `secrets` line is reported by its number only: its text may be the secret.
 */
function readBuildSecrets(r: InputReader, env: NodeJS.ProcessEnv): BuildSecret[] {
  const out: BuildSecret[] = [];
  const ids = new Map<string, string>();
  const add = (input: string, line: number, secret: BuildSecret): void => {
    const earlier = ids.get(secret.id);
    if (earlier)
      r.problem(
        `Input \`${input}\`, line ${line}: the secret id ${quote(secret.id)} is given already in \`${earlier}\`.`,
      );
    else {
      ids.set(secret.id, input);
      out.push(secret);
    }
  };
  const raw = r.secret('secrets');
  for (const { text, line } of lines(raw)) {
    const eq = text.indexOf('=');
    const id = eq > 0 ? text.slice(0, eq).trim() : '';
    if (!SECRET_ID.test(id)) {
      r.problem(
        `Input \`secrets\`, line ${line} is not id=value (the line is not shown: it may hold the secret). An id is letters, digits, \`_\`, \`.\` or \`-\`.`,
      );
      continue;
    }
    const value = text.slice(eq + 1);
    r.mask(value);
    add('secrets', line, { id, value });
  }
  for (const { text, line } of lines(r.read('secret-envs'))) {
    const eq = text.indexOf('=');
    const id = eq > 0 ? text.slice(0, eq).trim() : '';
    const name = text.slice(eq + 1).trim();
    if (!SECRET_ID.test(id) || !ENV_NAME.test(name)) {
      r.problem(`Input \`secret-envs\`, line ${line}: ${quote(text)} is not id=ENV_NAME.`);
      continue;
    }
    const value = env[name];
    if (value === undefined || value === '') {
      r.problem(
        `Input \`secret-envs\`, line ${line}: the environment variable ${name} is not set for this step; give it in the step's \`env:\`.`,
      );
      continue;
    }
    r.mask(value);
    add('secret-envs', line, { id, value });
  }
  for (const { text, line } of lines(r.read('secret-files'))) {
    const eq = text.indexOf('=');
    const id = eq > 0 ? text.slice(0, eq).trim() : '';
    if (!SECRET_ID.test(id) || eq === text.length - 1) {
      r.problem(`Input \`secret-files\`, line ${line}: ${quote(text)} is not id=path.`);
      continue;
    }
    const raw = text.slice(eq + 1).trim();
    const file = resolve(r.cwd, raw);
    const found = statOrUndefined(file);
    if (!found?.isFile()) {
      r.problem(
        `Input \`secret-files\`, line ${line}: file ${quote(raw)} does not exist (looked for ${file}).`,
      );
      continue;
    }
    if (Number(found.size) <= MASKED_FILE_BYTES) r.mask(readFileSync(file, 'utf8').trim());
    add('secret-files', line, { id, file });
  }
  return out;
}

/** Why `value` is not an OCI platform (`os/arch[/variant]`), or undefined when it is one. */
export function platformProblem(value: string): string | undefined {
  const parts = value.split('/');
  const [os = '', arch = '', variant] = parts;
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ''))
    return 'is not os/arch[/variant], e.g. `linux/amd64` or `linux/arm/v7`.';
  if (!OS.has(os))
    return `names the operating system ${quote(os)}, which is not an OCI platform \`os\` (e.g. \`linux\`, \`windows\`).`;
  if (!ARCH.has(arch))
    return `names the architecture ${quote(arch)}, which is not an OCI platform \`architecture\` (${[...ARCH].map((a) => `\`${a}\``).join(', ')}).`;
  if (variant !== undefined && !VARIANTS[arch]?.has(variant))
    return `names the variant ${quote(variant)}, which ${arch} does not have${
      VARIANTS[arch]
        ? ` (${[...(VARIANTS[arch] ?? [])]
            .slice(0, 4)
            .map((v) => `\`${v}\``)
            .join(', ')}…)`
        : ''
    }.`;
  return undefined;
}
