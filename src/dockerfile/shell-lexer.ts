/**
 * Word processing as BuildKit's frontend/dockerfile/shell lexer does it: quotes, the escape token,
 * `$NAME`, `${NAME}`, `${NAME:-w}` `${NAME-w}` `${NAME:+w}` `${NAME+w}` `${NAME:?w}` `${NAME?w}`,
 * `${NAME#p}` `${NAME##p}` `${NAME%p}` `${NAME%%p}` `${NAME/p/r}` `${NAME//p/r}`, and the word splitting
 * the heredoc detection relies on (with BuildKit's RawQuotes / RawEscapes / SkipUnsetEnv switches).
 *
 * One deliberate difference: BuildKit substitutes "" for a variable without a value. Here such a
 * variable is recorded in `unresolved` (the value still gets ""), so callers can say the reference is
 * not known instead of silently building from something else. A default (`${X:-d}`, `${X-d}`) or an
 * alternative (`${X+a}`) makes an unset variable well defined and is not unresolved.
 *
 * Hostile input: work is linear in the input plus what the expansions produce, and what they produce is
 * charged to a budget; nesting depth and result length are capped.
 */
import { charAt, isGoDigit, isGoLetter, isGoSpace } from './chars.js';
import { PatternError, replacePattern, trimPrefix, trimSuffix, type WorkBudget } from './glob.js';

export interface VarValue {
  value: string;
  /** Names without a value that this value was computed from (its value is then not really known). */
  unresolved?: readonly string[];
}
export type VarLookup = (name: string) => VarValue | undefined;

export const MAX_EXPANDED_LENGTH = 65_536;
export const MAX_NESTING = 64;
/**
 * Variable substitutions in one word, when the caller asks for a bound (the analyzer does): a reference needs
 * a handful. BuildKit has no such bound, but a FROM of 10,000 `${…}` is made to exhaust a checker, not to build.
 */
export const MAX_EXPANSIONS = 1_000;
/** Characters produced by expansions plus pattern-matching steps, per analysis. */
export const DEFAULT_EXPANSION_BUDGET = 32_000_000;

class LexError extends Error {}

export class ExpansionBudget implements WorkBudget {
  private remaining: number;
  constructor(units = DEFAULT_EXPANSION_BUDGET) {
    this.remaining = units;
  }
  spend(units: number): void {
    this.remaining -= units;
    if (this.remaining < 0) {
      throw new LexError(
        'variable expansion does too much work (the Dockerfile expands ARGs into huge values)',
      );
    }
  }
}

export interface LexOptions {
  escapeToken: string;
  rawQuotes?: boolean;
  rawEscapes?: boolean;
  skipUnsetEnv?: boolean;
  skipProcessQuotes?: boolean;
  /** Collect the shell words (ProcessWords); off, only the joined result is built. */
  words?: boolean;
  budget?: WorkBudget;
  /** Refuse a word with more variable substitutions than this. */
  maxExpansions?: number;
}

export type LexResult =
  | { ok: true; value: string; words: string[]; unresolved: string[] }
  | { ok: false; error: string; unresolved: string[] };

const NO_LOOKUP: VarLookup = () => undefined;
const UNLIMITED: WorkBudget = { spend: () => undefined };

class Words {
  private word = '';
  private inWord = false;
  readonly list: string[] = [];
  constructor(private readonly enabled: boolean) {}
  addChar(ch: string): void {
    if (!this.enabled) return;
    if (isGoSpace(ch)) {
      if (this.inWord && this.word.length !== 0) {
        this.list.push(this.word);
        this.word = '';
        this.inWord = false;
      }
    } else this.addRawChar(ch);
  }
  addRawChar(ch: string): void {
    if (!this.enabled) return;
    this.word += ch;
    this.inWord = true;
  }
  addString(s: string): void {
    if (!this.enabled) return;
    for (const ch of s) this.addChar(ch);
  }
  addRawString(s: string): void {
    if (!this.enabled) return;
    this.word += s;
    this.inWord = true;
  }
  done(): string[] {
    if (this.word.length > 0) {
      this.list.push(this.word);
      this.word = '';
      this.inWord = false;
    }
    return this.list;
  }
}

function isSpecialParam(ch: string): boolean {
  return '@*#?-$!0'.includes(ch) && ch.length === 1;
}

class ShellWord {
  private pos = 0;
  private depth = 0;
  private rawEscapes: boolean;
  unresolved = new Set<string>();
  private readonly budget: WorkBudget;
  private expansions = 0;
  /** Literal text always fits; expansions may add at most MAX_EXPANDED_LENGTH. */
  private readonly maxLength: number;

  constructor(
    private readonly src: string,
    private readonly lookup: VarLookup,
    private readonly opts: LexOptions,
  ) {
    this.rawEscapes = opts.rawEscapes ?? false;
    this.budget = opts.budget ?? UNLIMITED;
    this.maxLength = src.length + MAX_EXPANDED_LENGTH;
  }

  run(): { value: string; words: string[] } {
    return this.processStopOn(undefined, this.rawEscapes, this.opts.words ?? false);
  }

  private processStopOn(
    stop: string | undefined,
    rawEscapes: boolean,
    collectWords: boolean,
  ): { value: string; words: string[] } {
    if (++this.depth > MAX_NESTING)
      throw new LexError(`variable substitutions nested deeper than ${MAX_NESTING}`);
    const savedRaw = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      const { src } = this;
      const esc = this.opts.escapeToken;
      const processQuotes = !(this.opts.skipProcessQuotes ?? false);
      const words = new Words(collectWords);
      let result = '';
      while (this.pos < src.length) {
        let ch = src[this.pos] ?? '';
        if (stop !== undefined && ch === stop) {
          this.pos++;
          return { value: result, words: words.done() };
        }
        if (ch === '$') {
          const tmp = this.processDollar();
          result += tmp;
          words.addString(tmp);
        } else if (processQuotes && ch === "'") {
          const tmp = this.processSingleQuote();
          result += tmp;
          words.addRawString(tmp);
        } else if (processQuotes && ch === '"') {
          const tmp = this.processDoubleQuote();
          result += tmp;
          words.addRawString(tmp);
        } else {
          this.pos++;
          if (ch === esc) {
            if (this.rawEscapes) {
              words.addRawChar(ch);
              result += ch;
            }
            if (this.pos >= src.length) break;
            ch = src[this.pos++] ?? '';
            words.addRawChar(ch);
          } else words.addChar(ch);
          result += ch;
        }
        if (result.length > this.maxLength) {
          throw new LexError(`expansions add more than ${MAX_EXPANDED_LENGTH} characters`);
        }
      }
      if (stop !== undefined)
        throw new LexError(`unexpected end of statement while looking for matching ${stop}`);
      return { value: result, words: words.done() };
    } finally {
      this.rawEscapes = savedRaw;
      this.depth--;
    }
  }

  private processSingleQuote(): string {
    const start = this.pos + 1;
    const close = this.src.indexOf("'", start);
    if (close < 0) throw new LexError('unexpected end of statement while looking for matching single-quote');
    this.pos = close + 1;
    const inner = this.src.slice(start, close);
    return this.opts.rawQuotes ? `'${inner}'` : inner;
  }

  private processDoubleQuote(): string {
    const { src } = this;
    const esc = this.opts.escapeToken;
    const raw = this.opts.rawQuotes ?? false;
    this.pos++;
    let result = raw ? '"' : '';
    for (;;) {
      if (this.pos >= src.length) {
        throw new LexError('unexpected end of statement while looking for matching double-quote');
      }
      let ch = src[this.pos] ?? '';
      if (ch === '"') {
        this.pos++;
        if (raw) result += ch;
        return result;
      }
      if (ch === '$') {
        result += this.processDollar();
        continue;
      }
      this.pos++;
      if (ch === esc) {
        if (this.rawEscapes) result += ch;
        const next = src[this.pos];
        if (next === undefined) continue;
        if (next === '"' || next === '$' || next === esc) {
          ch = next;
          this.pos++;
        }
      }
      result += ch;
      if (result.length > this.maxLength) {
        throw new LexError(`expansions add more than ${MAX_EXPANDED_LENGTH} characters`);
      }
    }
  }

  private processName(): string {
    const { src } = this;
    let name = '';
    while (this.pos < src.length) {
      const ch = charAt(src, this.pos);
      if (name.length === 0 && isGoDigit(ch)) {
        while (this.pos < src.length) {
          const d = charAt(src, this.pos);
          if (!isGoDigit(d)) break;
          name += d;
          this.pos += d.length;
        }
        return name;
      }
      if (name.length === 0 && isSpecialParam(ch)) {
        this.pos += ch.length;
        return ch;
      }
      if (!isGoLetter(ch) && !isGoDigit(ch) && ch !== '_') break;
      name += ch;
      this.pos += ch.length;
    }
    return name;
  }

  private value(name: string): VarValue | undefined {
    const max = this.opts.maxExpansions;
    if (max !== undefined && ++this.expansions > max) {
      throw new LexError(
        `it has more than ${max} variable expansions; write the value into one ARG (or a build-arg) and use that`,
      );
    }
    const v = this.lookup(name);
    if (v !== undefined) this.budget.spend(v.value.length + 1);
    return v;
  }

  private taint(name: string, v: VarValue | undefined, into: Set<string> = this.unresolved): void {
    if (v === undefined) into.add(name);
    else for (const n of v.unresolved ?? []) into.add(n);
  }

  /** Processes a nested word with its own unresolved set, so an unused default does not taint. */
  private nested(stop: string, rawEscapes: boolean): { value: string; unresolved: Set<string> } {
    const outer = this.unresolved;
    this.unresolved = new Set();
    try {
      const { value } = this.processStopOn(stop, rawEscapes, false);
      return { value, unresolved: this.unresolved };
    } finally {
      this.unresolved = outer;
    }
  }

  private merge(from: Set<string>): void {
    for (const n of from) this.unresolved.add(n);
  }

  private processDollar(): string {
    const { src } = this;
    const skipUnset = this.opts.skipUnsetEnv ?? false;
    this.pos++;
    if (src[this.pos] !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const v = this.value(name);
      if (v === undefined && skipUnset) return `$${name}`;
      this.taint(name, v);
      return v?.value ?? '';
    }
    this.pos++;
    const first = src[this.pos];
    if (first === undefined) throw new LexError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new LexError('syntax error: bad substitution');
    const name = this.processName();
    let ch = src[this.pos];
    this.pos++;
    if (ch === undefined) throw new LexError("syntax error: missing '}'");
    let chs = ch;
    if (ch === '}') {
      const v = this.value(name);
      if (v === undefined && skipUnset) return `\${${name}}`;
      this.taint(name, v);
      return v?.value ?? '';
    }
    if (ch === '/') return this.processReplace(name);
    let nullIsUnset = false;
    if (ch === ':') {
      nullIsUnset = true;
      ch = src[this.pos];
      this.pos++;
      if (ch === undefined) throw new LexError("syntax error: missing '}'");
      chs += ch;
    } else if (!'+-?#%'.includes(ch)) {
      throw new LexError(`unsupported modifier (${chs}) in substitution`);
    }
    let word: { value: string; unresolved: Set<string> };
    try {
      word = this.nested('}', ch === '#' || ch === '%');
    } catch (err) {
      if (this.pos >= src.length) throw new LexError("syntax error: missing '}'");
      throw err;
    }
    const v = this.value(name);
    if (v === undefined && skipUnset) return `\${${name}${chs}${word.value}}`;
    const set = v !== undefined;
    const value = v?.value ?? '';
    const valueKnown = (v?.unresolved ?? []).length === 0;
    switch (ch) {
      case '-':
        if (!set || (nullIsUnset && value === '')) {
          if (!valueKnown) this.taint(name, v);
          this.merge(word.unresolved);
          return word.value;
        }
        this.taint(name, v);
        return value;
      case '+':
        if (!set || (nullIsUnset && value === '')) {
          if (!valueKnown) this.taint(name, v);
          return '';
        }
        this.taint(name, v);
        this.merge(word.unresolved);
        return word.value;
      case '?':
        if (!set) {
          this.unresolved.add(name);
          throw new LexError(`${name}: ${word.value !== '' ? word.value : 'is not allowed to be unset'}`);
        }
        if (nullIsUnset && value === '') {
          this.taint(name, v);
          throw new LexError(`${name}: ${word.value !== '' ? word.value : 'is not allowed to be empty'}`);
        }
        this.taint(name, v);
        return value;
      case '#':
      case '%': {
        this.taint(name, v);
        this.merge(word.unresolved);
        let pattern = word.value;
        const longest = pattern.startsWith(ch);
        if (longest) pattern = pattern.slice(1);
        try {
          return ch === '%'
            ? trimSuffix(pattern, value, longest, this.budget)
            : trimPrefix(pattern, value, longest, this.budget);
        } catch (err) {
          if (err instanceof PatternError) {
            throw new LexError(`invalid pattern (${pattern}) in substitution: ${err.message}`);
          }
          throw err;
        }
      }
      default:
        throw new LexError(`unsupported modifier (${chs}) in substitution`);
    }
  }

  private processReplace(name: string): string {
    const { src } = this;
    const all = src[this.pos] === '/';
    if (all) this.pos++;
    let pattern: { value: string; unresolved: Set<string> };
    try {
      pattern = this.nested('/', true);
    } catch (err) {
      if (this.pos >= src.length) throw new LexError("syntax error: missing '/' in ${}");
      throw err;
    }
    let replacement: { value: string; unresolved: Set<string> };
    try {
      replacement = this.nested('}', true);
    } catch (err) {
      if (this.pos >= src.length) throw new LexError("syntax error: missing '}'");
      throw err;
    }
    const v = this.value(name);
    if (v === undefined && (this.opts.skipUnsetEnv ?? false)) {
      return `\${${name}/${pattern.value}/${replacement.value}}`;
    }
    this.taint(name, v);
    this.merge(pattern.unresolved);
    this.merge(replacement.unresolved);
    try {
      return replacePattern(pattern.value, replacement.value, v?.value ?? '', all, this.budget);
    } catch (err) {
      if (err instanceof PatternError) {
        throw new LexError(`invalid pattern (${pattern.value}) in substitution: ${err.message}`);
      }
      throw err;
    }
  }
}

/**
 * Processes `src` as BuildKit's `ProcessWord`/`ProcessWords` would. Never throws: a syntax error, an
 * error substitution (`${X?msg}`) or an exhausted budget comes back as `{ ok: false, error }`.
 */
export function processWord(src: string, lookup: VarLookup | undefined, opts: LexOptions): LexResult {
  const sw = new ShellWord(src, lookup ?? NO_LOOKUP, opts);
  try {
    const { value, words } = sw.run();
    return { ok: true, value, words, unresolved: [...sw.unresolved].sort() };
  } catch (err) {
    if (err instanceof LexError) {
      return {
        ok: false,
        error: `failed to process "${clip(src)}": ${err.message}`,
        unresolved: [...sw.unresolved].sort(),
      };
    }
    throw err;
  }
}

function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
