import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { SinkResult, StreamSink } from './download.js';

/** The one file taken out of an archive: where it was written and the SHA-256 of what was written. */
export interface UnpackedFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** The archive is a valid tar.gz but holds no regular file under the name asked for. */
export class MissingMemberError extends Error {
  constructor(member: string, found?: string) {
    super(found ? `${member} is a ${found}, not a regular file` : `there is no ${member} in it`);
    this.name = 'MissingMemberError';
  }
}

const BLOCK = 512;
const EMPTY = Buffer.alloc(0);
// Metadata entries (long names, pax headers) are a few hundred bytes; more is not a release archive.
const MAX_META_BYTES = 1024 * 1024;

/** Pulls exact byte counts out of a stream of chunks. */
class ByteReader {
  private buf: Buffer = EMPTY;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(): Promise<boolean> {
    const next = await this.source.next();
    if (next.done) return false;
    this.buf = this.buf.length === 0 ? next.value : Buffer.concat([this.buf, next.value]);
    return true;
  }

  /** Exactly `n` bytes, or undefined when the stream ends first (with nothing read: `atEnd`). */
  async exact(n: number): Promise<{ bytes?: Buffer; atEnd: boolean }> {
    while (this.buf.length < n) {
      if (!(await this.fill())) return { atEnd: this.buf.length === 0 };
    }
    const bytes = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return { bytes, atEnd: false };
  }

  /** Hands the next `n` bytes to `each`, piece by piece; false when the stream ends first. */
  async pass(n: number, each?: (piece: Buffer) => Promise<void>): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0 && !(await this.fill())) return false;
      const piece = this.buf.subarray(0, Math.min(left, this.buf.length));
      this.buf = this.buf.subarray(piece.length);
      left -= piece.length;
      if (each) await each(piece);
    }
    return true;
  }

  async drain(): Promise<void> {
    this.buf = EMPTY;
    while (!(await this.source.next()).done) {
      // Read to the end, so that the gzip trailer (CRC and length) is checked.
    }
  }
}

const text = (field: Buffer): string => {
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
};

/** A numeric header field: octal text, or GNU base-256 when the top bit of the first byte is set. */
function numeric(field: Buffer): number {
  if ((field[0] ?? 0) & 0x80) {
    let value = (field[0] ?? 0) & 0x7f;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    return value;
  }
  const digits = text(field).trim();
  if (!/^[0-7]*$/.test(digits))
    throw new Error(`a tar header holds a bad number (${JSON.stringify(digits)})`);
  return digits === '' ? 0 : parseInt(digits, 8);
}

function checksumHolds(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  try {
    return sum === numeric(header.subarray(148, 156));
  } catch {
    return false;
  }
}

/** pax extended header records: `<length> <key>=<value>\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = Number(data.subarray(at, space).toString('ascii'));
    if (space === -1 || !Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}

/** How tar names an entry on extraction: no leading `/` or `./`. */
const normalise = (name: string): string => name.replace(/^(?:\.?\/)+/, '');

/**
 * Writes `dest` through a deeply buffered stream: `produce` waits on the disk only when 4 MiB are pending, not on
 * every piece. Resolves once the file is closed; rejects (and leaves the file to the caller) on a write error.
 */
async function writeWhole(
  dest: string,
  produce: (write: (piece: Buffer) => Promise<void>) => Promise<void>,
): Promise<void> {
  const out = createWriteStream(dest, { highWaterMark: 4 * 1024 * 1024 });
  let failure: Error | undefined;
  const failed = new Promise<never>((_, reject) =>
    out.once('error', (err) => {
      failure = err;
      reject(err);
    }),
  );
  failed.catch(() => undefined);
  try {
    await produce(async (piece) => {
      if (failure) throw failure;
      if (!out.write(piece)) await Promise.race([once(out, 'drain'), failed]);
    });
    out.end();
    await Promise.race([once(out, 'close'), failed]);
  } catch (err) {
    out.destroy();
    throw err;
  }
}

const TYPE_NAMES: Record<string, string> = {
  '1': 'hard link',
  '2': 'symbolic link',
  '3': 'character device',
  '4': 'block device',
  '5': 'directory',
  '6': 'FIFO',
};

/**
 * Reads a tar stream and writes the regular file named `member` to `dest`, hashing it on the way; every other entry
 * is skipped, so nothing but that one file is ever written, whatever names the archive holds. As with `tar -x`, the
 * last entry of that name wins: a link or directory after the file means there is no file.
 */
async function extractMember(
  source: AsyncIterable<Buffer>,
  member: string,
  dest: string,
  maxBytes: number,
): Promise<UnpackedFile> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  let found: UnpackedFile | undefined;
  let foundOther: string | undefined;
  let longName: string | undefined;
  let pax = new Map<string, string>();

  const meta = async (size: number): Promise<Buffer> => {
    if (size > MAX_META_BYTES) throw new Error(`a tar metadata entry of ${size} bytes`);
    const { bytes } = await reader.exact(size);
    if (!bytes) throw new Error('the tar stream ends inside an entry');
    await reader.pass((BLOCK - (size % BLOCK)) % BLOCK);
    return bytes;
  };

  for (;;) {
    const { bytes: header, atEnd } = await reader.exact(BLOCK);
    if (!header) {
      if (atEnd) break;
      throw new Error('the tar stream ends inside a header');
    }
    if (header.every((b) => b === 0)) break;
    if (!checksumHolds(header)) throw new Error('a tar header checksum does not match: not a tar archive');
    const type = String.fromCharCode(header[156] ?? 0);
    const ownSize = numeric(header.subarray(124, 136));
    // Metadata entries (a GNU long name, pax headers) describe the entry that follows them.
    if (type === 'L') {
      longName = text(await meta(ownSize));
      continue;
    }
    if (type === 'x') {
      pax = paxRecords(await meta(ownSize));
      continue;
    }
    if (type === 'K' || type === 'g') {
      await meta(ownSize);
      continue;
    }
    const size = Number(pax.get('size') ?? ownSize);
    if (!Number.isSafeInteger(size) || size < 0 || size > maxBytes) {
      throw new Error(`a tar entry claims ${size} bytes`);
    }

    const ustar = header.subarray(257, 263).toString('latin1') === 'ustar\0';
    const prefix = ustar ? text(header.subarray(345, 500)) : '';
    const raw =
      pax.get('path') ??
      longName ??
      (prefix ? `${prefix}/${text(header.subarray(0, 100))}` : text(header.subarray(0, 100)));
    longName = undefined;
    pax = new Map();
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    const regular = type === '0' || type === '\0' || type === '7';

    if (normalise(raw) !== member) {
      if (!(await reader.pass(size + padding))) throw new Error('the tar stream ends inside an entry');
      continue;
    }
    if (!regular) {
      foundOther = TYPE_NAMES[type] ?? `entry of type ${JSON.stringify(type)}`;
      found = undefined;
      if (!(await reader.pass(size + padding))) throw new Error('the tar stream ends inside an entry');
      continue;
    }
    const hash = createHash('sha256');
    await writeWhole(dest, async (write) => {
      const complete = await reader.pass(size, async (piece) => {
        hash.update(piece);
        await write(piece);
      });
      if (!complete) throw new Error('the tar stream ends inside an entry');
    });
    found = { path: dest, sha256: hash.digest('hex'), bytes: size };
    foundOther = undefined;
    await reader.pass(padding);
  }
  await reader.drain();
  if (!found) throw new MissingMemberError(member, foundOther);
  return found;
}

/**
 * A sink that gunzips and untars a `.tar.gz` while it downloads and keeps one file of it. The bytes are not yet
 * verified while this runs: it only writes `dest` (in a staging folder nothing looks into), and the caller uses the
 * result only after the archive's checksum and signature passed.
 */
export function tarGzMemberSink(member: string, dest: string, maxBytes: number): StreamSink<UnpackedFile> {
  // Output in 1 MiB pieces: each piece is a round trip to the thread pool, and with 64 KiB ones inflating took half
  // as much CPU again. Up to 1 MiB of input is queued before the download loop waits for inflation (zlib hands
  // stream options such as highWaterMark on to its Transform; its type does not list them).
  const options = { chunkSize: 1024 * 1024, highWaterMark: 1024 * 1024 };
  const gunzip = createGunzip(options);
  let unpacked = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      unpacked += chunk.length;
      // A small archive that inflates without end is not a release archive.
      if (unpacked > maxBytes) throw new Error(`it unpacks to more than ${maxBytes} bytes`);
      yield chunk;
    }
  }
  let error: unknown;
  const done = extractMember(counted(), normalise(member), dest, maxBytes).then(
    (value): SinkResult<UnpackedFile> => ({ ok: true, value }),
    (err: unknown): SinkResult<UnpackedFile> => {
      error = err;
      gunzip.destroy();
      return { ok: false, error: err };
    },
  );
  const stopped = done.then(() => undefined);

  return {
    async write(chunk) {
      if (error !== undefined || gunzip.destroyed) return;
      if (!gunzip.write(chunk)) {
        await Promise.race([once(gunzip, 'drain').catch(() => undefined), stopped]);
      }
    },
    async close() {
      if (error === undefined && !gunzip.destroyed) gunzip.end();
      const result = await done;
      if (!result.ok) await rm(dest, { force: true });
      return result;
    },
    async abort() {
      gunzip.destroy();
      await done;
      await rm(dest, { force: true });
    },
  };
}
