import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MissingMemberError, tarGzMemberSink } from '../../src/tools/untar.js';

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'untar-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A .tar.gz made by GNU tar from `files` (written in this order), in the given format. */
async function archive(
  files: Array<[name: string, content: Buffer | string | { link: string }]>,
  format: 'gnu' | 'pax' | 'ustar' = 'gnu',
  members?: string[],
): Promise<Buffer> {
  const root = join(dir, `root-${format}-${Math.random().toString(36).slice(2)}`);
  for (const [name, content] of files) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content))
      await symlink(content.link, join(root, name));
    else await writeFile(join(root, name), content);
  }
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.tar`);
  execFileSync('tar', [`--format=${format}`, '-cf', out, '-C', root, ...(members ?? files.map(([n]) => n))]);
  return gzipSync(await readFile(out));
}

/** Feeds `data` to a sink in `piece`-byte chunks, as a download would. */
async function feed(data: Buffer, member: string, piece = 7_001) {
  const dest = join(dir, 'out-binary');
  const sink = tarGzMemberSink(member, dest, 1024 * 1024 * 1024);
  for (let at = 0; at < data.length; at += piece) await sink.write(data.subarray(at, at + piece));
  return { result: await sink.close(), dest };
}

const BINARY = Buffer.concat([Buffer.from('#!/bin/sh\necho trivy\n'), Buffer.alloc(300_000, 7)]);

describe('tarGzMemberSink', () => {
  it('writes the one member, hashed, and nothing else', async () => {
    const data = await archive([
      ['README.md', '# trivy\n'],
      ['trivy', BINARY],
      ['contrib/html.tpl', '<html></html>\n'],
    ]);
    const { result, dest } = await feed(data, 'trivy');
    expect(result).toEqual({ ok: true, value: { path: dest, sha256: sha256(BINARY), bytes: BINARY.length } });
    expect(sha256(await readFile(dest))).toBe(sha256(BINARY));
  });

  it.each(['gnu', 'pax', 'ustar'] as const)('finds a member with a long path (%s format)', async (format) => {
    const long = `${'deep/'.repeat(30)}trivy`;
    const { result, dest } = await feed(await archive([[long, BINARY]], format), long);
    expect(result.ok).toBe(true);
    expect(sha256(await readFile(dest))).toBe(sha256(BINARY));
  });

  it('takes `./trivy` for `trivy`, as tar -x does', async () => {
    const data = await archive([['trivy', BINARY]], 'gnu', ['./trivy']);
    const { result } = await feed(data, 'trivy', 65_536);
    expect(result.ok).toBe(true);
  });

  it('a member that is a symbolic link is not the binary', async () => {
    const data = await archive([
      ['real', BINARY],
      ['trivy', { link: '/usr/bin/env' }],
    ]);
    const { result, dest } = await feed(data, 'trivy');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(MissingMemberError);
    expect((result.error as Error).message).toBe('trivy is a symbolic link, not a regular file');
    expect(existsSync(dest)).toBe(false);
  });

  it('no such member: says so, leaves no file', async () => {
    const { result, dest } = await feed(await archive([['grype', BINARY]]), 'trivy');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect((result.error as Error).message).toBe('there is no trivy in it');
    expect(existsSync(dest)).toBe(false);
  });

  it('bytes that are not a gzip: an error, not a hang', async () => {
    const { result } = await feed(Buffer.alloc(100_000, 0x41), 'trivy');
    expect(result.ok).toBe(false);
  });

  it('a corrupted byte in the gzip stream is an error', async () => {
    const data = Buffer.from(await archive([['trivy', BINARY]]));
    data[data.length - 6] = (data[data.length - 6] ?? 0) ^ 0xff;
    const { result } = await feed(data, 'trivy');
    expect(result.ok).toBe(false);
  });

  it('a gzip of something that is not a tar is an error', async () => {
    const { result } = await feed(gzipSync(Buffer.alloc(4096, 0x41)), 'trivy');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect((result.error as Error).message).toContain('not a tar archive');
  });

  it('abort removes what was written', async () => {
    const data = await archive([['trivy', BINARY]]);
    const dest = join(dir, 'aborted');
    const sink = tarGzMemberSink('trivy', dest, 1024 * 1024 * 1024);
    await sink.write(data.subarray(0, Math.floor(data.length / 2)));
    await sink.abort();
    expect(existsSync(dest)).toBe(false);
  });

  it('an archive that unpacks to more than the limit is refused', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0);
    const data = await archive([['trivy', big]]);
    const dest = join(dir, 'limited');
    const sink = tarGzMemberSink('trivy', dest, 1024 * 1024);
    await sink.write(data);
    const result = await sink.close();
    expect(result.ok).toBe(false);
    expect(existsSync(dest)).toBe(false);
  });
});
