import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * JSON with its big arrays left unparsed. A scanner report of 20,000 findings is ~90 MB of JSON; parsed whole
 * it costs about three times that in objects the action reads once and drops. Here the document is walked
 * byte by byte only along the paths that lead to the arrays named in `defer`; each element of those arrays is
 * remembered as a byte range and parsed when it is read, so only one finding's objects are alive at a time.
 * Everything else is parsed by `JSON.parse` from its own slice, which also validates it. The source can be a
 * file, read a window at a time, so the report's text is never in memory whole either.
 */

/** One step of a path: an object key, or `*` for any index of an array. */
export type PathPattern = readonly string[];

/** Bytes to walk: a Buffer, or a file read on demand. */
export interface ByteSource {
  readonly length: number;
  read(start: number, end: number): Buffer;
}

export function bufferSource(bytes: Buffer): ByteSource {
  return { length: bytes.length, read: (start, end) => bytes.subarray(start, end) };
}

/**
 * A file as a ByteSource; close it when every deferred element that will be read has been. Reads are served
 * from a block read ahead, so reading 20,000 findings one after another costs one read per block, not one each.
 */
export function openFileSource(path: string): ByteSource & { close(): void } {
  const fd = openSync(path, 'r');
  const length = fstatSync(fd).size;
  const readAt = (start: number, end: number): Buffer => {
    const out = Buffer.allocUnsafe(Math.max(0, Math.min(end, length) - start));
    let done = 0;
    while (done < out.length) {
      const n = readSync(fd, out, done, out.length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return out.subarray(0, done);
  };
  let block: Buffer = Buffer.alloc(0);
  let blockStart = 0;
  return {
    length,
    read(start, end) {
      end = Math.min(end, length);
      if (end - start > READ_AHEAD) return readAt(start, end);
      if (start < blockStart || end > blockStart + block.length) {
        blockStart = start;
        block = readAt(start, start + READ_AHEAD);
      }
      return block.subarray(start - blockStart, end - blockStart);
    },
    close: () => closeSync(fd),
  };
}

const READ_AHEAD = 1 << 20;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** The elements of an array, parsed one at a time from the source as they are read. */
export class DeferredArray {
  constructor(
    private readonly source: ByteSource,
    private bounds: Float64Array | readonly number[],
    /** When the bounds were read from the layout (Walker.laidOutArray): finds them byte by byte instead. */
    private recount?: () => Float64Array,
  ) {}

  get length(): number {
    return this.bounds.length / 2;
  }

  at(index: number): unknown {
    try {
      return parseSlice(this.source, this.bounds[index * 2] as number, this.bounds[index * 2 + 1] as number);
    } catch (error) {
      if (!this.recount) throw error;
      // An element that parses is exactly one value, so every bound before this one was right; this one was
      // not, or the element is not JSON. Walking the array settles which.
      this.bounds = this.recount();
      this.recount = undefined;
      if (index * 2 >= this.bounds.length) throw error;
      return this.at(index);
    }
  }

  *[Symbol.iterator](): Generator<unknown> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  /** The bounds as they stand (for a re-walk). */
  boundsNow(): Float64Array {
    return Float64Array.from(this.bounds);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const NEWLINE = 0x0a;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Where the line and column of a byte offset are, for messages a person can follow. */
export function lineAndColumn(source: ByteSource, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let from = 0; from < offset; from += WINDOW) {
    const chunk = source.read(from, Math.min(from + WINDOW, offset));
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) {
      line += 1;
      lineStart = from + i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function syntaxError(source: ByteSource, offset: number, problem: string): JsonSyntaxError {
  // A document cut off half way (a scanner killed while writing) is named as such, whatever was expected next.
  if (offset >= source.length) problem = 'Unexpected end of JSON input';
  const { line, column } = lineAndColumn(source, offset);
  return new JsonSyntaxError(`${problem} at line ${line} column ${column}`, offset);
}

function parseSlice(source: ByteSource, start: number, end: number): unknown {
  try {
    return JSON.parse(source.read(start, end).toString('utf8')) as unknown;
  } catch (error) {
    // V8 names the position within the slice; make it a position in the whole document.
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const offset = start + (at ? Number(at[1]) : 0);
    throw syntaxError(source, offset, message.replace(/ in JSON at position \d+.*$/s, '').replace(/\.$/, ''));
  }
}

/** How much of a file the walker holds at a time. */
const WINDOW = 1 << 20;

/** Forward-only reading of a source through a window (the whole source when it is a Buffer already). */
class Cursor {
  /** The bytes from `base` on; the hot loops read them directly. */
  window: Buffer;
  base = 0;

  constructor(readonly source: ByteSource) {
    this.window = source.read(0, Math.min(source.length, WINDOW));
  }

  /** Moves the window to start at `pos`; false past the end. */
  load(pos: number): boolean {
    if (pos < 0 || pos >= this.source.length) return false;
    this.base = pos;
    this.window = this.source.read(pos, Math.min(this.source.length, pos + WINDOW));
    return true;
  }

  /** The byte at `pos`; undefined past the end. */
  at(pos: number): number | undefined {
    const local = pos - this.base;
    if (local >= 0 && local < this.window.length) return this.window[local];
    return this.load(pos) ? this.window[0] : undefined;
  }

  /** The offset of the next `bytes` at or after `from`, or -1; found across window boundaries too. */
  indexOfBytes(bytes: Buffer, from: number): number {
    for (let pos = from; pos < this.source.length;) {
      if (this.at(pos) === undefined) return -1;
      const found = this.window.indexOf(bytes, pos - this.base);
      if (found !== -1) return this.base + found;
      const windowEnd = this.base + this.window.length;
      if (windowEnd >= this.source.length) return -1;
      pos = Math.max(pos + 1, windowEnd - bytes.length + 1);
    }
    return -1;
  }

  /** The offset of the next `byte` at or after `from`, or -1. */
  indexOf(byte: number, from: number): number {
    for (let pos = from; pos < this.source.length;) {
      if (this.at(pos) === undefined) return -1;
      const found = this.window.indexOf(byte, pos - this.base);
      if (found !== -1) return this.base + found;
      pos = this.base + this.window.length;
    }
    return -1;
  }
}

class Walker {
  private readonly s: Cursor;

  constructor(
    private readonly source: ByteSource,
    private readonly defer: readonly PathPattern[],
  ) {
    this.s = new Cursor(source);
  }

  skipSpace(pos: number): number {
    while (isSpace(this.s.at(pos))) pos++;
    return pos;
  }

  /** The offset just past the string that starts at `pos`. */
  stringEnd(pos: number): number {
    let from = pos + 1;
    for (;;) {
      const quote = this.s.indexOf(QUOTE, from);
      if (quote === -1) throw syntaxError(this.source, pos, 'Unterminated string');
      let backslashes = 0;
      // Stepping back over the window's start moves the window there; it still covers the quote.
      for (let k = quote - 1; this.s.at(k) === BACKSLASH; k--) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      from = quote + 1;
    }
  }

  /** The offset just past the value that starts at `pos`; JSON.parse of the slice checks its grammar. */
  valueEnd(pos: number): number {
    const s = this.s;
    const first = s.at(pos);
    if (first === undefined) throw syntaxError(this.source, pos, 'Unexpected end of JSON input');
    if (first === QUOTE) return this.stringEnd(pos);
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      // The hot loop of the walk: it reads the window directly and leaves strings to stringEnd's indexOf.
      let depth = 0;
      let window = s.window;
      let i = pos - s.base;
      for (;;) {
        if (i >= window.length) {
          if (!s.load(s.base + i)) throw syntaxError(this.source, s.base + i, 'Unexpected end of JSON input');
          window = s.window;
          i = 0;
        }
        const c = window[i];
        if (c === QUOTE) {
          const end = this.stringEnd(s.base + i);
          window = s.window;
          i = end - s.base;
          continue;
        }
        if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) return s.base + i + 1;
        }
        i++;
      }
    }
    let i = pos;
    for (let c = s.at(i); c !== undefined; c = s.at(++i)) {
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
    }
    if (i === pos) throw syntaxError(this.source, pos, `Unexpected token '${String.fromCharCode(first)}'`);
    return i;
  }

  /** What the patterns say of the value at `path`: defer it, descend into it, or parse it whole. */
  private role(path: readonly string[]): 'defer' | 'descend' | 'parse' {
    let descend = false;
    for (const pattern of this.defer) {
      if (pattern.length < path.length) continue;
      let matches = true;
      for (let i = 0; i < path.length; i++) {
        const p = pattern[i];
        if (p !== '*' ? p !== path[i] : !/^\d+$/.test(path[i] ?? '')) {
          matches = false;
          break;
        }
      }
      if (!matches) continue;
      if (pattern.length === path.length) return 'defer';
      descend = true;
    }
    return descend ? 'descend' : 'parse';
  }

  /** The value at `pos` (after white space) and the offset past it. */
  value(pos: number, path: string[]): [unknown, number] {
    const start = this.skipSpace(pos);
    const role = path.length === 0 ? 'descend' : this.role(path);
    const first = this.s.at(start);
    if (role === 'defer' && first === OPEN_BRACKET) return this.deferredArray(start);
    if (role !== 'parse' && first === OPEN_BRACE) return this.object(start, path);
    if (role !== 'parse' && first === OPEN_BRACKET) return this.array(start, path);
    const end = this.valueEnd(start);
    return [parseSlice(this.source, start, end), end];
  }

  private object(pos: number, path: string[]): [Record<string, unknown>, number] {
    const s = this.s;
    const out: Record<string, unknown> = {};
    let i = this.skipSpace(pos + 1);
    if (s.at(i) === CLOSE_BRACE) return [out, i + 1];
    for (;;) {
      if (s.at(i) !== QUOTE) throw syntaxError(this.source, i, 'Expected a property name');
      const keyEnd = this.stringEnd(i);
      const key = parseSlice(this.source, i, keyEnd) as string;
      i = this.skipSpace(keyEnd);
      if (s.at(i) !== COLON) throw syntaxError(this.source, i, `Expected ':' after property name`);
      const [value, end] = this.value(i + 1, [...path, key]);
      // JSON.parse keeps the last of duplicate keys and makes __proto__ a plain key; so does this.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      i = this.skipSpace(end);
      if (s.at(i) === CLOSE_BRACE) return [out, i + 1];
      if (s.at(i) !== COMMA) throw syntaxError(this.source, i, `Expected ',' or '}' after property value`);
      i = this.skipSpace(i + 1);
    }
  }

  private array(pos: number, path: string[]): [unknown[], number] {
    const s = this.s;
    const out: unknown[] = [];
    let i = this.skipSpace(pos + 1);
    if (s.at(i) === CLOSE_BRACKET) return [out, i + 1];
    for (;;) {
      const [value, end] = this.value(i, [...path, String(out.length)]);
      out.push(value);
      i = this.skipSpace(end);
      if (s.at(i) === CLOSE_BRACKET) return [out, i + 1];
      if (s.at(i) !== COMMA) throw syntaxError(this.source, i, `Expected ',' or ']' after array element`);
      i = i + 1;
    }
  }

  private deferredArray(pos: number): [DeferredArray, number] {
    const laidOut = this.laidOutArray(pos);
    if (laidOut) {
      const recount = (): Float64Array => new Walker(this.source, []).walkedArray(pos)[0].boundsNow();
      return [new DeferredArray(this.source, laidOut.bounds, recount), laidOut.end];
    }
    return this.walkedArray(pos);
  }

  /** The indentation of `pos` when only spaces stand between it and the start of its line. */
  private indentAt(pos: number): number | undefined {
    let k = pos - 1;
    while (this.s.at(k) === SPACE) k--;
    return k < 0 || this.s.at(k) === NEWLINE ? pos - 1 - k : undefined;
  }

  /** The indentation of the line `pos` is on (its leading spaces); undefined past a few KiB of line. */
  private lineIndent(pos: number): number | undefined {
    let k = pos - 1;
    while (k >= 0 && this.s.at(k) !== NEWLINE) {
      if (pos - k > 4096) return undefined;
      k--;
    }
    let n = 0;
    while (this.s.at(k + 1 + n) === SPACE) n++;
    return n;
  }

  private readonly closers = new Map<string, Buffer>();

  /**
   * The elements' bounds read from an indented layout (trivy and grype indent their JSON): JSON strings
   * cannot hold a newline, so an element that opens at indentation k ends at the first newline, k spaces
   * and its closing bracket after it, found with one native search instead of a walk over every byte. Any
   * departure from that layout gives undefined (the caller walks instead); DeferredArray re-walks if an
   * element then does not parse.
   */
  private laidOutArray(pos: number): { bounds: Float64Array; end: number } | undefined {
    const s = this.s;
    const arrayIndent = this.lineIndent(pos);
    if (arrayIndent === undefined) return undefined;
    const bounds: number[] = [];
    let elementIndent: number | undefined;
    let i = this.skipSpace(pos + 1);
    if (s.at(i) === CLOSE_BRACKET) return undefined;
    for (;;) {
      const start = this.skipSpace(i);
      const open = s.at(start);
      if (open !== OPEN_BRACE && open !== OPEN_BRACKET) return undefined;
      const indent = this.indentAt(start);
      if (indent === undefined || indent <= arrayIndent || (elementIndent ?? indent) !== indent)
        return undefined;
      elementIndent = indent;
      const closer = `\n${' '.repeat(indent)}${open === OPEN_BRACE ? '}' : ']'}`;
      let needle = this.closers.get(closer);
      if (!needle) this.closers.set(closer, (needle = Buffer.from(closer)));
      const at = s.indexOfBytes(needle, start);
      if (at === -1) return undefined;
      const end = at + needle.length;
      bounds.push(start, end);
      i = this.skipSpace(end);
      const next = s.at(i);
      if (next === CLOSE_BRACKET) {
        return this.indentAt(i) === arrayIndent
          ? { bounds: Float64Array.from(bounds), end: i + 1 }
          : undefined;
      }
      if (next !== COMMA) return undefined;
      i = i + 1;
    }
  }

  private walkedArray(pos: number): [DeferredArray, number] {
    const s = this.s;
    const bounds: number[] = [];
    let i = this.skipSpace(pos + 1);
    if (s.at(i) === CLOSE_BRACKET) return [new DeferredArray(this.source, bounds), i + 1];
    for (;;) {
      const start = this.skipSpace(i);
      const end = this.valueEnd(start);
      bounds.push(start, end);
      i = this.skipSpace(end);
      if (s.at(i) === CLOSE_BRACKET)
        return [new DeferredArray(this.source, Float64Array.from(bounds)), i + 1];
      if (s.at(i) !== COMMA) throw syntaxError(this.source, i, `Expected ',' or ']' after array element`);
      i = i + 1;
    }
  }
}

/**
 * Parses `source`, leaving each array found at one of the `defer` paths as a DeferredArray whose elements
 * are parsed when read (from the source, which must stay readable until then). Syntax errors anywhere but
 * inside a deferred element are thrown here; an element's own errors are thrown when it is read.
 */
export function parseDeferring(source: ByteSource | Buffer, defer: readonly PathPattern[]): unknown {
  const bytes = Buffer.isBuffer(source) ? bufferSource(source) : source;
  const walker = new Walker(bytes, defer);
  const [value, end] = walker.value(0, []);
  const rest = walker.skipSpace(end);
  if (rest < bytes.length) throw syntaxError(bytes, rest, 'Unexpected non-whitespace character after JSON');
  return value;
}
