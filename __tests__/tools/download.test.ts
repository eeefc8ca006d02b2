import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_DOWNLOAD_OPTIONS,
  DownloadError,
  Downloader,
  RedirectRefusedError,
  redirectAllowed,
  type DownloadOptions,
} from '../../src/tools/download.js';
import { startReleaseServer, type ReleaseServer } from '../harness/release-server.js';

const PATH = '/acme/tool/releases/download/v1.0.0/tool-linux-amd64';
const BODY = Buffer.alloc(256 * 1024, 7);
BODY.write('tool binary');
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
// Bodies are compared by hash: jest's toEqual walks a Buffer byte by byte (seconds for 256 KiB).
const SHA = sha256(BODY);

let root: string;
let work: string;
let server: ReleaseServer;
let other: ReleaseServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'release-root-'));
  await mkdir(join(root, '/acme/tool/releases/download/v1.0.0'), { recursive: true });
  await writeFile(join(root, PATH), BODY);
  server = await startReleaseServer(root);
  other = await startReleaseServer(root);
});

afterAll(async () => {
  await server.stop();
  await other.stop();
  await rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  server.clearFaults();
  other.clearFaults();
  if (work) await rm(work, { recursive: true, force: true });
});

async function downloader(
  overrides: Partial<DownloadOptions> = {},
): Promise<{ d: Downloader; delays: number[] }> {
  work = await mkdtemp(join(tmpdir(), 'downloads-'));
  const delays: number[] = [];
  const d = new Downloader(work, {
    ...DEFAULT_DOWNLOAD_OPTIONS,
    fetch: globalThis.fetch,
    attempts: 3,
    baseDelayMs: 100,
    maxDelayMs: 400,
    stallTimeoutMs: 2_000,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...overrides,
  });
  return { d, delays };
}

const file = (s: ReleaseServer = server) => ({ name: 'tool-linux-amd64', url: `${s.url}${PATH}` });
const mirror = { kind: 'same-host' } as const;
const hits = (s: ReleaseServer = server) => s.requests().filter((r) => r.path === PATH);

async function failure(p: Promise<unknown>): Promise<DownloadError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DownloadError);
  return err as DownloadError;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('Downloader', () => {
  it('streams the body to a file and hashes it on the way', async () => {
    const { d } = await downloader();
    const got = await d.get(file(), mirror);
    expect(got.sha256).toBe(SHA);
    expect(got.bytes).toBe(BODY.length);
    expect(got.tries).toBe(1);
    expect(sha256(await readFile(got.path))).toBe(SHA);
    expect(hits()).toHaveLength(1);
  });

  it('downloads the same URL once, however often it is asked for', async () => {
    const before = hits().length;
    const { d } = await downloader();
    const [a, b] = await Promise.all([d.get(file(), mirror), d.get(file(), mirror)]);
    const c = await d.get(file(), mirror);
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(hits().length - before).toBe(1);
    expect(d.urls()).toEqual([file().url]);
  });

  it('503 twice, then success: three tries with growing back-off', async () => {
    server.fault(PATH, { kind: 'status', status: 503, times: 2 });
    const before = hits().length;
    const { d, delays } = await downloader();
    const got = await d.get(file(), mirror);
    expect(got.sha256).toBe(SHA);
    expect(got.tries).toBe(3);
    expect(
      hits()
        .slice(before)
        .map((r) => r.status),
    ).toEqual([503, 503, 200]);
    expect(delays).toHaveLength(2);
    // Full jitter within [ceiling/2, ceiling]: ceilings 100 then 200.
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it('429 is tried again', async () => {
    server.fault(PATH, { kind: 'status', status: 429, times: 1 });
    const { d } = await downloader();
    expect((await d.get(file(), mirror)).tries).toBe(2);
  });

  it('gives up after the bound, saying how many tries and the last status', async () => {
    server.fault(PATH, { kind: 'status', status: 502 });
    const before = hits().length;
    const { d } = await downloader();
    const err = await failure(d.get(file(), mirror));
    expect(err.message).toContain(`download of ${file().url} failed after 3 tries: HTTP 502 Bad Gateway`);
    expect(err.tries).toBe(3);
    expect(err.status).toBe(502);
    expect(hits().length - before).toBe(3);
    expect(await filesUnder(work)).toEqual([]);
  });

  it('404 is not tried again', async () => {
    const { d } = await downloader();
    const missing = { name: 'nope', url: `${server.url}/acme/tool/releases/download/v1.0.0/nope` };
    const err = await failure(d.get(missing, mirror));
    expect(err.status).toBe(404);
    expect(err.tries).toBe(1);
    expect(err.message).toContain('failed after 1 try: HTTP 404 Not Found');
    expect(server.requests().filter((r) => r.path.endsWith('/nope'))).toHaveLength(1);
  });

  it('a connection dropped mid-body is tried again and leaves no partial file', async () => {
    server.fault(PATH, { kind: 'drop', afterBytes: 1000, times: 1 });
    const { d } = await downloader();
    const got = await d.get(file(), mirror);
    expect(got.tries).toBe(2);
    expect(got.sha256).toBe(SHA);
    expect(await filesUnder(work)).toEqual(['tool-linux-amd64']);
  });

  it('a sink sees each try afresh: the broken try aborted, the complete one closed with every byte', async () => {
    server.fault(PATH, { kind: 'drop', afterBytes: 100_000, times: 1 });
    const events: string[] = [];
    const { d } = await downloader();
    const got = await d.get<number>(file(), mirror, {
      sink: () => {
        const hash = createHash('sha256');
        let bytes = 0;
        return {
          write: async (chunk) => {
            hash.update(chunk);
            bytes += chunk.byteLength;
          },
          close: async () => {
            events.push(`close ${bytes} ${hash.digest('hex')}`);
            return { ok: true, value: bytes };
          },
          abort: async () => {
            events.push('abort');
          },
        };
      },
    });
    expect(got.tries).toBe(2);
    expect(events).toEqual(['abort', `close ${BODY.length} ${SHA}`]);
    expect(got.derived).toEqual({ ok: true, value: BODY.length });
  });

  it("a sink's failure does not fail the download: the bytes are still hashed and kept", async () => {
    const { d } = await downloader();
    const broken = new Error('not an archive');
    const got = await d.get(file(), mirror, {
      sink: () => ({
        write: async () => undefined,
        close: async () => ({ ok: false, error: broken }),
        abort: async () => undefined,
      }),
    });
    expect(got.sha256).toBe(SHA);
    expect(got.derived).toEqual({ ok: false, error: broken });
    expect(sha256(await readFile(got.path))).toBe(SHA);
  });

  it('a body held in memory reaches the disk only when asked for, byte for byte, and once', async () => {
    const { d } = await downloader();
    const seen: number[] = [];
    const got = await d.get<number>(file(), mirror, {
      holdBytes: BODY.length,
      sink: () => {
        let bytes = 0;
        return {
          write: async (chunk) => {
            bytes += chunk.byteLength;
          },
          close: async () => {
            seen.push(bytes);
            return { ok: true, value: bytes };
          },
          abort: async () => undefined,
        };
      },
    });
    expect(got.sha256).toBe(SHA);
    expect(seen).toEqual([BODY.length]);
    expect(await filesUnder(work)).toEqual([]);
    // Asked for twice at once: one write, the same answer.
    const writing = got.onDisk();
    expect(got.onDisk()).toBe(writing);
    expect(await writing).toBe(got.path);
    expect(sha256(await readFile(got.path))).toBe(SHA);
    expect(await filesUnder(work)).toEqual(['tool-linux-amd64']);
    // Once written, it is not written again: a later call does not bring back a file removed meanwhile.
    await rm(got.path);
    expect(await got.onDisk()).toBe(got.path);
    expect(await filesUnder(work)).toEqual([]);
  });

  it('a body larger than it may hold goes to disk as it arrives, whole', async () => {
    const { d } = await downloader();
    const got = await d.get(file(), mirror, { holdBytes: 100_000 });
    expect(got.sha256).toBe(SHA);
    expect(sha256(await readFile(got.path))).toBe(SHA);
    expect(await got.onDisk()).toBe(got.path);
  });

  it('a held try that breaks off keeps nothing of itself: the next try is held afresh', async () => {
    server.fault(PATH, { kind: 'drop', afterBytes: 100_000, times: 1 });
    const { d } = await downloader();
    const got = await d.get(file(), mirror, { holdBytes: BODY.length });
    expect(got.tries).toBe(2);
    expect(await filesUnder(work)).toEqual([]);
    await got.onDisk();
    expect(sha256(await readFile(got.path))).toBe(SHA);
  });

  it('a held body that cannot be written is a disk error naming the file', async () => {
    const { d } = await downloader();
    const got = await d.get(file(), mirror, { holdBytes: BODY.length });
    // Its folder replaced by a file: the write fails as on a full or read-only disk.
    const folder = join(got.path, '..');
    await rm(folder, { recursive: true, force: true });
    await writeFile(folder, 'not a folder');
    await expect(got.onDisk()).rejects.toThrow(`Could not write the download to ${got.path}`);
  });

  it('a server slower than the timeout is abandoned, tried again, and reported with the timeout', async () => {
    server.fault(PATH, { kind: 'delay', ms: 3_000 });
    const { d } = await downloader({ stallTimeoutMs: 300, attempts: 2 });
    const started = performance.now();
    const err = await failure(d.get(file(), mirror));
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(err.message).toContain('failed after 2 tries');
    expect(err.message).toContain('for 300 ms (timeout)');
    expect(err.tries).toBe(2);
  });

  it('a download that keeps coming takes as long as it needs: the stall timeout counts from the last bytes', async () => {
    const steadyRoot = await mkdtemp(join(tmpdir(), 'steady-root-'));
    await mkdir(join(steadyRoot, '/acme/tool/releases/download/v1.0.0'), { recursive: true });
    const body = Buffer.alloc(3 * 1024 * 1024, 3);
    await writeFile(join(steadyRoot, PATH), body);
    // After a first MiB, 256 KiB every quarter second: 2 s in all, never 1 s without bytes.
    const steady = await startReleaseServer(steadyRoot, { bytesPerSecond: 1024 * 1024 });
    try {
      const { d } = await downloader({ stallTimeoutMs: 1_000, attempts: 1 });
      const got = await d.get(file(steady), mirror);
      expect(got.sha256).toBe(sha256(body));
      expect(got.tries).toBe(1);
    } finally {
      await steady.stop();
      await rm(steadyRoot, { recursive: true, force: true });
    }
  });

  it('a server that trickles bytes in is abandoned at the deadline of a try, and not tried again', async () => {
    const slowRoot = await mkdtemp(join(tmpdir(), 'slow-root-'));
    await mkdir(join(slowRoot, '/acme/tool/releases/download/v1.0.0'), { recursive: true });
    await writeFile(join(slowRoot, PATH), Buffer.alloc(4 * 1024 * 1024, 1));
    // After a first MiB, steady 256 KiB pieces every 1.3 s: never a 2 s stall, but 16 s for the whole file.
    const slow = await startReleaseServer(slowRoot, { bytesPerSecond: 200_000 });
    try {
      const { d } = await downloader({ stallTimeoutMs: 2_000, tryTimeoutMs: 800, attempts: 3 });
      const err = await d.get(file(slow), mirror).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.name).toBe('TooSlowError');
      expect(err?.message).toMatch(
        /was still downloading after 800 ms \(\d+ bytes in\), too slow to wait for/,
      );
      expect(err?.message).toContain('`tool-mirror`');
      expect(hits(slow)).toHaveLength(1);
      expect(await filesUnder(work)).toEqual([]);
    } finally {
      await slow.stop();
      await rm(slowRoot, { recursive: true, force: true });
    }
  });

  it('a mirror redirect on its own host is followed', async () => {
    server.fault('/moved', { kind: 'redirect', to: PATH });
    const { d } = await downloader();
    const got = await d.get({ name: 'tool', url: `${server.url}/moved` }, mirror);
    expect(got.sha256).toBe(SHA);
  });

  it('a mirror redirect to another host is refused, not tried again, and not followed', async () => {
    server.fault(PATH, { kind: 'redirect', to: `${other.url}${PATH}` });
    const before = hits(other).length;
    const { d } = await downloader();
    const err = await d.get(file(), mirror).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RedirectRefusedError);
    expect((err as Error).message).toContain(`to ${other.url}${PATH}, on another host`);
    expect((err as Error).message).toContain('`tool-mirror`');
    expect(hits(other).length).toBe(before);
  });

  it('a GitHub download follows a redirect to an allowed host only', async () => {
    server.fault(PATH, { kind: 'redirect', to: `${other.url}${PATH}` });
    const allowed = await downloader();
    const got = await allowed.d.get(file(), { kind: 'hosts', hosts: [other.host] });
    expect(got.sha256).toBe(SHA);

    const refused = await downloader();
    await expect(
      refused.d.get(file(), { kind: 'hosts', hosts: ['objects.githubusercontent.com'] }),
    ).rejects.toThrow(/follows release downloads only to/);
  });
});

describe('redirectAllowed', () => {
  const gh = new URL('https://github.com/a/b/releases/download/v1/x');
  const hosts = {
    kind: 'hosts',
    hosts: ['objects.githubusercontent.com', 'release-assets.githubusercontent.com'],
  } as const;
  it.each([
    ['https://release-assets.githubusercontent.com/x', hosts, true],
    ['https://objects.githubusercontent.com/x', hosts, true],
    ['https://github.com/other', hosts, true],
    ['http://release-assets.githubusercontent.com/x', hosts, false],
    ['https://evil.example.com/x', hosts, false],
    ['https://github.com.evil.example.com/x', hosts, false],
    ['https://objects.githubusercontent.com/x', { kind: 'same-host' } as const, false],
    ['file:///etc/passwd', hosts, false],
  ])('%s → %s', (to, policy, allowed) => {
    expect(redirectAllowed(gh, new URL(to), policy)).toBe(allowed);
  });
});

it('the harness refuses paths outside its root', async () => {
  const res = await fetch(`${server.url}/..%2F..%2Fetc%2Fpasswd`);
  expect(res.status).toBe(404);
  expect(existsSync(root)).toBe(true);
});
