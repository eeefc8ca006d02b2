/**
 * Image-name patterns of the trust policy: `*` matches within one path segment, `**` across
 * segments, everything else is literal. Patterns match the fully qualified name without tag or
 * digest (`docker.io/library/golang`, `localhost:5000/app`).
 */

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

/**
 * The pattern as an anchored RegExp (`*` → `[^/]*`, `**` → any characters). For display and for
 * callers that need a RegExp; matchRule uses {@link globMatch}, which cannot backtrack.
 */
export function globToRegExp(pattern: string): RegExp {
  const body = tokenize(pattern)
    .map((t) =>
      t.kind === 'literal'
        ? t.text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
        : t.kind === 'star'
          ? '[^/]*'
          : '[\\s\\S]*',
    )
    .join('');
  return new RegExp(`^${body}$`);
}

/**
 * Whether `name` matches `pattern`, in O(pattern × name) time. A RegExp built from a pattern with
 * many `*` can backtrack exponentially on a long name that almost matches; the image names come
 * from a Dockerfile that a pull request may change, so matching must not depend on its contents.
 */
export function globMatch(pattern: string, name: string): boolean {
  const n = name.length;
  // reach[j]: the tokens read so far can match exactly name[0, j).
  let reach = new Uint8Array(n + 1);
  reach[0] = 1;
  for (const token of tokenize(pattern)) {
    const next = new Uint8Array(n + 1);
    if (token.kind === 'literal') {
      const len = token.text.length;
      for (let j = 0; j + len <= n; j++) {
        if (reach[j] && name.startsWith(token.text, j)) next[j + len] = 1;
      }
    } else {
      const crossesSlash = token.kind === 'globstar';
      for (let j = 0; j <= n; j++) {
        if (reach[j] || (j > 0 && next[j - 1] && (crossesSlash || name[j - 1] !== '/'))) next[j] = 1;
      }
    }
    reach = next;
  }
  return reach[n] === 1;
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
