import { PassThrough } from 'node:stream';
import { UserError, errorMessage } from '../util/errors.js';
import { execTool, tailLines, type ExecRequest, type ExecResult } from '../util/exec.js';
import { RetriesExhaustedError, isTransientText, retry } from '../util/retry.js';
import type { Signer } from './catalog.js';
import type { SinkResult, StreamSink } from './download.js';
import { assertCertificateFile, assertKeylessBundle } from './signature-material.js';

/** The signature files of a blob: a Sigstore bundle, or goreleaser's signature and certificate pair. */
export type SignatureMaterial =
  | { kind: 'bundle'; bundle: string }
  | { kind: 'signature-and-certificate'; signature: string; certificate: string };

export interface VerifyBlobRequest {
  /** The file whose signature is checked (named in messages; read by cosign unless it is streamed). */
  blob: string;
  material: SignatureMaterial;
  signer: Signer;
}

/** The signature files, for messages. */
export function describeMaterial(material: SignatureMaterial): string {
  return material.kind === 'bundle'
    ? `bundle ${material.bundle}`
    : `signature ${material.signature}, certificate ${material.certificate}`;
}

/**
 * Checks the signature files before cosign reads them (see signature-material.ts): a bundle must carry a certificate
 * and a log entry or timestamp, a `.pem` a certificate.
 */
export async function assertMaterial(material: SignatureMaterial): Promise<void> {
  if (material.kind === 'bundle') await assertKeylessBundle(material.bundle);
  else await assertCertificateFile(material.certificate);
}

/** What cosign reads the blob from: the file, or `-`, its stdin (the reference page's "- for stdin"). */
export type BlobSource = 'file' | 'stdin';

/**
 * argv for `cosign verify-blob` with an exact keyless signer. A Sigstore bundle carries the certificate, signature
 * and transparency-log proof. Releases signed before bundles (grype before v0.120.0) publish a signature and a
 * certificate instead: `--signature`/`--certificate` are deprecated in v3 and missing from its reference page, but
 * the binary accepts them, and it looks the signature up in Rekor itself.
 */
export function verifyBlobArgs(request: VerifyBlobRequest, source: BlobSource = 'file'): string[] {
  const { material } = request;
  return [
    'verify-blob',
    ...(material.kind === 'bundle'
      ? ['--bundle', material.bundle]
      : ['--signature', material.signature, '--certificate', material.certificate]),
    '--certificate-identity',
    request.signer.identity,
    '--certificate-oidc-issuer',
    request.signer.issuer,
    source === 'stdin' ? '-' : request.blob,
  ];
}

/** cosign said the signature does not hold. Never retried. */
export class SignatureError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureError';
  }
}

/** cosign could not reach a verdict (Sigstore's trust root out of reach, every try). Not a no: nothing is evicted. */
export class SignatureUnavailableError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureUnavailableError';
  }
}

class TransientVerifyError extends Error {}

/** cosign itself would not start: not a verdict on the signature. */
class CosignNotRunError extends Error {}

/** The blob's file could not be put in place for cosign: not a verdict either; its own error is what the user sees. */
class BlobNotWrittenError extends Error {}

const TIMEOUT_MS = 120_000;

export interface VerifyBlobOptions {
  exec?: (request: ExecRequest) => Promise<ExecResult>;
  timeoutMs?: number;
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The answer of a run that already happened (cosign reading the blob as it downloaded): it counts as try 1. */
  first?: ExecResult;
  /** Puts the blob's file in place before cosign is run on it (a download held in memory is written only then). */
  blobOnDisk?: () => Promise<unknown>;
}

/** What one run of verify-blob said: the signature holds, it does not, or the run could not tell (network). */
export function verdictOf(result: ExecResult): 'passed' | 'refused' | 'transient' {
  if (result.exitCode === 0) return 'passed';
  return result.timedOut || isTransientText(`${result.stderr}\n${result.stdout}`) ? 'transient' : 'refused';
}

/**
 * Runs `cosign verify-blob` on the file. The environment is the exec wrapper's base only: a `COSIGN_*` variable on
 * the runner would set a flag (e.g. `COSIGN_INSECURE_IGNORE_TLOG`) and weaken the check. Network trouble fetching
 * Sigstore's trust root is tried again; a signature that does not verify is not.
 */
export async function verifyBlob(
  cosign: string,
  request: VerifyBlobRequest,
  options: VerifyBlobOptions = {},
): Promise<void> {
  const exec = options.exec ?? execTool;
  const attempts = options.attempts ?? 3;
  await assertMaterial(request.material);
  let last: ExecResult | undefined;
  try {
    await retry(
      async (attempt) => {
        if (attempt === 1 && options.first) {
          last = options.first;
        } else {
          await options.blobOnDisk?.().catch((err: unknown) => {
            throw new BlobNotWrittenError(errorMessage(err), { cause: err });
          });
          try {
            last = await exec({
              command: cosign,
              args: verifyBlobArgs(request),
              env: {},
              timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
              label: 'cosign verify-blob',
            });
          } catch (err) {
            throw new CosignNotRunError(
              `could not run cosign at ${cosign} to verify ${request.blob}: ${errorMessage(err)}`,
            );
          }
        }
        const verdict = verdictOf(last);
        if (verdict === 'passed') return;
        const text = `${last.stderr}\n${last.stdout}`;
        if (verdict === 'transient') throw new TransientVerifyError(tailLines(text, 3));
        throw new SignatureError(tailLines(text, 5) || `exit code ${last.exitCode}`);
      },
      {
        attempts,
        baseDelayMs: 2_000,
        maxDelayMs: 10_000,
        isTransient: (err) => err instanceof TransientVerifyError,
        what: 'cosign verify-blob',
        sleep: options.sleep,
      },
    );
  } catch (err) {
    if (err instanceof CosignNotRunError) throw err;
    if (err instanceof BlobNotWrittenError) throw err.cause;
    const detail = err instanceof Error ? err.message : String(err);
    const message =
      `cosign verify-blob did not accept the signature of ${request.blob} (${describeMaterial(request.material)}, expected signer ` +
      `${request.signer.identity}, issuer ${request.signer.issuer})${last ? `, exit code ${last.exitCode}` : ''}:\n${detail}`;
    // Tries that all ended on network trouble are no verdict: a cached tool is then not evicted for it.
    if (err instanceof RetriesExhaustedError) throw new SignatureUnavailableError(message);
    throw new SignatureError(message);
  }
}

/** What became of a signature check that read the blob while it downloaded. */
export type StreamedCheck =
  /** cosign read the whole body and answered. */
  | { kind: 'ran'; result: ExecResult }
  /** It did not run to the end (cosign not ready in time, or not reading); the file is to be checked instead. */
  | { kind: 'not-streamed'; why: string };

export interface StreamedCheckTarget {
  cosign: string;
  request: VerifyBlobRequest;
}

export interface VerifyBlobSinkOptions {
  exec?: (request: ExecRequest) => Promise<ExecResult>;
  timeoutMs?: number;
  /** Bytes held for cosign while it is not reading (not started yet, or busy); beyond, the check is left to the file. */
  maxQueuedBytes: number;
}

/**
 * A download sink that has `cosign verify-blob … -` read the body while it arrives, so that the signature check
 * ends with the last byte instead of starting after it. cosign starts once `target` is known (the verifying cosign
 * installed, the bundle downloaded); the body waits for it in memory, up to `maxQueuedBytes`. The sink never slows
 * the download: when cosign falls that far behind, the streamed check is given up and the caller checks the file.
 * Like every sink, its result is used only after the body's checksum matched.
 */
export function verifyBlobSink(
  target: Promise<StreamedCheckTarget>,
  options: VerifyBlobSinkOptions,
): StreamSink<StreamedCheck> {
  const exec = options.exec ?? execTool;
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const input = new PassThrough({ highWaterMark: 1024 * 1024 });
  let inputEnded = false;
  input.once('end', () => {
    inputEnded = true;
  });
  let gaveUp: string | undefined;
  let started = false;
  let closed = false;
  let answered = false;
  // cosign v3 fetches Sigstore's trust root before it reads stdin, so the end of its input may never come: the time
  // limit counts from the end of the download (or cosign's start, if later), not from the end of what it read.
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const armTimeout = (): void => {
    if (started && closed && !timer && !answered) timer = setTimeout(() => stop.abort(), timeoutMs);
  };
  const notStreamed = (why: string): SinkResult<StreamedCheck> => ({
    ok: true,
    value: { kind: 'not-streamed', why },
  });
  const giveUp = (why: string): void => {
    gaveUp ??= why;
    input.destroy();
  };

  const run: Promise<SinkResult<StreamedCheck>> = target
    .then(async ({ cosign, request }): Promise<SinkResult<StreamedCheck>> => {
      // A refused signature file is the install's error, not a reason to try the file instead. Checked first: the
      // sink may give up while this runs, and then no cosign must start.
      await assertMaterial(request.material);
      if (gaveUp !== undefined) return notStreamed(gaveUp);
      started = true;
      armTimeout();
      let result: ExecResult;
      try {
        result = await exec({
          command: cosign,
          args: verifyBlobArgs(request, 'stdin'),
          env: {},
          stdin: input,
          timeoutMs,
          signal: stop.signal,
          label: 'cosign verify-blob',
        });
      } finally {
        answered = true;
        clearTimeout(timer);
      }
      // Stopped (the download broke off, cosign fell behind, or it ran out of time): no verdict at all.
      if (result.signal !== null || result.aborted) {
        giveUp(`cosign did not answer within ${timeoutMs / 1000} s of the end of the download`);
        return notStreamed(gaveUp ?? '');
      }
      // A no is a no, however much cosign had read. A yes, or a failure to get as far as a verdict, counts only
      // for the whole body: anything less says nothing about the file, which is then checked instead.
      if (verdictOf(result) === 'refused') return { ok: true, value: { kind: 'ran', result } };
      if (gaveUp !== undefined) return notStreamed(gaveUp);
      if (!inputEnded) {
        giveUp('cosign answered before it was handed the whole download');
        return notStreamed(gaveUp ?? '');
      }
      return { ok: true, value: { kind: 'ran', result } };
    })
    .catch((error: unknown): SinkResult<StreamedCheck> => {
      giveUp(`cosign could not check the download as it arrived: ${errorMessage(error)}`);
      return { ok: false, error };
    });

  return {
    write(chunk) {
      if (gaveUp !== undefined || answered) return Promise.resolve();
      if (input.writableLength + input.readableLength + chunk.byteLength > options.maxQueuedBytes) {
        giveUp(`cosign fell more than ${options.maxQueuedBytes} bytes behind the download`);
      } else {
        input.write(chunk);
      }
      return Promise.resolve();
    },
    async close() {
      closed = true;
      if (gaveUp === undefined) input.end();
      // Given up before cosign started: nothing to wait for (cosign may still be installing).
      if (gaveUp !== undefined && !started) return notStreamed(gaveUp);
      armTimeout();
      return run;
    },
    async abort() {
      giveUp('the download broke off');
      if (started) await run;
    },
  };
}
