import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { UserError, errorMessage } from '../util/errors.js';
import { RetriesExhaustedError, isTransientStatus, retry } from '../util/retry.js';
import type { PlannedFile, RedirectPolicy } from './plan.js';

export interface DownloadOptions {
  fetch: typeof fetch;
  /** A request that sends nothing (no headers, no body bytes) for this long is abandoned and tried again. */
  stallTimeoutMs: number;
  /**
   * A try that is still not complete after this long is abandoned, however steadily bytes trickle in, and not tried
   * again: a server that slow would take as long the next time.
   */
  tryTimeoutMs: number;
  /** Total tries per file, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No release asset is this large; a response that is, is not one. */
  maxBytes: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (message: string) => void;
}

export const DEFAULT_DOWNLOAD_OPTIONS: Omit<DownloadOptions, 'fetch'> = {
  stallTimeoutMs: 60_000,
  // 150 MB (the largest cosign binary) at 1 MB/s would still make it.
  tryTimeoutMs: 10 * 60_000,
  attempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 15_000,
  maxBytes: 1024 * 1024 * 1024,
};

/** What a sink made of a body: its value, or why it could not. */
export type SinkResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Something that consumes a body while it downloads (an archive unpacked on the way, say), so that the work is done
 * by the time the last byte is in. One sink per try: a try that breaks off aborts its sink, the next try gets a new
 * one. A sink's own failure never fails the download: the body is still hashed and checked, and the caller decides
 * what the failure means once it knows whether the bytes were the right ones.
 */
export interface StreamSink<T> {
  write(chunk: Uint8Array): Promise<void>;
  /** The body is complete. Never rejects. */
  close(): Promise<SinkResult<T>>;
  /** The body broke off; discard what was made of it. */
  abort(): Promise<void>;
}

/** Each sink's result, under the name it was given. */
export type SinkResults<T> = { [K in keyof T]?: SinkResult<T[K]> };

/**
 * One sink that feeds every chunk to each of `sinks` (the archive unpacked, its signature checked), side by side.
 * Each result is kept under its sink's name; one sink's failure does not touch the others'.
 */
export function sinkGroup<T extends object>(sinks: { [K in keyof T]?: StreamSink<T[K]> }): StreamSink<
  SinkResults<T>
> {
  const entries = Object.entries(sinks) as [keyof T & string, StreamSink<unknown>][];
  return {
    async write(chunk) {
      await Promise.all(entries.map(([, sink]) => sink.write(chunk)));
    },
    async close() {
      const results = await Promise.all(
        entries.map(async ([name, sink]) => [name, await sink.close()] as const),
      );
      return { ok: true, value: Object.fromEntries(results) as SinkResults<T> };
    },
    async abort() {
      // Each gives up what it made, whatever another's abort says.
      await Promise.allSettled(entries.map(([, sink]) => sink.abort()));
    },
  };
}

export interface GetOptions<T> {
  sink?: () => StreamSink<T>;
  /**
   * Keep a body of up to this many bytes in memory instead of writing it to disk as it arrives, for a file whose sink
   * makes all that is usually needed of it (an archive unpacked, its signature checked on the way): the disk is then
   * written only if `onDisk` is called. A larger body goes to disk after all.
   */
  holdBytes?: number;
}

export interface DownloadedFile<T = never> {
  name: string;
  url: string;
  /** Where the file is on disk, or is written to by `onDisk` when its body was held in memory. */
  path: string;
  /** `path`, once the file is there: a body held in memory (see `GetOptions.holdBytes`) is written first. */
  onDisk(): Promise<string>;
  sha256: string;
  bytes: number;
  tries: number;
  /** What the sink made of the body, when there was one. */
  derived?: SinkResult<T>;
}

/** The server answered with a status that is not 2xx. */
export class HttpStatusError extends Error {
  readonly status: number;
  readonly url: string;
  constructor(status: number, statusText: string, url: string) {
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${url}`);
    this.name = 'HttpStatusError';
    this.status = status;
    this.url = url;
  }
}

/** Nothing arrived for `stallTimeoutMs`. */
export class StallError extends Error {
  constructor(url: string, ms: number) {
    super(`no response from ${url} for ${formatSeconds(ms)} (timeout)`);
    this.name = 'StallError';
  }
}

/** The download went on, but too slowly to finish in `tryTimeoutMs`. Not transient. */
export class TooSlowError extends UserError {
  constructor(url: string, ms: number, bytes: number) {
    super(
      `${url} was still downloading after ${formatSeconds(ms)} (${bytes} bytes in), too slow to wait for. Re-run the ` +
        'job, or set `tool-mirror` to a mirror closer to the runner.',
    );
    this.name = 'TooSlowError';
  }
}

/** The connection broke or the body ended short. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/**
 * The download could not be written here (a full RUNNER_TEMP, most often). Never transient: the
 * server is not at fault, and the next try would stop at the same byte.
 */
export class DiskWriteError extends UserError {
  constructor(dest: string, cause: Error) {
    super(
      `Could not write the download to ${dest}: ${cause.message}. Free space on the disk of RUNNER_TEMP, or run the job on a runner with more.`,
      { cause },
    );
    this.name = 'DiskWriteError';
  }
}

/** A redirect that the policy forbids. Never transient: trying again would be redirected again. */
export class RedirectRefusedError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'RedirectRefusedError';
  }
}

/** A download that could not be completed: says what, where, how many tries, and the last answer. */
export class DownloadError extends UserError {
  readonly url: string;
  readonly tries: number;
  readonly status: number | undefined;
  constructor(message: string, url: string, tries: number, status: number | undefined, cause: unknown) {
    super(message, { cause });
    this.name = 'DownloadError';
    this.url = url;
    this.tries = tries;
    this.status = status;
  }
}

const MAX_REDIRECTS = 5;
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

export function isTransientDownloadError(err: unknown): boolean {
  if (err instanceof HttpStatusError) return isTransientStatus(err.status);
  return err instanceof StallError || err instanceof NetworkError;
}

/**
 * Whether a redirect from `from` to `to` may be followed. A mirror stays on its own host (a mirror that hands the
 * download to another host has stopped being the mirror the user named); GitHub may hand off to its object storage.
 * A redirect from https to http is never followed.
 */
export function redirectAllowed(origin: URL, to: URL, policy: RedirectPolicy): boolean {
  if (origin.protocol === 'https:' && to.protocol !== 'https:') return false;
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return false;
  if (to.host === origin.host) return true;
  return policy.kind === 'hosts' && policy.hosts.includes(to.host);
}

/** Writes a body that was held in memory to `dest`, where the caller needs it after all. */
async function writeHeld(dest: string, chunks: readonly Uint8Array[]): Promise<string> {
  try {
    await writeFile(dest, chunks);
  } catch (err) {
    // Whatever part of it was written goes (where the folder itself is gone, there is nothing to remove).
    await rm(dest, { force: true }).catch(() => undefined);
    throw new DiskWriteError(dest, err instanceof Error ? err : new Error(String(err)));
  }
  return dest;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function describeNetworkError(err: unknown): string {
  const cause =
    err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = typeof cause?.message === 'string' ? cause.message : undefined;
  return [errorMessage(err), code, detail].filter((s) => s !== undefined && s !== '').join(': ');
}

async function closeStream(out: WriteStream): Promise<void> {
  if (out.closed) return;
  out.end();
  await once(out, 'close');
}

/** One try: GET with manual redirects, the body streamed to `dest` (and the sink) and hashed on the way. */
async function fetchOnce<T>(
  url: string,
  dest: string,
  policy: RedirectPolicy,
  options: DownloadOptions,
  { sink: makeSink, holdBytes = 0 }: GetOptions<T>,
): Promise<{ sha256: string; bytes: number; derived?: SinkResult<T>; held?: Uint8Array[] }> {
  const controller = new AbortController();
  let sink: StreamSink<T> | undefined;
  let current = url;
  let timer: NodeJS.Timeout | undefined;
  // Re-armed on every chunk: refresh() restarts the same timer instead of making a new one each time.
  const arm = (): void => {
    if (timer) {
      timer.refresh();
      return;
    }
    timer = setTimeout(
      () => controller.abort(new StallError(current, options.stallTimeoutMs)),
      options.stallTimeoutMs,
    );
  };
  let out: WriteStream | undefined;
  let bytes = 0;
  const deadline = setTimeout(
    () => controller.abort(new TooSlowError(current, options.tryTimeoutMs, bytes)),
    options.tryTimeoutMs,
  );
  try {
    arm();
    const origin = new URL(url);
    let response: Response;
    for (let hop = 0; ; hop++) {
      try {
        response = await options.fetch(current, {
          redirect: 'manual',
          signal: controller.signal,
          headers: { 'user-agent': 'secure-image-action', accept: 'application/octet-stream' },
        });
      } catch (err) {
        if (controller.signal.aborted) throw controller.signal.reason;
        throw new NetworkError(describeNetworkError(err), { cause: err });
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) break;
      await response.body?.cancel().catch(() => undefined);
      const next = new URL(location, current);
      if (!redirectAllowed(origin, next, policy)) {
        throw new RedirectRefusedError(
          policy.kind === 'same-host'
            ? `The tool mirror redirected ${current} to ${next.href}, on another host. secure-image does not follow a ` +
                `\`tool-mirror\` off its own host (${origin.host}): serve the release files from the mirror itself.`
            : `${current} redirected to ${next.href}; secure-image follows release downloads only to ${[origin.host, ...policy.hosts].join(', ')}.`,
        );
      }
      if (hop + 1 >= MAX_REDIRECTS)
        throw new RedirectRefusedError(`${url} redirected more than ${MAX_REDIRECTS} times.`);
      current = next.href;
      arm();
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new HttpStatusError(response.status, response.statusText, current);
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      throw new UserError(
        `${current} is ${declared} bytes, more than any release asset (${options.maxBytes}).`,
      );
    }

    const hash = createHash('sha256');
    let writeError: Error | undefined;
    let rejectFailed: (error: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      rejectFailed = reject;
    });
    failed.catch(() => undefined);
    const openFile = (): WriteStream => {
      // A deep buffer: with the default 16 KiB every 64 KiB chunk would wait for its disk write before the next
      // read, one round trip to the thread pool per chunk.
      const file = createWriteStream(dest, { highWaterMark: WRITE_BUFFER_BYTES });
      file.once('error', (error) => {
        writeError = error;
        rejectFailed(error);
      });
      out = file;
      return file;
    };
    let held: Uint8Array[] | undefined = holdBytes > 0 ? [] : undefined;
    let heldBytes = 0;
    if (!held) openFile();
    sink = makeSink?.();
    if (response.body) {
      try {
        for await (const chunk of response.body) {
          arm();
          bytes += chunk.byteLength;
          if (bytes > options.maxBytes) {
            throw new UserError(
              `${current} sent more than ${options.maxBytes} bytes, more than any release asset.`,
            );
          }
          hash.update(chunk);
          let drained: Promise<unknown> | undefined;
          if (held && heldBytes + chunk.byteLength <= holdBytes) {
            held.push(chunk);
            heldBytes += chunk.byteLength;
          } else {
            const file = out ?? openFile();
            // Too large to hold: what was held goes to disk first, and the rest follows it there.
            for (const earlier of held ?? []) file.write(earlier);
            held = undefined;
            drained = file.write(chunk) ? undefined : Promise.race([once(file, 'drain'), failed]);
          }
          // The sink works on this chunk while the file write drains: neither waits for the other. (A write
          // error meanwhile is seen by the await below, not reported as unhandled.)
          drained?.catch(() => undefined);
          await sink?.write(chunk);
          if (drained) await drained;
        }
      } catch (err) {
        if (writeError) throw new DiskWriteError(dest, writeError);
        if (controller.signal.aborted) throw controller.signal.reason;
        if (err instanceof UserError) throw err;
        throw new NetworkError(
          `the body of ${current} broke off after ${bytes} bytes: ${describeNetworkError(err)}`,
          {
            cause: err,
          },
        );
      }
    }
    if (Number.isFinite(declared) && declared !== bytes) {
      throw new NetworkError(`${current} ended after ${bytes} of ${declared} bytes`);
    }
    // The body is whole: the sink finishes (a signature check reads its end of input) while the file is flushed.
    const closing = sink?.close();
    closing?.catch(() => undefined);
    if (out) {
      await Promise.race([closeStream(out), failed]).catch((err: unknown) => {
        throw writeError ? new DiskWriteError(dest, writeError) : err;
      });
    }
    const derived = await closing;
    sink = undefined;
    return { sha256: hash.digest('hex'), bytes, ...(derived ? { derived } : {}), ...(held ? { held } : {}) };
  } catch (err) {
    if (out && !out.closed) out.destroy();
    // A sink already closing finishes first, then gives up what it made: the download did not complete.
    await sink?.abort();
    await rm(dest, { force: true });
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
    clearTimeout(deadline);
  }
}

/**
 * Fetches release files into one work directory, each URL at most once per run (the same file asked for twice gets
 * the same promise), retrying what may pass on another try.
 */
export class Downloader {
  private readonly files = new Map<string, Promise<DownloadedFile<unknown>>>();
  private readonly fetched: string[] = [];
  private count = 0;

  constructor(
    private readonly dir: string,
    private readonly options: DownloadOptions,
  ) {}

  /** URLs fetched so far (each once). */
  urls(): readonly string[] {
    return this.fetched;
  }

  /**
   * The file at `file.url`, fetched once: a second call for the same URL gets the first call's promise, and its
   * `options` are not used.
   */
  get<T = never>(
    file: PlannedFile,
    policy: RedirectPolicy,
    options: GetOptions<T> = {},
  ): Promise<DownloadedFile<T>> {
    let pending = this.files.get(file.url);
    if (!pending) {
      pending = this.download(file, policy, options);
      this.files.set(file.url, pending);
    }
    return pending as Promise<DownloadedFile<T>>;
  }

  private async download<T>(
    file: PlannedFile,
    policy: RedirectPolicy,
    options: GetOptions<T>,
  ): Promise<DownloadedFile<T>> {
    // One folder per URL: two tools may publish files with the same name.
    const folder = join(this.dir, String(this.count++));
    const dest = join(folder, file.name);
    this.fetched.push(file.url);
    await mkdir(folder, { recursive: true });
    let tries = 0;
    try {
      const result = await retry(
        async (attempt) => {
          tries = attempt;
          return fetchOnce(file.url, dest, policy, this.options, options);
        },
        {
          attempts: this.options.attempts,
          baseDelayMs: this.options.baseDelayMs,
          maxDelayMs: this.options.maxDelayMs,
          isTransient: isTransientDownloadError,
          what: `download of ${file.url}`,
          sleep: this.options.sleep,
          onRetry: ({ attempt, delayMs, error }) =>
            this.options.onRetry?.(
              `download of ${file.url}: ${errorMessage(error)} (try ${attempt} of ${this.options.attempts}); ` +
                `trying again in ${formatSeconds(delayMs)}`,
            ),
        },
      );
      const { held: body, ...fetched } = result;
      let held = body;
      let written: Promise<string> | undefined = held ? undefined : Promise.resolve(dest);
      // Written once, however often asked for; the memory is let go once the file is there.
      const onDisk = (): Promise<string> =>
        (written ??= writeHeld(dest, held ?? []).finally(() => {
          held = undefined;
        }));
      return { name: file.name, url: file.url, path: dest, onDisk, tries, ...fetched };
    } catch (err) {
      if (err instanceof UserError) throw err;
      const last = err instanceof RetriesExhaustedError ? err.cause : err;
      const status = last instanceof HttpStatusError ? last.status : undefined;
      const message =
        err instanceof RetriesExhaustedError
          ? `${err.message}. The server may be down or throttling: re-run the job, or set \`tool-mirror\` to a mirror of the release files.`
          : `download of ${file.url} failed after ${tries} ${tries === 1 ? 'try' : 'tries'}: ${errorMessage(err)}.`;
      throw new DownloadError(message, file.url, tries, status, err);
    }
  }
}
