// The builder-parity inputs in buildx's syntax, parsed without side effects: `cache-from`, `cache-to`,
// `annotations`, `ssh`. Each function returns what it understood and one problem per malformed line, naming the
// input and the line, so the config reader reports them all together.
import type { BuilderName } from './types.js';

/** One `cache-from` or `cache-to` line: `type=…,key=value,…` (a bare reference is `type=registry,ref=<it>`). */
export interface CacheEntry {
  type: 'registry' | 'local' | 'gha' | 'inline';
  attrs: Record<string, string>;
  /** The line as buildx gets it (a bare reference spelled out). */
  spec: string;
}

export type AnnotationLevel = 'manifest' | 'index' | 'manifest-descriptor' | 'index-descriptor';

/** One `annotations` line: `[level[,level][platform]:]key=value`, as buildx and docker/metadata-action write it. */
export interface Annotation {
  levels: AnnotationLevel[];
  platform?: string;
  key: string;
  value: string;
}

export interface Parsed<T> {
  values: T[];
  problems: string[];
}

const CACHE_TYPES = ['registry', 'local', 'gha', 'inline'] as const;
/** What a cache exported as image layers (registry, local) takes besides where it goes. */
const LAYER_EXPORT_ATTRS = [
  'image-manifest',
  'oci-mediatypes',
  'compression',
  'compression-level',
  'force-compression',
  'ignore-error',
];
/** The attributes each type takes, per direction (buildx's cache backends). */
const CACHE_ATTRS: Record<CacheEntry['type'], { from: readonly string[]; to: readonly string[] }> = {
  registry: {
    from: ['ref'],
    to: ['ref', 'mode', ...LAYER_EXPORT_ATTRS],
  },
  local: {
    from: ['src', 'digest', 'tag'],
    to: ['dest', 'mode', 'tag', ...LAYER_EXPORT_ATTRS],
  },
  gha: {
    from: ['scope', 'url', 'url_v2', 'version'],
    to: ['scope', 'mode', 'url', 'url_v2', 'version', 'ignore-error', 'timeout'],
  },
  inline: { from: [], to: [] },
};
const CACHE_MODES = ['min', 'max'];
const LEVELS: readonly AnnotationLevel[] = ['manifest', 'index', 'manifest-descriptor', 'index-descriptor'];
const SSH_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ANNOTATION_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** Fields of one CSV record, as buildx reads these flags: commas split, double quotes group. */
export function csvFields(text: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  if (quoted) return undefined;
  fields.push(field.trim());
  return fields;
}

const show = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}…` : text);
const list = (values: readonly string[]): string => values.map((v) => `\`${v}\``).join(', ');

/** `cache-from` or `cache-to` lines. */
export function parseCache(
  input: 'cache-from' | 'cache-to',
  lines: ReadonlyArray<{ text: string; line: number }>,
): Parsed<CacheEntry> {
  const values: CacheEntry[] = [];
  const problems: string[] = [];
  const direction = input === 'cache-from' ? 'from' : 'to';
  for (const { text, line } of lines) {
    const at = `Input \`${input}\`, line ${line}: ${show(text)}`;
    const fields = csvFields(text);
    if (!fields || fields.some((f) => f === '')) {
      problems.push(
        `${at} is not a comma-separated list of key=value (an empty field or an unclosed quote).`,
      );
      continue;
    }
    if (fields.length === 1 && !fields[0]?.includes('=')) {
      values.push({
        type: 'registry',
        attrs: { ref: fields[0] ?? '' },
        spec: `type=registry,ref=${fields[0]}`,
      });
      continue;
    }
    const attrs: Record<string, string> = {};
    let bad = false;
    for (const field of fields) {
      const eq = field.indexOf('=');
      if (eq <= 0) {
        problems.push(`${at}: ${show(field)} is not key=value.`);
        bad = true;
        break;
      }
      attrs[field.slice(0, eq)] = field.slice(eq + 1);
    }
    if (bad) continue;
    const { type = '', ...rest } = attrs;
    const types = direction === 'from' ? CACHE_TYPES.filter((t) => t !== 'inline') : CACHE_TYPES;
    if (!(types as readonly string[]).includes(type)) {
      problems.push(`${at}: \`type\` must be one of ${list(types)}; got ${show(type)}.`);
      continue;
    }
    const cacheType = type as CacheEntry['type'];
    const allowed = CACHE_ATTRS[cacheType][direction];
    const unknown = Object.keys(rest).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) {
      // `token` and `ghtoken` would put a credential on the command line; the runner's token reaches buildx
      // through its environment instead.
      const credential = unknown.some((k) => k === 'token' || k === 'ghtoken');
      problems.push(
        credential
          ? `${at}: a token does not belong in \`${input}\`, where it would be on the builder's command line; the action gives buildx the runner's cache token through its environment.`
          : `${at}: type=${cacheType} takes ${allowed.length > 0 ? list(allowed) : 'no other attributes'}; ${list(unknown)} ${unknown.length > 1 ? 'are' : 'is'} not one of them.`,
      );
      continue;
    }
    if (rest.mode !== undefined && !CACHE_MODES.includes(rest.mode)) {
      problems.push(`${at}: \`mode\` must be one of ${list(CACHE_MODES)}; got ${show(rest.mode)}.`);
      continue;
    }
    const needs =
      cacheType === 'registry' ? 'ref' : cacheType === 'local' ? (direction === 'from' ? 'src' : 'dest') : '';
    if (needs !== '' && !rest[needs]) {
      problems.push(`${at}: type=${cacheType} needs \`${needs}=\`.`);
      continue;
    }
    values.push({ type: cacheType, attrs: rest, spec: text });
  }
  return { values, problems };
}

/** Why buildah or podman cannot use these caches, one message each; they read and write a registry repository only. */
export function containersCacheProblems(
  builder: Exclude<BuilderName, 'docker'>,
  from: readonly CacheEntry[],
  to: readonly CacheEntry[],
): string[] {
  const problems: string[] = [];
  for (const [input, entries] of [
    ['cache-from', from],
    ['cache-to', to],
  ] as const) {
    for (const entry of entries) {
      if (entry.type !== 'registry')
        problems.push(
          `Input \`${input}\`: ${builder} cannot use a type=${entry.type} cache (${show(entry.spec)}); it reads and writes only a registry repository (type=registry,ref=<repository>). Use \`builder: docker\` for type=${entry.type}.`,
        );
      else if (Object.keys(entry.attrs).some((k) => k !== 'ref' && k !== 'mode'))
        problems.push(
          `Input \`${input}\`: ${builder} takes only \`ref\` (and \`mode\`, which it ignores: it caches every layer) in ${show(entry.spec)}.`,
        );
    }
    if (entries.length > 1)
      problems.push(
        `Input \`${input}\`: ${builder} takes one cache repository; ${entries.length} are given.`,
      );
  }
  return problems;
}

/** `annotations` lines. */
export function parseAnnotations(lines: ReadonlyArray<{ text: string; line: number }>): Parsed<Annotation> {
  const values: Annotation[] = [];
  const problems: string[] = [];
  for (const { text, line } of lines) {
    const at = `Input \`annotations\`, line ${line}: ${show(text)}`;
    const eq = text.indexOf('=');
    if (eq <= 0) {
      problems.push(`${at} is not [level:]key=value.`);
      continue;
    }
    const head = text.slice(0, eq).trim();
    const colon = head.indexOf(':');
    let levels: AnnotationLevel[] = ['manifest'];
    let platform: string | undefined;
    if (colon >= 0) {
      const match = /^([a-z,-]+)(?:\[([^\]]+)\])?$/.exec(head.slice(0, colon));
      const named = match?.[1]?.split(',') ?? [];
      const unknown = named.filter((l) => !(LEVELS as readonly string[]).includes(l));
      if (!match || named.length === 0 || unknown.length > 0) {
        problems.push(
          `${at}: the prefix before \`:\` must be levels from ${list(LEVELS)}, optionally with [os/arch].`,
        );
        continue;
      }
      levels = named as AnnotationLevel[];
      platform = match[2];
    }
    const key = head.slice(colon + 1);
    if (!ANNOTATION_KEY.test(key)) {
      problems.push(
        `${at}: ${show(key)} is not an annotation key (e.g. \`org.opencontainers.image.title\`).`,
      );
      continue;
    }
    if (key.startsWith('org.opencontainers.image.base.')) {
      // What the image was built on is the builder's record (buildah, podman) or the action's, from the verified
      // digest; a line here would let the input speak for the base image that the materials check reads.
      problems.push(`${at}: ${show(key)} is set from the verified base image, not by this input.`);
      continue;
    }
    values.push({ levels, ...(platform ? { platform } : {}), key, value: text.slice(eq + 1) });
  }
  return { values, problems };
}

/** An annotation as buildx's `--annotation` takes it. */
export function buildxAnnotation(a: Annotation): string {
  const prefix =
    a.levels.length === 1 && a.levels[0] === 'manifest' && !a.platform
      ? ''
      : `${a.levels.join(',')}${a.platform ? `[${a.platform}]` : ''}:`;
  return `${prefix}${a.key}=${a.value}`;
}

/** Why buildah or podman cannot set these annotations: they annotate the image manifest only. */
export function containersAnnotationProblems(
  builder: Exclude<BuilderName, 'docker'>,
  annotations: readonly Annotation[],
): string[] {
  return annotations
    .filter((a) => a.platform !== undefined || a.levels.some((l) => l !== 'manifest'))
    .map(
      (a) =>
        `Input \`annotations\`: ${builder} annotates the image manifest only; ${show(`${a.levels.join(',')}${a.platform ? `[${a.platform}]` : ''}:${a.key}`)} needs \`builder: docker\`.`,
    );
}

/**
 * `ssh` lines: `default`, `<id>` (the agent at SSH_AUTH_SOCK) or `<id>=<socket or key>[,<key>]`; `file` gives the
 * absolute path of an existing file or socket, or undefined.
 */
export function parseSsh(
  lines: ReadonlyArray<{ text: string; line: number }>,
  file: (path: string) => string | undefined,
  agent: string | undefined,
): Parsed<string> {
  const values: string[] = [];
  const problems: string[] = [];
  for (const { text, line } of lines) {
    const at = `Input \`ssh\`, line ${line}: ${show(text)}`;
    const eq = text.indexOf('=');
    const id = eq >= 0 ? text.slice(0, eq) : text;
    if (!SSH_ID.test(id)) {
      problems.push(
        `${at}: ${show(id)} is not an SSH id; write \`default\` or \`<id>=<path to a key or agent socket>\`.`,
      );
      continue;
    }
    if (eq < 0) {
      if (!agent) {
        problems.push(
          `${at}: no SSH agent is running (SSH_AUTH_SOCK is not set); start one (webfactory/ssh-agent) or give a key file: \`${id}=<path>\`.`,
        );
        continue;
      }
      values.push(id);
      continue;
    }
    const paths = text.slice(eq + 1).split(',');
    const found = paths.map((p) => (p === '' ? undefined : file(p)));
    const missing = paths.filter((_, i) => found[i] === undefined);
    if (missing.length > 0) {
      problems.push(`${at}: ${missing.map(show).join(', ')} does not exist.`);
      continue;
    }
    values.push(`${id}=${found.join(',')}`);
  }
  return { values, problems };
}

/**
 * The `cache-to` entries this event may write. A pull request never writes where the default branch reads: a
 * registry cache is one shared reference, so it is held back; a gha cache written by `pull_request` is scoped by
 * GitHub to the pull request's ref, but `pull_request_target` runs in the default branch's scope, so there it is held
 * back too. A local cache stays on the runner, and an inline cache travels in the pull request's own image.
 */
export function writableCache(
  eventName: string,
  entries: readonly CacheEntry[],
): { write: CacheEntry[]; held: CacheEntry[] } {
  const held = entries.filter(
    (c) =>
      (eventName.startsWith('pull_request') && c.type === 'registry') ||
      (eventName === 'pull_request_target' && c.type === 'gha'),
  );
  return { write: entries.filter((c) => !held.includes(c)), held };
}

/** The summary's words on the cache: what was read, what was written, what a pull request was not let write. */
export function cacheSummary(from: readonly CacheEntry[], cache: ReturnType<typeof writableCache>): string {
  const parts: string[] = [];
  if (from.length > 0) parts.push(`cache read from ${from.map((c) => `\`${c.spec}\``).join(', ')}`);
  if (cache.write.length > 0) parts.push(`written to ${cache.write.map((c) => `\`${c.spec}\``).join(', ')}`);
  if (cache.held.length > 0)
    parts.push(
      `not written to ${cache.held.map((c) => `\`${c.spec}\``).join(', ')} (a pull request does not write the default branch's cache)`,
    );
  return parts.join('; ');
}
