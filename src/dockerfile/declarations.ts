/**
 * ARG and ENV declarations, split as BuildKit's line parsers do (parseWords keeps quotes and escapes in
 * the words; values are processed by the lexer only when they are used).
 */
import { isAsciiBlank, isGoSpace } from './chars.js';

/** BuildKit's parseWords: blank-separated words, quotes kept, the escape token protects a character. */
export function parseWords(rest: string, escape: string): string[] {
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOk = false;
  let word = '';
  for (let pos = 0; pos <= rest.length; pos++) {
    let ch = pos < rest.length ? (rest[pos] ?? '') : '';
    if (phase === 'spaces') {
      if (pos === rest.length) break;
      if (isGoSpace(ch)) continue;
      phase = 'word';
    }
    if (pos === rest.length) {
      if (blankOk || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        if (blankOk || word.length > 0) words.push(word);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
      }
      if (ch === escape) {
        if (pos + 1 === rest.length) continue;
        word += ch;
        pos++;
        ch = rest[pos] ?? '';
      }
      word += ch;
      continue;
    }
    // quote
    if (ch === quote) phase = 'word';
    if (ch === escape && quote !== "'") {
      if (pos + 1 === rest.length) {
        phase = 'word';
        continue;
      }
      pos++;
      word += ch;
      ch = rest[pos] ?? '';
    }
    word += ch;
  }
  return words;
}

export interface Declaration {
  key: string;
  /** Raw (unprocessed) value; undefined for `ARG NAME` without a default. */
  value?: string;
}

/** `ARG a b=1 c="x y"` */
export function parseArgDeclarations(
  rest: string,
  escape: string,
): { declarations: Declaration[]; error?: string } {
  const declarations: Declaration[] = [];
  for (const word of parseWords(rest, escape)) {
    const eq = word.indexOf('=');
    if (eq === 0) return { declarations, error: 'ARG names can not be blank' };
    declarations.push(eq < 0 ? { key: word } : { key: word.slice(0, eq), value: word.slice(eq + 1) });
  }
  if (declarations.length === 0) return { declarations, error: 'ARG requires at least one argument' };
  return { declarations };
}

/** `ENV a=1 b=2` or the old `ENV a 1 2`. */
export function parseEnvDeclarations(rest: string, escape: string): Array<Required<Declaration>> {
  const words = parseWords(rest, escape);
  const first = words[0];
  if (first === undefined) return [];
  if (!first.includes('=')) {
    let i = 0;
    while (i < rest.length && !isAsciiBlank(rest[i])) i++;
    const key = rest.slice(0, i);
    while (i < rest.length && isAsciiBlank(rest[i])) i++;
    return i < rest.length ? [{ key, value: rest.slice(i) }] : [];
  }
  const out: Array<Required<Declaration>> = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) return out;
    out.push({ key: word.slice(0, eq), value: word.slice(eq + 1) });
  }
  return out;
}
