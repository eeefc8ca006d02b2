/**
 * The two glob dialects this action matches untrusted names and paths with, both translated to RE2 and run
 * by src/policy/re2.ts (linear in the text for any pattern; a backtracking RegExp of `*a*a*a…*c` runs for
 * minutes on a 40-character name):
 * - image patterns of the trust policy ({@link globMatch}): `*` within one path segment, `**` across
 *   segments, everything else literal, matched against the fully qualified name without tag or digest
 *   (`docker.io/library/golang`, `localhost:5000/app`);
 * - path globs of trivy's `paths` and grype's `package.location` ({@link compileGlob}), as bmatcuk/doublestar
 *   reads them: `*` and `?` within one segment, `**` as a whole segment for any number of segments,
 *   `[…]` classes, `{a,b}` alternatives, `\` escapes.
 * The Dockerfile's `${VAR#pattern}` shell patterns (src/dockerfile/glob.ts) are a third dialect matched
 * apart: they need where a match ends (shortest and longest prefix or suffix, each replacement) within a
 * work budget shared by a whole expansion, not a yes or no.
 *
 * Image patterns went from a position-set walk (O(pattern × name) per call) to RE2 compiled once per
 * pattern. Measured against the walk (medians, Node 24, 2-core machine under load): 47 names × 5 patterns
 * 41 → 17 µs a round; `*a`×25`b` against 100 `a` 128 → 2 µs, against 5,000 `a` 4.7 → 0.05 ms; the one
 * case slower is a trailing `**` against a 5,000-character name, 0.04 → 0.4 ms (the walk's `startsWith`
 * beats stepping an automaton a character at a time), which no real name reaches.
 */
import { compileRe2, Re2CompileError, RE2_MAX_INSTRUCTIONS } from './re2.js';

/** A compiled glob: whether a name or (normalised) path matches it. */
export type Glob = (text: string) => boolean;

/** The characters that are syntax in both RE2 and JavaScript RegExp, escaped to stand for themselves. */
const escapeRegExp = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** RE2 source `body` of `pattern`, compiled to match whole texts; `(?s)`: `**` spans a line break too. */
function compileAnchored(pattern: string, body: string, maxInstructions: number): Glob {
  try {
    const re = compileRe2(`(?s)^${body}$`, maxInstructions);
    return (text) => re.test(text);
  } catch (err) {
    if (err instanceof Re2CompileError)
      throw new Error(`the pattern ${JSON.stringify(pattern)}: ${err.message}`, { cause: err });
    throw err;
  }
}

type Token = { kind: 'literal'; text: string } | { kind: 'star' } | { kind: 'globstar' };

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length;) {
    if (pattern[i] === '*') {
      if (literal) tokens.push({ kind: 'literal', text: literal });
      literal = '';
      if (pattern[i + 1] === '*') {
        tokens.push({ kind: 'globstar' });
        i += 2;
      } else {
        tokens.push({ kind: 'star' });
        i += 1;
      }
    } else {
      literal += pattern[i];
      i += 1;
    }
  }
  if (literal) tokens.push({ kind: 'literal', text: literal });
  return tokens;
}

/** An image pattern's body in `star`/`globstar`'s syntax: RE2's and JavaScript's share it. */
function imagePatternBody(pattern: string, globstar: string): string {
  return tokenize(pattern)
    .map((t) => (t.kind === 'literal' ? escapeRegExp(t.text) : t.kind === 'star' ? '[^/]*' : globstar))
    .join('');
}

/**
 * The pattern as an anchored JavaScript RegExp (`*` → `[^/]*`, `**` → any characters), for display and
 * for callers that need a RegExp; it may backtrack, so matching uses {@link globMatch}.
 */
export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${imagePatternBody(pattern, '[\\s\\S]*')}$`);
}

/** Compiled image patterns: a policy has a few, matched against every base image. */
const imageGlobs = new Map<string, Glob>();
const IMAGE_GLOBS_KEPT = 1000;

/**
 * Whether `name` matches the image pattern, in time linear in the name: the image names come from a
 * Dockerfile that a pull request may change, so matching must not depend on its contents. A pattern's
 * program grows with its length (one instruction a character), so a long pattern is allowed as many.
 */
export function globMatch(pattern: string, name: string): boolean {
  let glob = imageGlobs.get(pattern);
  if (glob === undefined) {
    if (imageGlobs.size >= IMAGE_GLOBS_KEPT) imageGlobs.clear();
    const maxInstructions = Math.max(RE2_MAX_INSTRUCTIONS, 4 * pattern.length);
    glob = compileAnchored(pattern, imagePatternBody(pattern, '.*'), maxInstructions);
    imageGlobs.set(pattern, glob);
  }
  return glob(name);
}

/** A path glob (doublestar's syntax, above). Throws on a malformed pattern so the caller can name the file and line. */
export function compileGlob(pattern: string): Glob {
  let out = '';
  let i = 0;
  let braceDepth = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      const doubled = pattern[i + 1] === '*';
      const atSegmentStart = i === 0 || pattern[i - 1] === '/';
      const atSegmentEnd = i + 2 >= n || pattern[i + 2] === '/';
      if (doubled && atSegmentStart && atSegmentEnd) {
        if (i + 2 >= n) {
          out += '.*';
          i += 2;
        } else {
          // `**/` also matches no directory at all.
          out += '(?:[^/]*(?:/[^/]*)*/)?';
          i += 3;
        }
        continue;
      }
      out += '[^/]*';
      i += doubled ? 2 : 1;
      continue;
    }
    if (c === '?') {
      out += '[^/]';
      i += 1;
      continue;
    }
    if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new Error(`unclosed "[" in the pattern ${JSON.stringify(pattern)}`);
      let body = pattern.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      const escaped = body.replace(/[\\\]]/g, '\\$&');
      out += negate ? `[^/${escaped}]` : `[${escaped}]`;
      i = end + 1;
      continue;
    }
    if (c === '{') {
      braceDepth += 1;
      out += '(?:';
      i += 1;
      continue;
    }
    if (c === '}' && braceDepth > 0) {
      braceDepth -= 1;
      out += ')';
      i += 1;
      continue;
    }
    if (c === ',' && braceDepth > 0) {
      out += '|';
      i += 1;
      continue;
    }
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw new Error(`the pattern ${JSON.stringify(pattern)} ends with "\\"`);
      out += escapeRegExp(next);
      i += 2;
      continue;
    }
    out += escapeRegExp(c);
    i += 1;
  }
  if (braceDepth > 0) throw new Error(`unclosed "{" in the pattern ${JSON.stringify(pattern)}`);
  return compileAnchored(pattern, out, RE2_MAX_INSTRUCTIONS);
}

/**
 * Docker Hub short forms, as Docker normalises references: `golang` → `docker.io/library/golang`,
 * `acme/app` → `docker.io/acme/app`, `index.docker.io/x/y` → `docker.io/x/y`. A pattern whose
 * first segment holds a wildcard is taken as already qualified (`**`, `*.gcr.io/**`).
 */
export function normaliseImagePattern(pattern: string): string {
  const slash = pattern.indexOf('/');
  const first = slash < 0 ? pattern : pattern.slice(0, slash);
  const isRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (first.includes('*')) return pattern;
  let registry: string;
  let path: string;
  if (slash >= 0 && isRegistry) {
    // As distribution/reference does; registry-1.docker.io stays as written there, so here too.
    registry = first === 'index.docker.io' ? 'docker.io' : first;
    path = pattern.slice(slash + 1);
  } else {
    registry = 'docker.io';
    path = pattern;
  }
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return `${registry}/${path}`;
}

/** What is wrong with an image pattern as written, or undefined when it is usable. */
export function imagePatternProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'an image pattern is empty; write a name such as "ghcr.io/acme/*"';
  if (/\s/.test(pattern)) return `"${pattern}" contains white space; image names have none`;
  if (/[A-Z]/.test(pattern)) {
    return `"${pattern}" has upper-case letters; image names are lower case (write "${pattern.toLowerCase()}")`;
  }
  const at = pattern.indexOf('@');
  if (at >= 0) {
    return `"${pattern}" has a digest; patterns match the name without tag or digest (write "${pattern.slice(0, at)}")`;
  }
  const segments = pattern.split('/');
  const ipv6Host = /^\[[0-9a-f:.]+\](?::(?:[0-9]+|\*))?$/;
  for (const [index, segment] of segments.entries()) {
    if (index === 0 && segments.length > 1 && ipv6Host.test(segment)) continue;
    const colon = segment.indexOf(':');
    if (colon < 0) continue;
    const isRegistryPort =
      index === 0 && segments.length > 1 && /^[0-9]+$|^\*$/.test(segment.slice(colon + 1));
    if (!isRegistryPort) {
      const name = [...segments.slice(0, index), segment.slice(0, colon)].join('/');
      return `"${pattern}" has a tag ("${segment.slice(colon)}"); patterns match the name without tag or digest (write "${name}")`;
    }
  }
  const host = segments.length > 1 && ipv6Host.test(segments[0] ?? '') ? (segments[0] ?? '') : '';
  const bad = pattern.slice(host.length).match(/[^a-z0-9._\-/:*]/);
  if (bad) {
    return `"${pattern}" contains "${bad[0]}"; a pattern holds the characters of image names (a-z 0-9 . _ - / :) and the wildcards * (within a segment) and ** (across segments)`;
  }
  if (segments.some((s) => s === '')) {
    return `"${pattern}" has an empty path segment (a leading, trailing or doubled "/")`;
  }
  const badGlobstar = segments.find((s) => s.includes('**') && s !== '**');
  if (badGlobstar !== undefined) {
    return `"${pattern}" uses ** inside the segment "${badGlobstar}"; ** must be a whole segment ("ghcr.io/acme/**"), use * within a segment`;
  }
  return undefined;
}
