/**
 * The shell patterns of `${var#pat}`, `${var%pat}` and `${var/pat/repl}` as BuildKit evaluates them
 * (`?` one character, `*` any run, `\*` `\?` `\\` literal, `\}` `\/` the bare character; `?` and `*`
 * do not match a newline, as Go's `.` does not).
 *
 * BuildKit turns the pattern into a Go regexp (linear time). Here matching is a position-set walk,
 * O(value × pattern) per search, charged to the caller's work budget so hostile input cannot stall it.
 * Where several stars make "shortest"/"longest" ambiguous, the shortest/longest overall match is taken;
 * for the usual one-star patterns this is exactly the shell's answer.
 *
 * Why not the RE2 globs of src/policy/glob.ts (image patterns, path globs): those answer yes or no for a
 * whole text, each under its own instruction cap. Here the answer is where matches start and end (the
 * shortest or longest prefix or suffix, every replacement position), for a value that earlier expansions
 * may have made large, and all of it is charged to one budget for the whole Dockerfile, which is what
 * keeps 10,000 expansions of a doubling ARG bounded (__tests__/dockerfile/hostile.test.ts).
 */

type Token = { kind: 'lit'; ch: string } | { kind: 'any' } | { kind: 'star' };

export class PatternError extends Error {}

export interface WorkBudget {
  /** Charge `units` of work; throws when the budget is spent. */
  spend(units: number): void;
}

export function parsePattern(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') tokens.push({ kind: 'star' });
    else if (ch === '?') tokens.push({ kind: 'any' });
    else if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === '}' || next === '/') continue;
      if (next !== '*' && next !== '?' && next !== '\\') {
        throw new PatternError(`invalid escape '\\${next ?? ''}'`);
      }
      tokens.push({ kind: 'lit', ch: next });
      i++;
    } else tokens.push({ kind: 'lit', ch });
  }
  return tokens;
}

/**
 * For every end position e of `value`, the smallest start s ≥ `from` such that the tokens match
 * value[s, e) (or -1). With `anchored`, only s = `from` is tried.
 */
function matchStarts(
  tokens: Token[],
  value: string,
  from: number,
  anchored: boolean,
  budget: WorkBudget,
): Int32Array {
  const n = value.length;
  budget.spend((n - from + 1) * (tokens.length + 1));
  let reach = new Int32Array(n + 1).fill(-1);
  if (anchored) reach[from] = from;
  else for (let i = from; i <= n; i++) reach[i] = i;
  for (const token of tokens) {
    const next = new Int32Array(n + 1).fill(-1);
    if (token.kind === 'star') {
      let best = -1;
      for (let i = from; i <= n; i++) {
        const r = reach[i] ?? -1;
        if (r >= 0 && (best < 0 || r < best)) best = r;
        next[i] = best;
        // a star does not cross a newline: what reached before it cannot extend past it
        if (value[i] === '\n') best = -1;
      }
    } else {
      for (let i = from; i < n; i++) {
        const r = reach[i] ?? -1;
        if (r < 0) continue;
        const c = value[i];
        if (token.kind === 'any' ? c !== '\n' : c === token.ch) next[i + 1] = r;
      }
    }
    reach = next;
  }
  return reach;
}

function prefixEnd(tokens: Token[], value: string, longest: boolean, budget: WorkBudget): number {
  const reach = matchStarts(tokens, value, 0, true, budget);
  let found = -1;
  for (let e = 0; e <= value.length; e++) {
    if ((reach[e] ?? -1) === 0) {
      found = e;
      if (!longest) break;
    }
  }
  return found;
}

/** Reversed by UTF-16 unit, like the pattern tokens, so the two stay comparable. */
function reverse(s: string): string {
  return s.split('').reverse().join('');
}

/** `${value#pattern}` / `${value##pattern}` */
export function trimPrefix(pattern: string, value: string, longest: boolean, budget: WorkBudget): string {
  const end = prefixEnd(parsePattern(pattern), value, longest, budget);
  return end < 0 ? value : value.slice(end);
}

/** `${value%pattern}` / `${value%%pattern}` */
export function trimSuffix(pattern: string, value: string, longest: boolean, budget: WorkBudget): string {
  const reversedTokens = parsePattern(pattern).reverse();
  const reversedValue = reverse(value);
  const end = prefixEnd(reversedTokens, reversedValue, longest, budget);
  return end < 0 ? value : reverse(reversedValue.slice(end));
}

/** Leftmost match at or after `from`, longest at that start; null when none. */
function findMatch(
  tokens: Token[],
  value: string,
  from: number,
  budget: WorkBudget,
): [number, number] | null {
  const reach = matchStarts(tokens, value, from, false, budget);
  let start = -1;
  for (let e = from; e <= value.length; e++) {
    const s = reach[e] ?? -1;
    if (s >= 0 && (start < 0 || s < start)) start = s;
  }
  if (start < 0) return null;
  let end = start;
  for (let e = start; e <= value.length; e++) if ((reach[e] ?? -1) === start) end = e;
  return [start, end];
}

/** `${value/pattern/replacement}` and, with `all`, `${value//pattern/replacement}`. */
export function replacePattern(
  pattern: string,
  replacement: string,
  value: string,
  all: boolean,
  budget: WorkBudget,
): string {
  const tokens = parsePattern(pattern);
  let out = '';
  let copied = 0;
  let searchFrom = 0;
  let previousEnd = -1;
  while (searchFrom <= value.length) {
    const match = findMatch(tokens, value, searchFrom, budget);
    if (match === null) break;
    const [start, end] = match;
    if (start === end && start === previousEnd) {
      // Go skips an empty match right after the previous match
      searchFrom = start + 1;
      continue;
    }
    out += value.slice(copied, start) + replacement;
    copied = end;
    previousEnd = end;
    if (!all) break;
    searchFrom = end > start ? end : start + 1;
  }
  return out + value.slice(copied);
}
