/**
 * Go's RE2 regular expressions through re2js, a port of Go's regexp (same parser, error codes, limits and
 * linear-time matching): cosign matches `identity-regexp`/`issuer-regexp` with Go, grype its ignore rules'
 * package names. Ours is only what re2js does not say: why RE2 refuses lookaround or backreferences (Go
 * names the syntax, not the reason), the anchoring warning, and a cap on what an untrusted pattern may
 * cost. re2js and Go differ only at the edges: re2js refuses programs over 1,398,101 instructions (Go:
 * 3,355,443) and `\p{ASCII}` (Go 1.25 takes it), and knows Unicode 17's scripts (Go 1.25: 15's).
 *
 * Compile and match per call, the Thompson NFA this replaced → re2js (Node 24, 2-core dev machine):
 *   ^(a+)+$ on 10,000 `a` and `!`   8.8 → 1.5 ms      ^(.*a){12}c$ on 2,000 `a`       10.4 → 0.7 ms
 *   ^(a|aa)+b$ on 10,000 `a`        5.9 → 0.5 ms      (x+x+)+y on 5,000 `x`            3.8 → 0.2 ms
 *   glob `*a`×12`*c` on 10,000 `a`   26 → 0.3 ms      ([a-z]{1000})×9 on 10,000 `a`    2.7 → 2.3 s
 *   checking ^([a-z]\.)×20000$ (140,000 characters, linear): 78 → 310 ms
 * re2js is slow to compile (~1 µs an instruction, whole program before it can say its size: `a{1000}`×142,
 * 994 characters, takes 0.8 s), so {@link sizeBound} estimates the size from the text and a pattern far over
 * the limit (compileRe2 10,000 instructions, checkRe2 50,000) never reaches re2js.
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';

export interface Re2Check {
  /** What Go would reject and why; undefined when the pattern compiles. */
  error?: string;
  /** Whether `^`/`\A` (not under `(?m)`) leads every way to match: Go's MatchString is unanchored. */
  anchoredAtStart: boolean;
}

/** The most instructions compileRe2 builds unless told otherwise: matching costs up to this much per character. */
export const RE2_MAX_INSTRUCTIONS = 10_000;
const CHECK_MAX_INSTRUCTIONS = 50_000; // checkRe2 only parses, but re2js compiles too: ~0.1 s for 50,000

export class Re2CompileError extends Error {}

const RE2_EXPLAINED =
  "cosign matches it with Go's RE2 engine, which guarantees linear-time matching and therefore has no";

/** Group syntax of PCRE and JavaScript that Go rejects (with the text from `(?` on), and what it is. */
const UNSUPPORTED_GROUPS: Array<[RegExp, string, string]> = [
  [/^\(\?<=/, 'lookbehind `(?<=…)`', 'lookaround'],
  [/^\(\?<!/, 'negative lookbehind `(?<!…)`', 'lookaround'],
  [/^\(\?=/, 'lookahead `(?=…)`', 'lookaround'],
  [/^\(\?!/, 'negative lookahead `(?!…)`', 'lookaround'],
  [/^\(\?>/, 'atomic group `(?>…)`', 'atomic groups or possessive quantifiers'],
  [/^\(\?#/, 'comment group `(?#…)`', 'comment groups'],
  [/^\(\?P=/, 'named backreference `(?P=name)`', 'backreferences'],
  [/^\(\?(?:P>|&|R\)|[+-]?\d)/, 'recursion or subroutine call (`(?R)`, `(?1)`, `(?&name)`)', 'recursion'],
];

/** Escapes PCRE/JavaScript users reach for that Go rejects, with what to write instead. */
const ESCAPE_HINTS: Record<string, string> = {
  Z: 'use `\\z` for the end of the text',
  R: 'use `(?:\\r\\n|\\n|\\r)` instead of `\\R`',
  h: 'use `[\\t ]` instead of `\\h`',
  u: 'write a code point as `\\x{263A}`, not `\\u263A`',
  e: 'write the escape character as `\\x1B`',
  k: `\`\\k<name>\` is a named backreference; ${RE2_EXPLAINED} backreferences`,
  g: `\`\\g\` is a backreference; ${RE2_EXPLAINED} backreferences`,
};

/** Go's error for `pattern` (re2js's code and the text it points at), said so that a user can fix it. */
function explain(pattern: string, code: string, at: string): string {
  if (code === 'invalid or unsupported Perl syntax' || code === 'invalid named capture') {
    for (let i = pattern.indexOf(at); i >= 0; i = pattern.indexOf(at, i + 1)) {
      const found = UNSUPPORTED_GROUPS.find(([re]) => re.test(pattern.slice(i, i + 5)));
      if (found)
        return `${found[1]} is not supported: ${RE2_EXPLAINED} ${found[2]}; rewrite the pattern without it`;
    }
    const flag = /^\(\?[imsU-]*([A-Za-z])/.exec(at)?.[1];
    if (code === 'invalid named capture')
      return `${code} \`${at}\`: a group name is letters, digits and \`_\``;
    return `invalid or unsupported group syntax \`${at}\`${flag ? `; RE2 knows only the flags i, m, s and U, not \`${flag}\`` : ''}`;
  }
  if (code === 'invalid nested repetition operator' && at.endsWith('+'))
    return `possessive quantifier \`${at}\` is not supported: ${RE2_EXPLAINED} possessive quantifiers or atomic groups; drop the trailing \`+\``;
  const [min = 0, max = min] = code === 'invalid repeat count' ? (at.match(/\d+/g) ?? []).map(Number) : [];
  if (code === 'invalid repeat count' && max <= 1000 && min <= max)
    return `${code} \`${at}\`: nested repetitions multiply, and RE2 allows at most 1000 copies in total`;
  if (code === 'invalid repeat count')
    return `${code} \`${at}\`: RE2 allows counts from 0 to 1000, with the minimum not above the maximum`;
  if (code === 'invalid escape sequence' && /^\\[1-9]$/.test(at))
    return `\`${at}\` is a backreference; ${RE2_EXPLAINED} backreferences`;
  if (code === 'invalid escape sequence')
    return `${code} \`${at}\`: ${ESCAPE_HINTS[at.slice(1)] ?? 'RE2 does not know it'}`;
  if (code === 'invalid character class range' && /^\\[pP]/.test(at))
    return `\`${at}\` is not a Unicode category or script${at.includes('ASCII') ? ' here: write `[\\x00-\\x7F]`' : ''}`;
  if (code === 'invalid character class range' && at.startsWith('[:'))
    return `\`${at}\` is not a POSIX class name`;
  if (code === 'expression nests too deeply') return `${code} for RE2 (more than 1000 levels)`;
  return at ? `${code.replace(/ ([\])])$/, ' `$1` in')} \`${at}\`` : code; // `missing closing ]`, `unexpected )`
}

/**
 * The instructions `pattern` compiles to, estimated in one pass without parsing, as the NFA this replaced
 * counted them: an atom (character, escape, class), operator or capture counts 1, `{n,m}` makes what it
 * follows (the atom or group) count max(n, m) times. re2js's programs stay under twice it; it is most
 * over for alternatives of single characters (`(a|b|c|d|e){50}`: 550 for 152), which RE2 makes one class.
 */
function sizeBound(p: string): number {
  const open = [0]; // what each open group counts so far
  let last = 0; // what the last atom or group counts
  for (let i = 0, next: number; i < p.length; i = next) {
    const c = p[i];
    const counts = c === '{' ? /^\{(\d+)(?:,(\d*))?\}/.exec(p.slice(i, i + 12)) : null;
    let add = 1;
    next = i + 1;
    if (c === '(') {
      const flags = /^\(\?[imsU-]*([:)])/.exec(p.slice(i, i + 12)); // `(?i)` opens no group, `(?:` no capture
      if (flags?.[1] !== ')') open.push(flags ? 0 : 1);
      next = i + (flags?.[0].length ?? 1);
      continue;
    }
    if (counts) {
      add = last * (Math.max(Number(counts[1]), Number(counts[2] ?? 0), 1) - 1);
      next = i + counts[0].length;
    } else if (c === ')' && open.length > 1) add = (open.pop() as number) + 1;
    else if (c === '\\' && p[i + 2] === '{' && 'xpP'.includes(p[i + 1] ?? '-'))
      next = p.indexOf('}', i) + 1 || p.length;
    else if (c === '\\') next = i + 2;
    else if (c === '[') {
      next = i + (p[i + 1] === '^' ? 3 : 2); // a `]` first in the class is a literal
      while (next < p.length && p[next] !== ']') next += p[next] === '\\' ? 2 : 1;
      next++;
    }
    last = counts ? last + add : add;
    open.push((open.pop() as number) + add);
  }
  return open.reduce((a, b) => a + b, 0);
}

/** Compiles as Go's `regexp.Compile` does (Perl syntax, Unicode groups); throws Go's reason, explained. */
function compile(pattern: string, limit: number): RE2JS {
  const tooLarge = new Re2CompileError(
    `it needs more than ${limit} instructions to match, and matching costs that much for every character of the text; write a shorter pattern (fewer or smaller counted repetitions)`,
  );
  if (sizeBound(pattern) > 2 * limit) throw tooLarge;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    if (!(err instanceof RE2JSSyntaxException)) throw err;
    throw new Re2CompileError(explain(pattern, err.error, err.input ?? ''));
  }
  if (re.programSize() > limit) throw tooLarge;
  return re;
}

/** re2js's program (`re2().prog`, typed `any` there): the instructions of Go's regexp/syntax.Prog. */
interface Prog {
  start: number;
  inst: Array<{ op: number; out: number; arg: number }>;
}
// re2js's Inst ops ALT 1, ALT_MATCH 2, CAPTURE 3, EMPTY_WIDTH 4 (arg 4: `^`, `\A`), FAIL 5, NOP 7 read nothing.
const PASS_THROUGH = new Set([1, 2, 3, 4, 5, 7]);

/** Whether every path from the program's start passes `^`/`\A` before it reads a character or matches. */
function anchoredAtStart(prog: Prog): boolean {
  const seen = new Set<number>();
  const todo = [prog.start];
  for (let pc = todo.pop(); pc !== undefined; pc = todo.pop()) {
    const inst = prog.inst[pc];
    if (seen.has(pc) || inst === undefined) continue;
    seen.add(pc);
    if (!PASS_THROUGH.has(inst.op)) return false;
    if (inst.op <= 2) todo.push(inst.arg);
    if (inst.op !== 5 && !(inst.op === 4 && (inst.arg & 4) !== 0)) todo.push(inst.out);
  }
  return true;
}

/** Parse `pattern` as Go's `regexp.Compile` would, without running it. */
export function checkRe2(pattern: string): Re2Check {
  try {
    return { anchoredAtStart: anchoredAtStart(compile(pattern, CHECK_MAX_INSTRUCTIONS).re2().prog as Prog) };
  } catch (err) {
    if (err instanceof Re2CompileError) return { error: err.message, anchoredAtStart: false };
    throw err;
  }
}

/**
 * Compiles `pattern` as Go does; `test` is Go's MatchString (unanchored), linear in the text. Throws
 * Re2CompileError with Go's reason, or when the program would exceed `maxInstructions`.
 */
export function compileRe2(pattern: string, maxInstructions = RE2_MAX_INSTRUCTIONS): Pick<RE2JS, 'test'> {
  return compile(pattern, maxInstructions);
}
