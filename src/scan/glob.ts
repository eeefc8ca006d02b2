import { compileRe2, Re2CompileError } from '../policy/re2.js';

/** A compiled path glob: whether a (normalised) path matches it. */
export type PathGlob = (path: string) => boolean;

/**
 * Path globs as trivy's `paths` and grype's `package.location` use them (bmatcuk/doublestar): `*` and `?`
 * stay within one path segment, `**` as a whole segment spans any number of segments, `[…]` classes,
 * `{a,b}` alternatives, `\` escapes. Throws on a malformed pattern so the caller can name the file and line.
 *
 * The glob comes from the build context, which a pull request controls, and is matched against paths from
 * the image. A JavaScript RegExp of `*a*a*a…*c` backtracks for minutes on a 40-character path, so the glob
 * is translated to RE2 syntax and run by the linear matcher of src/policy/re2.ts: its time is the glob's
 * length times the path's, whatever either holds.
 */
export function compileGlob(pattern: string): PathGlob {
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
      out += next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i += 2;
      continue;
    }
    out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    i += 1;
  }
  if (braceDepth > 0) throw new Error(`unclosed "{" in the pattern ${JSON.stringify(pattern)}`);
  try {
    // `(?s)`: `**` spans every character, a line break included, as doublestar's does.
    const matcher = compileRe2(`(?s)^${out}$`);
    return (path) => matcher.test(path);
  } catch (err) {
    if (err instanceof Re2CompileError)
      throw new Error(`the pattern ${JSON.stringify(pattern)}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** Report paths come with (grype) or without (trivy) a leading slash; compare them without. */
export function normalisePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(?:\.\/)+/, '')
    .replace(/^\/+/, '');
}

export function globMatches(glob: PathGlob, path: string | undefined): boolean {
  return path !== undefined && glob(normalisePath(path));
}
