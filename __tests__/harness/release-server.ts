import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { open, readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

/**
 * A local stand-in for GitHub release downloads: serves a directory laid out as
 * `/<owner>/<repo>/releases/download/<tag>/<asset>` on 127.0.0.1, records every request, and injects faults per
 * path. Every fault applies to the next `times` requests for its path (all of them when `times` is left out).
 */
export type Fault =
  /** Answer with this status (and no body). */
  | { kind: 'status'; status: number; times?: number }
  /** Wait this long before answering: a slow server, beyond the client's timeout. */
  | { kind: 'delay'; ms: number; times?: number }
  /**
   * Send the headers (with the full Content-Length) and part of the body, then destroy the connection (after
   * `holdMs`, when given: a transfer that stalls mid-body before it breaks).
   */
  | { kind: 'drop'; afterBytes?: number; holdMs?: number; times?: number }
  /** Redirect (302 unless told) to another URL, e.g. the same path on a second server: another host. */
  | { kind: 'redirect'; to: string; status?: number; times?: number };

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  /** `performance.now()` when the request arrived and when the answer was finished (or dropped). */
  startedAt: number;
  finishedAt: number;
  fault?: Fault['kind'];
}

export interface ReleaseServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** `127.0.0.1:<port>`, as `URL.host` spells it. */
  host: string;
  requests(): RecordedRequest[];
  fault(path: string, f: Fault): void;
  clearFaults(): void;
  stop(): Promise<void>;
}

interface ActiveFault {
  fault: Fault;
  left: number;
}

export interface ReleaseServerOptions {
  /**
   * Emulate a link of this many bytes per second, shared by every connection: one token bucket for the whole
   * server, so N concurrent downloads together get no more than one would alone. Unset: as fast as loopback goes.
   */
  bytesPerSecond?: number;
}

/**
 * Bytes a response sends per draw from the bucket, and how much unused allowance the bucket keeps: 1 MiB, 20 ms
 * at 50 MiB/s, enough to catch up after the server process waited for a CPU (the client under test runs on the
 * same machine, a real release server does not), too little to matter against a transfer of tens of MB. A draw is
 * 256 KiB (5 ms at 50 MiB/s): each draw costs the server a file read, a timer and a socket write, CPU that a real
 * server spends on its own machine; with 64 KiB draws the emulation took a third as much CPU as the client under
 * test.
 */
const LINK_CHUNK = 256 * 1024;
const LINK_BURST = 4 * LINK_CHUNK;

/**
 * A token bucket that responses draw from in turn (first come, first served), so concurrent responses share the
 * rate evenly. Time a timer overslept comes back as tokens (up to the burst), so the rate holds over a transfer.
 */
function sharedLink(
  bytesPerSecond: number,
  wait: (ms: number) => Promise<void>,
): (bytes: number) => Promise<void> {
  const perMs = bytesPerSecond / 1000;
  let tokens = LINK_BURST;
  let last = performance.now();
  let queue: Promise<void> = Promise.resolve();
  const refill = (): void => {
    const now = performance.now();
    tokens = Math.min(LINK_BURST, tokens + (now - last) * perMs);
    last = now;
  };
  return (bytes) => {
    const turn = queue.then(async () => {
      refill();
      if (tokens < bytes) {
        await wait((bytes - tokens) / perMs);
        refill();
      }
      tokens -= bytes;
    });
    queue = turn;
    return turn;
  };
}

/**
 * Sends a file over the emulated link, reading each piece as its turn on the link comes, as a CDN streams a file
 * rather than reading all of it before the first byte (16 MB read at once would delay that byte by tens of ms).
 */
async function sendOverLink(
  file: string,
  size: number,
  res: ServerResponse,
  link: (bytes: number) => Promise<void>,
): Promise<void> {
  const handle = await open(file);
  try {
    for (let at = 0; at < size; at += LINK_CHUNK) {
      const piece = Buffer.allocUnsafe(Math.min(LINK_CHUNK, size - at));
      const { bytesRead } = await handle.read(piece, 0, piece.length, at);
      if (bytesRead !== piece.length) throw new Error(`${file} changed while it was served`);
      await link(piece.length);
      if (res.destroyed) return;
      if (!res.write(piece)) {
        await new Promise<void>((done) => {
          const go = (): void => {
            res.off('drain', go);
            res.off('close', go);
            done();
          };
          res.on('drain', go);
          res.on('close', go);
        });
      }
    }
    await new Promise<void>((done) => res.end(done));
  } finally {
    await handle.close();
  }
}

export async function startReleaseServer(
  root: string,
  options: ReleaseServerOptions = {},
): Promise<ReleaseServer> {
  const base = resolve(root);
  const log: RecordedRequest[] = [];
  const faults = new Map<string, ActiveFault[]>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const takeFault = (path: string): Fault | undefined => {
    const list = faults.get(path);
    const active = list?.find((f) => f.left > 0);
    if (!active) return undefined;
    active.left -= 1;
    return active.fault;
  };

  const wait = (ms: number): Promise<void> =>
    new Promise((done) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        done();
      }, ms);
      timers.add(timer);
    });
  const link = options.bytesPerSecond ? sharedLink(options.bytesPerSecond, wait) : undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const startedAt = performance.now();
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const entry: RecordedRequest = { method: req.method ?? 'GET', path, status: 0, startedAt, finishedAt: 0 };
    log.push(entry);
    const finish = (status: number): void => {
      entry.status = status;
      entry.finishedAt = performance.now();
    };

    let fault = takeFault(path);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'delay') {
      await wait(fault.ms);
      fault = undefined;
      if (res.destroyed || req.socket.destroyed) {
        finish(0);
        return;
      }
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-length': '0' });
      res.end();
      finish(fault.status);
      return;
    }
    if (fault?.kind === 'redirect') {
      const status = fault.status ?? 302;
      res.writeHead(status, { location: fault.to, 'content-length': '0' });
      res.end();
      finish(status);
      return;
    }

    const file = resolve(base, `.${path}`);
    const inside = file === base || file.startsWith(base + sep);
    const info = inside ? await stat(file).catch(() => undefined) : undefined;
    if (req.method !== 'GET' || !info?.isFile()) {
      const status = req.method !== 'GET' ? 405 : 404;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 404 ? 'Not Found' : 'Method Not Allowed');
      finish(status);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(info.size) });
    if (link && fault?.kind !== 'drop') {
      await sendOverLink(file, info.size, res, link);
      finish(res.destroyed ? 0 : 200);
      return;
    }
    const body = await readFile(file);
    if (fault?.kind === 'drop') {
      const cut = Math.min(fault.afterBytes ?? Math.floor(body.length / 2), body.length - 1);
      const hold = fault.holdMs ?? 0;
      res.write(body.subarray(0, Math.max(cut, 0)), () => {
        void wait(hold).then(() => {
          req.socket.destroy();
          finish(200);
        });
      });
      return;
    }
    res.end(body, () => finish(200));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;

  return {
    url: `http://${host}`,
    host,
    requests: () => log.map((r) => ({ ...r })),
    fault(path, f) {
      const list = faults.get(path) ?? [];
      list.push({ fault: f, left: f.times ?? Number.POSITIVE_INFINITY });
      faults.set(path, list);
    },
    clearFaults: () => faults.clear(),
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
