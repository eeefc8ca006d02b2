import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import * as core from '@actions/core';
import { fencedLineWriter } from './log.js';

/**
 * The one way this action runs another program: an argv array (never a shell string), an explicit
 * environment (nothing inherited but the names in PASS_THROUGH), secrets redacted from everything it
 * captures, a timeout that kills the whole process group, and a timing record for the report.
 */
export interface ExecRequest {
  /** Absolute path, or a name looked up on the PATH of `env`. */
  command: string;
  args: readonly string[];
  /** Added to the base environment. Put secrets here, never in `args`. */
  env?: Readonly<Record<string, string>>;
  /** Values to mask in the runner log and to redact from captured output. */
  secrets?: readonly string[];
  cwd?: string;
  /**
   * Text for the tool's stdin, or a stream it reads as the bytes arrive (a download). With a stream, `timeoutMs`
   * counts from the stream's end, since the tool cannot finish before its input does; a stream that fails ends the
   * tool, whose verdict would be about part of the input.
   */
  stdin?: string | Readable;
  timeoutMs?: number;
  /** A short name for the timing record and messages, e.g. "cosign verify". */
  label?: string;
  /** Copy output lines to the job log as they arrive (builder logs), fenced so that no line acts as a workflow command. */
  stream?: boolean;
  /**
   * Ends the tool and everything it started, as a timeout does, when aborted: work started ahead (a DB warm-up)
   * that the run no longer needs must not hold the run open. An already aborted signal starts nothing.
   */
  signal?: AbortSignal;
}

export interface ExecResult {
  command: string;
  args: readonly string[];
  exitCode: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** Ended through `signal`. */
  aborted?: boolean;
}

export interface ExecTiming {
  label: string;
  exitCode: number;
  durationMs: number;
  timedOut: boolean;
}

// What a child may inherit from the runner: locating programs, a home and temp dir, the locale, and
// the proxy and CA settings a self-hosted runner needs to reach anything at all.
const PASS_THROUGH = [
  'PATH',
  'HOME',
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'TZ',
  'USER',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'XDG_RUNTIME_DIR',
  'DOCKER_CONFIG',
  'DOCKER_HOST',
  'REGISTRY_AUTH_FILE',
  // Windows runners: without SystemRoot a Go program cannot open a network connection, nor find its temp or
  // profile folders without the others.
  'SystemRoot',
  'windir',
  'TEMP',
  'TMP',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'ProgramData',
  'ComSpec',
  'PATHEXT',
] as const;

export function baseEnvironment(from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = from[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  return env;
}

const timings: ExecTiming[] = [];

export function execTimings(): readonly ExecTiming[] {
  return timings;
}

// Every secret this process was told about (through registerSecret, or as the secret of any tool
// call): one tool may echo another's credentials (a registry error quoting its login), so each
// output is redacted of all of them, not only of its own call's.
const registeredSecrets = new Set<string>();

/** Makes `value` a secret for every later redaction (the inputs' secrets, tokens as they are fetched). */
export function registerSecret(value: string): void {
  if (value.length >= 3) registeredSecrets.add(value);
}

/**
 * The spellings a secret can take in a tool's output: itself, and the part of its base64 (standard
 * and URL alphabets) that depends on it alone, at each of the three byte offsets it can have inside a
 * longer encoded text, as in a docker config `auth` or a `Basic` header of `user:secret`.
 */
export function secretVariants(secret: string): string[] {
  const variants = new Set<string>([secret]);
  const bytes = Buffer.from(secret, 'utf8');
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const inner = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (inner.length >= 8) {
      variants.add(inner);
      variants.add(inner.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...variants];
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  const all = new Set([...secrets, ...registeredSecrets]);
  // Longest first, so a secret that contains another is replaced whole.
  const variants = [...all]
    .filter((s) => s.length >= 3)
    .flatMap(secretVariants)
    .sort((a, b) => b.length - a.length);
  for (const variant of variants) {
    if (out.includes(variant)) out = out.split(variant).join('***');
  }
  return out;
}

/** The last `count` non-empty lines, for error messages that quote a tool. */
export function tailLines(text: string, count: number): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(-count)
    .join('\n');
}

const MAX_CAPTURE = 64 * 1024 * 1024;

export async function execTool(request: ExecRequest): Promise<ExecResult> {
  const secrets = (request.secrets ?? []).filter((s) => s !== '');
  for (const s of secrets) {
    core.setSecret(s);
    registerSecret(s);
  }
  const env = { ...baseEnvironment(), ...request.env };
  const label = request.label ?? basename(request.command);
  const started = performance.now();
  if (request.signal?.aborted) throw new Error(`${label} was not started: it is no longer needed`);

  return new Promise<ExecResult>((resolve, reject) => {
    const child = spawn(request.command, [...request.args], {
      cwd: request.cwd,
      env,
      shell: false,
      // Own process group, so a timeout ends the tool and everything it started.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outSize = 0;
    let errSize = 0;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;

    const echo = (): ReturnType<typeof fencedLineWriter> | undefined =>
      request.stream ? fencedLineWriter((text) => redact(text, secrets)) : undefined;
    const echoOut = echo();
    const echoErr = echo();
    const collect = (chunks: Buffer[], size: number, chunk: Buffer): number => {
      if (size < MAX_CAPTURE) chunks.push(chunk);
      return size + chunk.length;
    };
    child.stdout.on('data', (chunk: Buffer) => {
      outSize = collect(out, outSize, chunk);
      echoOut?.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errSize = collect(err, errSize, chunk);
      echoErr?.write(chunk);
    });

    let exited = false;
    let aborted = false;
    const end = (): void => {
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000).unref();
    };
    const armTimeout = (): void => {
      if (request.timeoutMs === undefined || exited) return;
      timer = setTimeout(() => {
        timedOut = true;
        end();
      }, request.timeoutMs);
    };
    const onAbort = (): void => {
      aborted = true;
      end();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      const why = error.code === 'ENOENT' ? 'it was not found' : error.message;
      reject(new Error(`could not start ${label} (${request.command}): ${why}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      exited = true;
      echoOut?.end();
      echoErr?.end();
      if (timer) clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      const durationMs = Math.round(performance.now() - started);
      const exitCode = code ?? 128;
      timings.push({ label, exitCode, durationMs, timedOut });
      core.debug(`${label}: exit ${exitCode}${signal ? ` (${signal})` : ''} in ${durationMs} ms`);
      resolve({
        command: request.command,
        args: request.args,
        exitCode,
        signal,
        stdout: redact(Buffer.concat(out).toString('utf8'), secrets),
        stderr: redact(Buffer.concat(err).toString('utf8'), secrets),
        durationMs,
        timedOut,
        ...(aborted ? { aborted } : {}),
      });
    });

    child.stdin.on('error', () => {
      // A tool that exits without reading stdin closes the pipe; its exit status tells what happened.
    });
    const input = request.stdin;
    if (input === undefined || typeof input === 'string') {
      armTimeout();
      child.stdin.end(input ?? '');
    } else {
      let ended = false;
      const onEnd = (): void => {
        ended = true;
        armTimeout();
      };
      // Destroyed, with or without an error, before its end: the input broke off. (Once the tool has exited its
      // process group is gone, and the number may be another's.)
      const onClose = (): void => {
        if (!ended && !exited) killGroup(child.pid, 'SIGKILL');
      };
      input.once('end', onEnd);
      input.once('close', onClose);
      // Whoever broke the input off deals with why; here it only ends the tool.
      input.on('error', () => undefined);
      child.once('close', () => {
        input.unpipe(child.stdin);
        input.off('end', onEnd);
        input.off('close', onClose);
      });
      input.pipe(child.stdin);
    }
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
