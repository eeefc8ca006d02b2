import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigErrors } from './util/errors.js';
import type { GithubContext } from './github-context.js';
import {
  formatReference,
  isValidDigest,
  isValidTag,
  parseRepositoryOnly,
  tryParseReference,
} from './image/reference.js';

export type Builder = 'auto' | 'docker' | 'buildah' | 'podman';
export type VerifyMode = 'enforce' | 'warn' | 'off';
export type PinningMode = 'off' | 'warn' | 'enforce';
export type ScannerName = 'trivy' | 'grype' | 'none';
export type FailOn = 'critical' | 'high' | 'medium' | 'low' | 'never';
export type Attestation = 'sbom' | 'vuln';

export type CosignKey = { kind: 'pem'; pem: string } | { kind: 'kms'; uri: string };

export interface KeyValue {
  key: string;
  value: string;
}

/** An image already pushed by another step, given through the `digest` input. */
export interface GivenDigest {
  /** Fully qualified repository, e.g. "ghcr.io/acme/app". */
  repository: string;
  digest: string;
}

export interface Config {
  /** Fully qualified repository to push to ("ghcr.io/acme/app"), when `image` is set. */
  image?: string;
  /** Full references the build is tagged with, in input order. */
  tags: string[];
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
  push: boolean;
  build: boolean;
  digest?: GivenDigest;
  builder: Builder;
  verifyBaseImages: VerifyMode;
  trustPolicy?: string;
  pinBaseImages: boolean;
  digestPinning: PinningMode;
  scanner: ScannerName;
  failOnSeverity: FailOn;
  ignoreUnfixed: boolean;
  ignoreFile?: string;
  vex: string[];
  sign: boolean;
  cosignKey?: CosignKey;
  cosignPassword?: string;
  /** `tlog-upload`: false signs and attests without a transparency log entry (key mode only). */
  tlogUpload: boolean;
  signatureAnnotations: KeyValue[];
  attest: Attestation[];
  cosignVersion?: string;
  scannerVersion?: string;
  cosignPath?: string;
  scannerPath?: string;
  toolMirror?: string;
  /** Limit for each run of cosign or the scanner, in milliseconds. */
  stageTimeoutMs: number;
  summary: boolean;
  annotate: boolean;
  prComment: boolean;
  githubToken?: string;
  registryAuth?: { username: string; password: string };
  github: GithubContext;
}

/** Reads one input the way the runner hands it over; `core.getInput` in production. */
export type InputSource = (name: string) => string;

const KMS_SCHEMES = ['awskms://', 'gcpkms://', 'azurekms://', 'hashivault://', 'k8s://', 'env://'];
const VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const ENV_KEY = /^[^=\s][^=]*$/;
/** BuildKit's stage names (`FROM … AS name`), which `--target` is matched against without regard to case. */
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
/**
 * The largest Dockerfile read: docker buildx refuses a Dockerfile it fetches from a URL above 2 MiB, and
 * the whole file is parsed and copied before anything runs.
 */
const MAX_DOCKERFILE_BYTES = 2 * 1024 * 1024;

/**
 * Reads every input once and validates all of it, so a user sees every problem of a run in one go.
 * `secret` is called for each secret value the moment it is read, before anything can log it.
 */
export function readConfig(
  input: InputSource,
  github: GithubContext,
  secret: (value: string) => void,
  cwd: string = process.cwd(),
): Config {
  const problems: string[] = [];
  const read = (name: string): string => input(name).trim();
  const readSecret = (name: string): string => {
    const value = input(name);
    if (value !== '') {
      secret(value);
      // Multi-line secrets (PEM keys) are masked line by line too, as the runner matches per line.
      for (const line of value.split(/\r?\n/)) if (line.trim().length >= 8) secret(line.trim());
    }
    return value.trim();
  };

  const cosignKeyText = readSecret('cosign-key');
  const cosignPassword = readSecret('cosign-password');
  const registryPassword = readSecret('registry-password');
  const githubToken = readSecret('github-token');

  const bool = (name: string): boolean => {
    const raw = read(name);
    if (['true', 'True', 'TRUE'].includes(raw)) return true;
    if (['false', 'False', 'FALSE'].includes(raw)) return false;
    problems.push(`Input \`${name}\` must be \`true\` or \`false\`; got ${quote(raw)}.`);
    return false;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
    const raw = read(name);
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(
      `Input \`${name}\` must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}; got ${quote(raw)}.`,
    );
    return allowed[0] as T;
  };
  const keyValues = (name: string): KeyValue[] => {
    const out: KeyValue[] = [];
    lines(read(name)).forEach(({ text, line }) => {
      const eq = text.indexOf('=');
      const key = eq > 0 ? text.slice(0, eq).trim() : '';
      if (eq <= 0 || !ENV_KEY.test(key)) {
        problems.push(
          `Input \`${name}\`, line ${line}: ${quote(text)} is not KEY=VALUE. Write one KEY=VALUE per line.`,
        );
        return;
      }
      out.push({ key, value: text.slice(eq + 1) });
    });
    return out;
  };
  const existingPath = (name: string, kind: 'file' | 'dir', raw: string): string | undefined => {
    if (raw === '') return undefined;
    const path = resolve(cwd, raw);
    const found = statOrUndefined(path);
    if (!found || (kind === 'file' ? !found.isFile() : !found.isDirectory())) {
      problems.push(
        `Input \`${name}\`: ${kind === 'file' ? 'file' : 'directory'} ${quote(raw)} does not exist (looked for ${path}).`,
      );
      return undefined;
    }
    return path;
  };
  const executable = (name: string): string | undefined => {
    const path = existingPath(name, 'file', read(name));
    if (path === undefined) return undefined;
    try {
      accessSync(path, constants.X_OK);
    } catch {
      problems.push(
        `Input \`${name}\`: ${path} is not executable. Run \`chmod +x\` on it or point to the binary.`,
      );
    }
    return path;
  };

  // Image and digest.
  const imageRaw = read('image');
  let image: string | undefined;
  if (imageRaw !== '') {
    const parsed = parseRepositoryOnly(imageRaw);
    if (parsed.ok) image = `${parsed.registry}/${parsed.repository}`;
    else problems.push(`Input \`image\`: ${parsed.error}`);
  }

  const digestRaw = read('digest');
  let digest: GivenDigest | undefined;
  if (digestRaw !== '') {
    if (digestRaw.includes('@')) {
      const parsed = tryParseReference(digestRaw);
      if (!parsed.ok || parsed.ref.digest === undefined) {
        problems.push(
          `Input \`digest\`: ${quote(digestRaw)} is not \`repository@sha256:<64 hex>\`${parsed.ok ? '' : ` (${parsed.error})`}.`,
        );
      } else {
        digest = { repository: `${parsed.ref.registry}/${parsed.ref.repository}`, digest: parsed.ref.digest };
        if (image !== undefined && image !== digest.repository) {
          problems.push(
            `Input \`digest\` names ${digest.repository} but \`image\` is ${image}. Give one repository: drop \`image\`, or give only \`sha256:…\` in \`digest\`.`,
          );
        }
      }
    } else if (!isValidDigest(digestRaw)) {
      problems.push(
        `Input \`digest\`: ${quote(digestRaw)} is not \`sha256:\` followed by 64 lower-case hex characters.`,
      );
    } else if (image === undefined) {
      if (imageRaw === '')
        problems.push(
          'Input `digest` is a bare digest, so `image` is needed to say which repository it is in. Set `image`, or give `digest` as `repository@sha256:…`.',
        );
    } else {
      digest = { repository: image, digest: digestRaw };
    }
  }

  const build = bool('build') && digestRaw === '';
  const push = bool('push');
  if (push && build && imageRaw === '') {
    problems.push(
      'Input `image` is required to push: set it to the repository to push to (e.g. `ghcr.io/${{ github.repository }}`), or set `push: false` to build and scan without pushing.',
    );
  }

  // Tags: short tags join `image`; full references are kept. Without `image` the build is local.
  const tagBase = image ?? `localhost/${localName(github.repository)}`;
  const tags: string[] = [];
  const tagEntries = read('tags')
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (tagEntries.length === 0) tagEntries.push(`sha-${(github.sha || 'local').slice(0, 7)}`);
  for (const entry of tagEntries) {
    if (!entry.includes('/') && !entry.includes(':')) {
      if (isValidTag(entry)) tags.push(`${tagBase}:${entry}`);
      else
        problems.push(
          `Input \`tags\`: ${quote(entry)} is not a valid tag (letters, digits, \`_\`, \`.\`, \`-\`, at most 128, not starting with \`.\` or \`-\`).`,
        );
      continue;
    }
    const parsed = tryParseReference(entry);
    if (!parsed.ok)
      problems.push(`Input \`tags\`: ${quote(entry)} is not a valid image reference: ${parsed.error}`);
    else if (parsed.ref.digest !== undefined)
      problems.push(
        `Input \`tags\`: ${quote(entry)} has a digest; tags name what is pushed, so leave the digest out.`,
      );
    else tags.push(formatReference(parsed.ref));
  }

  // Build context and Dockerfile.
  const contextRaw = read('context') || '.';
  const context = resolve(cwd, contextRaw);
  const contextFound = statOrUndefined(context);
  const fileRaw = read('file');
  const dockerfile = fileRaw !== '' ? resolve(cwd, fileRaw) : join(context, 'Dockerfile');
  const dockerfileStat = statOrUndefined(dockerfile);
  const dockerfileExists = dockerfileStat?.isFile() ?? false;
  // With a given digest nothing is built, so a missing Dockerfile only means there is nothing to parse.
  const needsDockerfile = digest === undefined || fileRaw !== '';
  if (build && (!contextFound || !contextFound.isDirectory())) {
    problems.push(
      `Input \`context\`: directory ${quote(contextRaw)} does not exist (looked for ${context}).`,
    );
  } else if (needsDockerfile && !dockerfileExists) {
    problems.push(
      fileRaw !== ''
        ? `Input \`file\`: ${quote(fileRaw)} does not exist (looked for ${dockerfile}).`
        : `No Dockerfile at ${dockerfile}. Set \`file\` to the Dockerfile's path, or \`context\` to the directory that holds it.`,
    );
  } else if (dockerfileExists && Number(dockerfileStat?.size) > MAX_DOCKERFILE_BYTES) {
    const size = Number(dockerfileStat?.size);
    problems.push(
      `${fileRaw !== '' ? 'Input `file`: ' : ''}${workspaceRelative(github.workspace || cwd, dockerfile)} is ${(size / 1048576).toFixed(1)} MiB (${size} bytes); a Dockerfile may be at most 2 MiB, as docker buildx allows. Move generated content into files the build copies in (COPY), or split the build into several Dockerfiles.`,
    );
  }

  const platforms = read('platforms')
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of platforms)
    if (!PLATFORM.test(p))
      problems.push(
        `Input \`platforms\`: ${quote(p)} is not os/arch[/variant], e.g. \`linux/amd64\` or \`linux/arm/v7\`.`,
      );

  const attestRaw = read('attest')
    .split(/[\n,]/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const attest: Attestation[] = [];
  for (const a of attestRaw) {
    if (a === 'sbom' || a === 'vuln') {
      if (!attest.includes(a)) attest.push(a);
    } else if (a !== 'none') {
      problems.push(`Input \`attest\`: ${quote(a)} is not one of \`sbom\`, \`vuln\`, \`none\`.`);
    }
  }
  if (attestRaw.includes('none') && attest.length > 0)
    problems.push('Input `attest`: `none` cannot be combined with other attestations.');

  // Signing material.
  let cosignKey: CosignKey | undefined;
  if (cosignKeyText !== '') {
    if (KMS_SCHEMES.some((s) => cosignKeyText.startsWith(s))) cosignKey = { kind: 'kms', uri: cosignKeyText };
    else if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(cosignKeyText))
      cosignKey = { kind: 'pem', pem: cosignKeyText };
    else
      problems.push(
        `Input \`cosign-key\` is neither a PEM private key (\`-----BEGIN … PRIVATE KEY-----\`, as \`cosign generate-key-pair\` writes it) nor a KMS URI (${KMS_SCHEMES.join(', ')}).`,
      );
  }
  if (cosignPassword !== '' && cosignKeyText === '')
    problems.push(
      'Input `cosign-password` is set but `cosign-key` is empty. Set `cosign-key` to the key the password opens, or remove `cosign-password` to sign keyless.',
    );

  const tlogUpload = bool('tlog-upload');
  if (!tlogUpload && /^false$/i.test(read('tlog-upload')) && cosignKeyText === '')
    problems.push(
      'Input `tlog-upload: false` needs `cosign-key`: a keyless signature is only trusted through its transparency log entry. Set `cosign-key`, or remove `tlog-upload`.',
    );

  const registryUsername = read('registry-username');
  if (registryPassword !== '' && registryUsername === '')
    problems.push('Input `registry-password` is set but `registry-username` is empty. Set both, or neither.');
  if (registryUsername !== '' && registryPassword === '')
    problems.push('Input `registry-username` is set but `registry-password` is empty. Set both, or neither.');
  // A user name or a token is one word: white space inside is two values glued together (a secret pasted
  // with its neighbour), and no HTTP header carries a line break. The values are not quoted: one is a secret.
  for (const [name, value, what] of [
    ['registry-username', registryUsername, 'a registry user name'],
    ['github-token', githubToken, 'a token'],
  ] as const) {
    if (/[\s\p{Cc}]/u.test(value))
      problems.push(
        `Input \`${name}\` holds white space or a control character (a line break?) inside it, but ${what} is one word. Check the secret or expression that sets it.`,
      );
  }

  const version = (name: string): string | undefined => {
    const raw = read(name);
    if (raw === '') return undefined;
    if (!VERSION.test(raw)) {
      problems.push(`Input \`${name}\`: ${quote(raw)} is not a release version like \`v1.2.3\`.`);
      return undefined;
    }
    return raw.startsWith('v') ? raw : `v${raw}`;
  };

  const mirrorRaw = read('tool-mirror');
  let toolMirror: string | undefined;
  if (mirrorRaw !== '') {
    try {
      // new URL() drops tabs and newlines silently; a mirror with them is two values glued together.
      if ([...mirrorRaw].some((c) => c.trim() === '' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
        throw new Error('whitespace');
      }
      const url = new URL(mirrorRaw);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      toolMirror = mirrorRaw.replace(/\/+$/, '');
    } catch {
      problems.push(`Input \`tool-mirror\`: ${quote(mirrorRaw)} is not an http(s) URL.`);
    }
  }

  const vex = lines(read('vex'))
    .map(({ text }) => existingPath('vex', 'file', text))
    .filter((p): p is string => p !== undefined);

  const timeoutRaw = read('stage-timeout') || '15m';
  const timeout = /^(\d+)(s|m|h)?$/.exec(timeoutRaw);
  const stageTimeoutMs = timeout
    ? Number(timeout[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[(timeout[2] ?? 's') as 's' | 'm' | 'h']
    : 0;
  if (!timeout || stageTimeoutMs <= 0 || stageTimeoutMs > 6 * 3_600_000) {
    problems.push(
      `Input \`stage-timeout\`: ${quote(timeoutRaw)} is not a duration like \`90s\`, \`15m\` or \`1h\` (at most 6h, GitHub's job limit).`,
    );
  }

  const target = read('target');
  if (target !== '' && !STAGE_NAME.test(target))
    problems.push(
      `Input \`target\`: ${quote(target)} is not a stage name. Give the name after \`AS\` in a \`FROM … AS <name>\` line of the Dockerfile: a letter, then letters, digits, \`_\`, \`.\` or \`-\`.`,
    );
  const config: Config = {
    tags,
    context,
    dockerfile,
    dockerfileRelative: workspaceRelative(github.workspace || cwd, dockerfile),
    dockerfileExists,
    buildArgs: keyValues('build-args'),
    platforms,
    labels: keyValues('labels'),
    push,
    build,
    builder: oneOf('builder', ['auto', 'docker', 'buildah', 'podman'] as const),
    verifyBaseImages: oneOf('verify-base-images', ['enforce', 'warn', 'off'] as const),
    pinBaseImages: bool('pin-base-images'),
    digestPinning: oneOf('digest-pinning', ['warn', 'off', 'enforce'] as const),
    scanner: oneOf('scanner', ['trivy', 'grype', 'none'] as const),
    failOnSeverity: oneOf('fail-on-severity', ['high', 'critical', 'medium', 'low', 'never'] as const),
    ignoreUnfixed: bool('ignore-unfixed'),
    vex,
    sign: bool('sign'),
    signatureAnnotations: keyValues('signature-annotations'),
    tlogUpload,
    attest,
    stageTimeoutMs,
    summary: bool('summary'),
    annotate: bool('annotate'),
    prComment: bool('pr-comment'),
    github,
  };
  const optional: Partial<Config> = {
    image,
    digest,
    target: target || undefined,
    trustPolicy: existingPath('trust-policy', 'file', read('trust-policy')),
    ignoreFile: existingPath('ignore-file', 'file', read('ignore-file')),
    cosignKey,
    cosignPassword: cosignPassword || undefined,
    cosignVersion: version('cosign-version'),
    scannerVersion: version('scanner-version'),
    cosignPath: executable('cosign-path'),
    scannerPath: executable('scanner-path'),
    toolMirror,
    githubToken: githubToken || undefined,
    registryAuth:
      registryUsername !== '' && registryPassword !== ''
        ? { username: registryUsername, password: registryPassword }
        : undefined,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(config, { [key]: value });
  }

  if (problems.length > 0) throw new ConfigErrors(problems);
  return config;
}

function lines(text: string): Array<{ text: string; line: number }> {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ text: t.trim(), line: i + 1 }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'));
}

function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}…` : value;
  return JSON.stringify(shown);
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** `path` as the repository sees it (`app/.trivyignore`), for annotations; unchanged when outside the workspace. */
export function workspaceRelative(workspace: string, path: string): string {
  const rel = relative(workspace, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/');
}

/** A repository name for local builds without `image`: "acme/app" → "app". */
function localName(repository: string): string {
  const name = repository.split('/').pop() ?? '';
  const cleaned = name.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
  return /^[a-z0-9]/.test(cleaned) ? cleaned : 'secure-image';
}
