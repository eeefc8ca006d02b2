/** Character classes as Go's `unicode` package defines them, which is what BuildKit tests against. */

/** unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space property (not U+FEFF). */
export function isGoSpace(ch: string): boolean {
  switch (ch) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case '\u0085':
    case '\u00a0':
    case '\u1680':
    case '\u2028':
    case '\u2029':
    case '\u202f':
    case '\u205f':
    case '\u3000':
      return true;
    default:
      return ch >= '\u2000' && ch <= '\u200a';
  }
}

/** The `[\t\v\f\r ]` class BuildKit splits instruction words on. */
export function isAsciiBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\v' || ch === '\f' || ch === '\r';
}

export function countLeadingGoSpace(s: string, from = 0): number {
  let i = from;
  while (i < s.length && isGoSpace(s[i] ?? '')) i++;
  return i - from;
}

/** Index just past the last non-space character of s[from, to). */
export function trimEndGoSpace(s: string, from: number, to: number): number {
  let j = to;
  while (j > from && isGoSpace(s[j - 1] ?? '')) j--;
  return j;
}

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

export function isGoLetter(ch: string): boolean {
  if (ch.length === 1) {
    const c = ch.charCodeAt(0);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) return true;
    if (c < 0x80) return false;
  }
  return LETTER.test(ch);
}

export function isGoDigit(ch: string): boolean {
  if (ch.length === 1) {
    const c = ch.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) return true;
    if (c < 0x80) return false;
  }
  return DIGIT.test(ch);
}

/** The code point at i as a string (one or two UTF-16 units). */
export function charAt(s: string, i: number): string {
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}
