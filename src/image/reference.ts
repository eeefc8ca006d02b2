/**
 * Image references, parsed and normalised the way github.com/distribution/reference does
 * (`ParseNormalizedNamed`), so a name means here what it means to docker, buildkit and cosign:
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [domain "/"] path-component ["/" path-component]*
 *   domain     := host [":" port]     host := domain-name | "[" ipv6 "]"
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [\w][\w.-]{0,127}
 *
 * The grammar is checked by hand-written scanners, not the upstream regular expressions: those nest
 * quantifiers, and a backtracking engine (JavaScript's) can take super-linear time on hostile input.
 *
 * Decisions beyond upstream:
 * - Digests: the algorithms go-digest registers (sha256, sha384, sha512), lower-case hex of the exact
 *   length. Anything else is rejected with a message, as docker would reject it when pulling.
 * - A registry host is lower-cased when it is recognisably a host (contains "." or ":", or is
 *   "localhost"): host names are case-insensitive, and policy patterns must not be sidestepped by
 *   writing `GHCR.IO/...`. A bare upper-case first component (`Foo/bar`, a "domain" only because it is
 *   upper case) is kept as written so that it still reads as a domain.
 * - `index.docker.io` becomes `docker.io` (as upstream). `registry-1.docker.io` is kept as written (as
 *   upstream): it is the same registry, but it is a different name to policy patterns.
 */
import { UserError } from '../util/errors.js';

export interface ImageReference {
  /** "docker.io", "ghcr.io", "localhost:5000", "127.0.0.1:5000", "[::1]:5000" */
  registry: string;
  /** "library/node", "acme/app" */
  repository: string;
  /** As written; undefined when none. */
  tag?: string;
  /** "sha256:<64 hex>" when written. */
  digest?: string;
  /** Neither tag nor digest written (the tag is then treated as "latest"). */
  implicitLatest: boolean;
}

export class ReferenceFormatError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceFormatError';
  }
}

export const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
/** distribution's RepositoryNameTotalLengthMax; applies to the path (repository), as upstream does. */
export const MAX_REPOSITORY_LENGTH = 255;
export const MAX_TAG_LENGTH = 128;
/**
 * No valid reference comes near this (path 255 + tag 128 + sha512 digest + a long host), so anything
 * longer is refused before any scanning.
 */
export const MAX_REFERENCE_LENGTH = 1024;

const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

function isLowerAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}
function isAlnum(c: number): boolean {
  return isLowerAlnum(c) || (c >= 0x41 && c <= 0x5a);
}
function isWordChar(c: number): boolean {
  return isAlnum(c) || c === 0x5f;
}
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}
function isLowerHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
}

/** `[\w][\w.-]{0,127}` */
export function isValidTag(tag: string): boolean {
  if (tag.length === 0 || tag.length > MAX_TAG_LENGTH) return false;
  if (!isWordChar(tag.charCodeAt(0))) return false;
  for (let i = 1; i < tag.length; i++) {
    const c = tag.charCodeAt(i);
    if (!isWordChar(c) && c !== 0x2e && c !== 0x2d) return false;
  }
  return true;
}

/** Why a digest is not acceptable, or null when it is. */
function digestProblem(d: string): string | null {
  const colon = d.indexOf(':');
  if (colon <= 0) return `digest "${d}" must look like sha256:<64 hex characters>`;
  const algorithm = d.slice(0, colon);
  const hex = d.slice(colon + 1);
  const want = DIGEST_HEX_LENGTH[algorithm];
  if (want === undefined) {
    return `digest algorithm "${algorithm}" is not supported (use sha256, sha384 or sha512)`;
  }
  if (hex.length !== want) {
    return `${algorithm} digest must have ${want} hex characters, "${d}" has ${hex.length}`;
  }
  for (let i = 0; i < hex.length; i++) {
    const c = hex.charCodeAt(i);
    if (!isLowerHex(c)) {
      return isHex(c)
        ? `digest "${d}" must be written in lower-case hex`
        : `digest "${d}" contains "${hex[i] ?? ''}", which is not a hex character`;
    }
  }
  return null;
}

/** sha256/sha384/sha512 followed by lower-case hex of the exact length (what go-digest accepts). */
export function isValidDigest(d: string): boolean {
  return d.length <= 7 + 128 && digestProblem(d) === null;
}

/** One path component: [a-z0-9]+ ((. | _ | __ | -+) [a-z0-9]+)* — `null` when valid. */
function pathComponentProblem(component: string): string | null {
  if (component.length === 0) return 'a path component is empty (check for "//" or a trailing "/")';
  let i = 0;
  const n = component.length;
  for (;;) {
    const start = i;
    while (i < n && isLowerAlnum(component.charCodeAt(i))) i++;
    if (i === start) {
      const c = component[i] ?? '';
      if (i === 0) return `"${component}" must start with a lower-case letter or digit`;
      return `"${component}" has "${c}" where a letter or digit must follow a separator`;
    }
    if (i === n) return null;
    const c = component.charCodeAt(i);
    if (c === 0x2e /* . */) {
      i++;
    } else if (c === 0x5f /* _ */) {
      i++;
      if (component.charCodeAt(i) === 0x5f) i++;
    } else if (c === 0x2d /* - */) {
      while (component.charCodeAt(i) === 0x2d) i++;
    } else {
      return `"${component}" contains "${component[i] ?? ''}", which is not allowed in a repository name`;
    }
    if (i === n) return `"${component}" must not end with a separator`;
  }
}

/** host [":" port], host = domain-name | "[" ipv6 "]" — `null` when valid. */
function domainProblem(domain: string): string | null {
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const close = domain.indexOf(']');
    if (close < 0) return `registry "${domain}" has "[" without "]"`;
    const inner = domain.slice(1, close);
    if (inner.length === 0) return `registry "${domain}" has an empty IPv6 address`;
    for (let i = 0; i < inner.length; i++) {
      const c = inner.charCodeAt(i);
      if (!isHex(c) && c !== 0x3a) return `registry "${domain}": "${inner}" is not an IPv6 address`;
    }
    const after = domain.slice(close + 1);
    if (after.length > 0) {
      if (!after.startsWith(':')) return `registry "${domain}" has text after "]" that is not a port`;
      port = after.slice(1);
    }
  } else {
    const colon = domain.indexOf(':');
    const host = colon >= 0 ? domain.slice(0, colon) : domain;
    if (colon >= 0) port = domain.slice(colon + 1);
    if (host.length === 0) return `registry "${domain}" has no host name`;
    for (const label of host.split('.')) {
      if (label.length === 0) return `registry host "${host}" has an empty label`;
      for (let i = 0; i < label.length; i++) {
        const c = label.charCodeAt(i);
        const hyphen = c === 0x2d;
        if (!isAlnum(c) && !(hyphen && i > 0 && i < label.length - 1)) {
          return `registry host "${host}" contains "${label[i] ?? ''}" where it is not allowed`;
        }
      }
    }
  }
  if (port !== undefined) {
    if (port.length === 0) return `registry "${domain}" has ":" but no port number`;
    for (let i = 0; i < port.length; i++) {
      const c = port.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return `registry "${domain}" has port "${port}", which is not a number`;
    }
  }
  return null;
}

function isHostLike(first: string): boolean {
  return first === 'localhost' || first.includes('.') || first.includes(':');
}

interface Split {
  registry: string;
  repository: string;
}

/** distribution's splitDockerDomain, applied to the name without tag and digest. */
function splitDomain(name: string): Split {
  const slash = name.indexOf('/');
  if (slash < 0) return { registry: DEFAULT_REGISTRY, repository: OFFICIAL_PREFIX + name };
  const first = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let registry: string;
  let repository: string;
  if (first === LEGACY_DEFAULT_REGISTRY) {
    registry = DEFAULT_REGISTRY;
    repository = rest;
  } else if (isHostLike(first) || first.toLowerCase() !== first) {
    registry = first;
    repository = rest;
  } else {
    registry = DEFAULT_REGISTRY;
    repository = name;
  }
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = OFFICIAL_PREFIX + repository;
  return { registry, repository };
}

function fail(text: string, why: string): { ok: false; error: string } {
  const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return { ok: false, error: `invalid image reference "${shown}": ${why}` };
}

export function tryParseReference(
  text: string,
): { ok: true; ref: ImageReference } | { ok: false; error: string } {
  if (text.length === 0) return { ok: false, error: 'invalid image reference: it is empty' };
  if (text.length > MAX_REFERENCE_LENGTH) {
    return fail(
      text,
      `it is ${text.length} characters long; no valid reference exceeds ${MAX_REFERENCE_LENGTH}`,
    );
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return fail(text, 'it contains whitespace or a control character');
    if (c > 0x7e) return fail(text, `it contains "${text[i] ?? ''}"; references are ASCII only`);
  }
  if (text.length === 64 && [...text].every((ch) => isLowerHex(ch.charCodeAt(0)))) {
    return fail(text, 'a 64-character hex string is an image ID, not a repository name');
  }

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (digest.includes('@')) return fail(text, 'it contains more than one "@"');
    const why = digestProblem(digest);
    if (why !== null) return fail(text, why);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (tag.length === 0) return fail(text, 'it ends with ":" but has no tag');
    if (!isValidTag(tag)) {
      return fail(
        text,
        tag.length > MAX_TAG_LENGTH
          ? `tag is ${tag.length} characters long; the limit is ${MAX_TAG_LENGTH}`
          : `tag "${tag}" is not valid (letters, digits, "_", "." and "-", not starting with "." or "-")`,
      );
    }
  }
  if (rest.length === 0) return fail(text, 'it has no repository name');

  const split = splitDomain(rest);
  const domainWhy = domainProblem(split.registry);
  if (domainWhy !== null) return fail(text, domainWhy);
  if (split.repository.toLowerCase() !== split.repository) {
    return fail(
      text,
      `repository name "${split.repository}" must be lower case (write "${split.repository.toLowerCase()}")`,
    );
  }
  for (const component of split.repository.split('/')) {
    const why = pathComponentProblem(component);
    if (why !== null) return fail(text, why);
  }
  if (split.repository.length > MAX_REPOSITORY_LENGTH) {
    return fail(
      text,
      `repository name is ${split.repository.length} characters long; the limit is ${MAX_REPOSITORY_LENGTH}`,
    );
  }
  const registry = isHostLike(split.registry.toLowerCase()) ? split.registry.toLowerCase() : split.registry;
  const ref: ImageReference = {
    registry,
    repository: split.repository,
    implicitLatest: tag === undefined && digest === undefined,
  };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return { ok: true, ref };
}

export function parseReference(text: string): ImageReference {
  const result = tryParseReference(text);
  if (!result.ok) throw new ReferenceFormatError(result.error);
  return result.ref;
}

/** "docker.io/library/node": registry and repository, no tag or digest — what policy patterns match. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** Fully qualified: "docker.io/library/node:latest", "ghcr.io/a/b:1@sha256:…", "ghcr.io/a/b@sha256:…". */
export function formatReference(ref: ImageReference): string {
  let out = repositoryName(ref);
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  else if (ref.digest === undefined) out += ':latest';
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

/** The same reference pinned to `digest`; a written tag is kept (name:tag@sha256:…). */
export function withDigest(ref: ImageReference, digest: string): ImageReference {
  const why = digestProblem(digest);
  if (why !== null) throw new ReferenceFormatError(`cannot pin ${repositoryName(ref)}: ${why}`);
  const out: ImageReference = {
    registry: ref.registry,
    repository: ref.repository,
    digest,
    implicitLatest: false,
  };
  if (ref.tag !== undefined) out.tag = ref.tag;
  return out;
}

/**
 * For the `image` input: a repository to push to, without tag or digest. The error says what to
 * remove and that tags belong in `tags`.
 */
export function parseRepositoryOnly(
  text: string,
): { ok: true; registry: string; repository: string } | { ok: false; error: string } {
  const trimmed = text.trim();
  const parsed = tryParseReference(trimmed);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const { ref } = parsed;
  const name = repositoryName(ref);
  if (ref.digest !== undefined) {
    return {
      ok: false,
      error:
        `it must be a repository without tag or digest, but "${trimmed}" has the digest ` +
        `"${ref.digest}": remove it (write "${name}"); to act on an existing digest use the "digest" input`,
    };
  }
  if (ref.tag !== undefined) {
    return {
      ok: false,
      error:
        `it must be a repository without a tag, but "${trimmed}" has the tag "${ref.tag}": ` +
        `remove it (write "${name}") and put tags in the "tags" input`,
    };
  }
  return { ok: true, registry: ref.registry, repository: ref.repository };
}
