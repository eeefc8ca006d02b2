/**
 * Instruction flags (`--from=…`, `--mount=…`, `--platform=…`) as BuildKit's splitCommand /
 * extractBuilderFlags read them, keeping for every character of a flag's processed value the offset it
 * came from in the logical line, so a value can be rewritten in place.
 *
 * BuildKit facts followed here: flags are only the leading words that start with "--"; a bare "--" ends
 * them; inside a flag word quotes are removed and "\" (always backslash, whatever the escape directive
 * says) escapes the next character; a value needs "=" (`--from stage` is not a flag value).
 */
import { isGoSpace } from './chars.js';

export interface RawFlag {
  /** Flag name without "--" (text before the first "=" of the processed word). */
  name: string;
  /** Processed value after "="; null when the word has no "=". */
  value: string | null;
  /** Logical offsets of the whole raw word [start, end). */
  start: number;
  end: number;
  /** Logical offset of character k of `value`. */
  valueOffset(k: number): number;
}

export interface ExtractedFlags {
  flags: RawFlag[];
  /** Logical offset where the arguments start (after the flags and the blanks after them). */
  restStart: number;
}

/** extractBuilderFlags over line[from, to). */
export function extractFlags(line: string, from: number, to: number): ExtractedFlags {
  // Fast path: plain flag words (no quotes, no backslashes) map one to one onto the line.
  const flags: RawFlag[] = [];
  let pos = from;
  for (;;) {
    while (pos < to && isGoSpace(line[pos] ?? '')) pos++;
    if (pos >= to) return { flags, restStart: to };
    if (line[pos] !== '-' || pos + 1 >= to || line[pos + 1] !== '-') return { flags, restStart: pos };
    let end = pos;
    let plain = true;
    while (end < to) {
      const c = line[end] ?? '';
      if (isGoSpace(c)) break;
      if (c === '"' || c === "'" || c === '\\') {
        plain = false;
        break;
      }
      end++;
    }
    if (!plain) return slowExtractFlags(line, pos, to, flags);
    if (end - pos === 2) {
      // a bare "--" ends the flags
      while (end < to && isGoSpace(line[end] ?? '')) end++;
      return { flags, restStart: end };
    }
    flags.push(plainFlag(line, pos, end));
    pos = end;
  }
}

function plainFlag(line: string, start: number, end: number): RawFlag {
  const body = line.slice(start + 2, end);
  const eq = body.indexOf('=');
  if (eq < 0) return { name: body, value: null, start, end, valueOffset: (k) => start + 2 + k };
  const valueStart = start + 2 + eq + 1;
  return {
    name: body.slice(0, eq),
    value: body.slice(eq + 1),
    start,
    end,
    valueOffset: (k) => valueStart + k,
  };
}

/** The general case, character by character, keeping each character's offset. */
function slowExtractFlags(line: string, from: number, to: number, flags: RawFlag[]): ExtractedFlags {
  const enum Phase {
    Spaces,
    Word,
    Quote,
  }
  let phase = Phase.Spaces;
  let word = '';
  let offsets: number[] = [];
  let wordStart = from;
  let quote = '';
  let blankOk = false;

  const finish = (end: number): void => {
    if (word !== '--' && (blankOk || word.length > 0)) flags.push(toFlag(word, offsets, wordStart, end));
  };

  for (let pos = from; pos <= to; pos++) {
    const ch = pos < to ? (line[pos] ?? '') : '';
    if (phase === Phase.Spaces) {
      if (pos === to) break;
      if (isGoSpace(ch)) continue;
      if (ch !== '-' || pos + 1 === to || line[pos + 1] !== '-') return { flags, restStart: pos };
      phase = Phase.Word;
      wordStart = pos;
    }
    if (pos === to) {
      finish(pos);
      break;
    }
    if (phase === Phase.Word) {
      if (isGoSpace(ch)) {
        phase = Phase.Spaces;
        if (word === '--') return { flags, restStart: pos };
        finish(pos);
        word = '';
        offsets = [];
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = Phase.Quote;
        continue;
      }
      let at = pos;
      let c = ch;
      if (ch === '\\') {
        if (pos + 1 === to) continue;
        pos++;
        at = pos;
        c = line[pos] ?? '';
      }
      word += c;
      offsets.push(at);
      continue;
    }
    // Phase.Quote
    if (ch === quote) {
      phase = Phase.Word;
      continue;
    }
    let at = pos;
    let c = ch;
    if (ch === '\\') {
      if (pos + 1 === to) {
        phase = Phase.Word;
        continue;
      }
      pos++;
      at = pos;
      c = line[pos] ?? '';
    }
    word += c;
    offsets.push(at);
  }
  return { flags, restStart: to };
}

function toFlag(word: string, offsets: number[], start: number, end: number): RawFlag {
  const body = word.startsWith('--') ? word.slice(2) : word;
  const bodyOffsets = word.startsWith('--') ? offsets.slice(2) : offsets;
  const eq = body.indexOf('=');
  if (eq < 0) return { name: body, value: null, start, end, valueOffset: () => end };
  const valueOffsets = bodyOffsets.slice(eq + 1);
  return {
    name: body.slice(0, eq),
    value: body.slice(eq + 1),
    start,
    end,
    valueOffset: (k) => valueOffsets[k] ?? end,
  };
}

export interface MountField {
  key: string;
  value: string | null;
  /** Logical offsets of the value [start, end); for an empty value both are where it would start. */
  valueStart: number;
  valueEnd: number;
}

/**
 * One `--mount` value as Go's encoding/csv reads a record (BuildKit's parseMount): fields split on
 * ",", a field that starts with '"' is quoted ('""' is a literal quote), a bare '"' elsewhere is an
 * error. Keys are lower-cased as BuildKit does.
 */
export function parseMountFields(
  value: string,
  offsetAt: (k: number) => number,
): { fields: MountField[] } | { error: string } {
  if (!value.includes('"')) {
    const fields: MountField[] = [];
    let start = 0;
    for (;;) {
      const comma = value.indexOf(',', start);
      const end = comma < 0 ? value.length : comma;
      fields.push(plainField(value, start, end, offsetAt));
      if (comma < 0) return { fields };
      start = comma + 1;
    }
  }
  return quotedFields(value, offsetAt);
}

function plainField(value: string, start: number, end: number, offsetAt: (k: number) => number): MountField {
  const eq = value.indexOf('=', start);
  if (eq < 0 || eq >= end)
    return { key: value.slice(start, end).toLowerCase(), value: null, valueStart: 0, valueEnd: 0 };
  const valueStart = offsetAt(eq + 1 < end ? eq + 1 : eq) + (eq + 1 < end ? 0 : 1);
  return {
    key: value.slice(start, eq).toLowerCase(),
    value: value.slice(eq + 1, end),
    valueStart,
    valueEnd: eq + 1 < end ? offsetAt(end - 1) + 1 : valueStart,
  };
}

function quotedFields(
  value: string,
  offsetAt: (k: number) => number,
): { fields: MountField[] } | { error: string } {
  const fields: MountField[] = [];
  let i = 0;
  const n = value.length;
  for (;;) {
    let text = '';
    const textOffsets: number[] = [];
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) return { error: `failed to parse csv mounts: extraneous or missing " in quoted-field` };
        const c = value[i] ?? '';
        if (c === '"') {
          if (value[i + 1] === '"') {
            text += '"';
            textOffsets.push(offsetAt(i));
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += c;
        textOffsets.push(offsetAt(i));
        i++;
      }
      if (i < n && value[i] !== ',')
        return { error: `failed to parse csv mounts: extraneous or missing " in quoted-field` };
    } else {
      while (i < n && value[i] !== ',') {
        const c = value[i] ?? '';
        if (c === '"') return { error: `failed to parse csv mounts: bare " in non-quoted-field` };
        text += c;
        textOffsets.push(offsetAt(i));
        i++;
      }
    }
    const eq = text.indexOf('=');
    if (eq < 0) {
      fields.push({ key: text.toLowerCase(), value: null, valueStart: 0, valueEnd: 0 });
    } else {
      const start = eq + 1 < textOffsets.length ? (textOffsets[eq + 1] ?? 0) : (textOffsets[eq] ?? 0) + 1;
      const last = textOffsets[textOffsets.length - 1] ?? 0;
      fields.push({
        key: text.slice(0, eq).toLowerCase(),
        value: text.slice(eq + 1),
        valueStart: start,
        valueEnd: eq + 1 < textOffsets.length ? last + 1 : start,
      });
    }
    if (i >= n) break;
    i++; // the comma
  }
  return { fields };
}
