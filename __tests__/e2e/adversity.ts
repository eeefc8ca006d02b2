// Helpers of the hostile-input, fault and secrets suites: a buildah that logs its argv (the stand-ins
// log theirs already), a registry proxy that hangs up on chosen requests, the action's peak memory,
// and a byte search through every file a run leaves behind.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { basename, join } from 'node:path';
import { expect } from '@jest/globals';
import type { RunResult } from '../harness/runner.js';

/**
 * A `buildah` earlier on PATH that writes each call's argv (NUL-separated, as the kernel handed it
 * over) to a file of its own, then runs the real one. Put `binDir` first on the step's PATH.
 */
export interface LoggingBuildah {
  binDir: string;
  calls(): string[][];
  /** The registries.conf each call was pointed at (CONTAINERS_REGISTRIES_CONF), as it read then; '' for none. */
  registriesConfs(): string[];
}

export function loggingBuildah(dir: string, real = '/usr/bin/buildah'): LoggingBuildah {
  const binDir = join(dir, 'bin');
  const logDir = join(dir, 'calls');
  const confDir = join(dir, 'registries-conf');
  mkdirSync(binDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  mkdirSync(confDir, { recursive: true });
  const script = [
    '#!/bin/sh',
    `f=$(mktemp '${logDir}/call.XXXXXXXX')`,
    `printf '%s\\0' "$@" > "$f"`,
    `c='${confDir}'/$(basename "$f")`,
    'if [ -n "$CONTAINERS_REGISTRIES_CONF" ]; then cat "$CONTAINERS_REGISTRIES_CONF" > "$c"; else : > "$c"; fi',
    `exec '${real}' "$@"`,
    '',
  ].join('\n');
  // Named as the builder it wraps (buildah or podman), so the action finds it first on PATH.
  const path = join(binDir, basename(real));
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  /** The calls' log files, first call first. */
  const names = (): string[] =>
    readdirSync(logDir)
      .map((name) => ({ name, at: statSync(join(logDir, name)).mtimeMs }))
      .sort((a, b) => a.at - b.at)
      .map(({ name }) => name);
  return {
    binDir,
    calls: () =>
      names().map((name) => {
        const raw = readFileSync(join(logDir, name), 'utf8');
        return raw === '' ? [] : raw.slice(0, -1).split('\0');
      }),
    registriesConfs: () => names().map((name) => readFileSync(join(confDir, name), 'utf8')),
  };
}

/** The value after each occurrence of `flag` in an argv. */
export function flagValues(argv: readonly string[], flag: string): string[] {
  return argv.flatMap((arg, i) => (arg === flag && i + 1 < argv.length ? [argv[i + 1] ?? ''] : []));
}

export interface HangupProxy {
  host: string;
  /** `METHOD /path -> status` of every request; hung-up ones as `-> hung up`. */
  log(): string[];
  stop(): Promise<void>;
}

/**
 * A reverse proxy in front of a registry that, for every request matching `method` and `path`, either
 * destroys the connection after reading part of the body (`hangup`: a registry that goes away in the
 * middle of an upload) or reads the request and never answers (`stall`). Everything else is forwarded.
 */
export async function startHangupProxy(
  target: string,
  rule: { method?: string; path: RegExp; action?: 'hangup' | 'stall' },
): Promise<HangupProxy> {
  const targetUrl = new URL(target);
  const log: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if ((!rule.method || rule.method === req.method) && rule.path.test(req.url ?? '')) {
      if (rule.action === 'stall') {
        log.push(`${req.method} ${req.url} -> stalled`);
        req.resume();
        return;
      }
      log.push(`${req.method} ${req.url} -> hung up`);
      // Take a little of the upload first, so the client is mid-body when the line goes dead.
      req.once('data', () => req.socket.destroy());
      req.once('end', () => req.socket.destroy());
      return;
    }
    const headers = { ...req.headers, host: targetUrl.host };
    const upstream = httpRequest(
      { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers },
      (up) => {
        log.push(`${req.method} ${req.url} -> ${up.statusCode}`);
        const location = up.headers.location?.replace(targetUrl.host, `127.0.0.1:${port}`);
        res.writeHead(up.statusCode ?? 502, { ...up.headers, ...(location ? { location } : {}) });
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    log: () => [...log],
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A module for NODE_OPTIONS=--import that writes the process's peak resident set (KiB, from
 * getrusage) to `out` when it exits. The action runs its tools with a clean environment, so only the
 * action's own process loads it.
 */
export function peakRssProbe(dir: string): { nodeOptions: string; peakKiB(): number | undefined } {
  const out = join(dir, 'peak-rss.txt');
  const probe = join(dir, 'peak-rss-probe.mjs');
  writeFileSync(
    probe,
    [
      "import { writeFileSync } from 'node:fs';",
      `process.on('exit', () => writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));`,
      '',
    ].join('\n'),
  );
  return {
    nodeOptions: `--import=${probe}`,
    peakKiB: () => (existsSync(out) ? Number(readFileSync(out, 'utf8')) : undefined),
  };
}

/** Every regular file under `root` (or `root` itself), recursively; symbolic links are not followed. */
export function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  if (statSync(root).isFile()) return [root];
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) found.push(path);
    }
  };
  walk(root);
  return found;
}

/**
 * The spellings of `secret` a file or a log might carry: itself, and its base64 (standard and URL
 * alphabets) at each of the three byte alignments it can have inside a longer encoded text, cut to the
 * characters that depend on the secret alone (what a docker config's `auth` of `user:secret` holds).
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set<string>([secret]);
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad, 0x41), bytes]).toString('base64');
    const first = Math.ceil((8 * pad) / 6);
    const end = Math.floor((8 * (pad + bytes.length)) / 6);
    const core = encoded.slice(first, end);
    if (core.length >= 8) {
      forms.add(core);
      forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms];
}

/** Where any spelling of any secret occurs in the files under `roots`: `file: secret name (form)`. */
export function secretsInFiles(
  roots: readonly string[],
  secrets: Readonly<Record<string, string>>,
): string[] {
  const hits: string[] = [];
  const needles = Object.entries(secrets).flatMap(([name, value]) =>
    secretForms(value).map((form) => ({ name, form, bytes: Buffer.from(form, 'utf8') })),
  );
  for (const root of roots) {
    for (const file of filesUnder(root)) {
      const content = readFileSync(file);
      for (const needle of needles) {
        if (content.includes(needle.bytes))
          hits.push(`${file}: ${needle.name} (${needle.form === secrets[needle.name] ? 'plain' : 'base64'})`);
      }
    }
  }
  return hits;
}

/** Where any spelling of any secret occurs in the texts: `place: secret name`. */
export function secretsInTexts(
  texts: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, string>>,
): string[] {
  const hits: string[] = [];
  for (const [place, text] of Object.entries(texts)) {
    for (const [name, value] of Object.entries(secrets)) {
      for (const form of secretForms(value))
        if (text.includes(form)) hits.push(`${place}: ${name} (${form})`);
    }
  }
  return hits;
}

/** The run's top-level error (the `::error::` without a file, as core.setFailed writes it). */
export function failureOf(result: RunResult): string {
  return (
    result.annotations.find((a) => a.level === 'error' && a.file === undefined && a.title === undefined)
      ?.message ?? ''
  );
}

/** The run failed with exit code 1 and an error matching every pattern. */
export function expectFailure(result: RunResult, ...patterns: RegExp[]): void {
  expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({
    exitCode: 1,
    error: expect.stringMatching(patterns[0] ?? /./),
  });
  for (const pattern of patterns.slice(1)) expect(failureOf(result)).toMatch(pattern);
}
