import { UserError, errorMessage } from '../util/errors.js';
import { execTool, tailLines, type ExecRequest, type ExecResult } from '../util/exec.js';
import { isTransientText, retry } from '../util/retry.js';
import type { Signer } from './catalog.js';

export interface VerifyBlobRequest {
  /** The file whose signature the bundle carries. */
  blob: string;
  bundle: string;
  signer: Signer;
}

/**
 * argv for `cosign verify-blob` with a Sigstore bundle and an exact keyless signer. Only flags on the cosign
 * v3 reference page: the bundle carries the certificate, signature and transparency-log proof, so the
 * `--certificate`/`--signature` pair (deprecated in v3) is not needed.
 */
export function verifyBlobArgs(request: VerifyBlobRequest): string[] {
  return [
    'verify-blob',
    '--bundle',
    request.bundle,
    '--certificate-identity',
    request.signer.identity,
    '--certificate-oidc-issuer',
    request.signer.issuer,
    request.blob,
  ];
}

/** cosign said the signature does not hold. Never retried. */
export class SignatureError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureError';
  }
}

class TransientVerifyError extends Error {}

/** cosign itself would not start: not a verdict on the signature. */
class CosignNotRunError extends Error {}

export interface VerifyBlobOptions {
  exec?: (request: ExecRequest) => Promise<ExecResult>;
  timeoutMs?: number;
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `cosign verify-blob`. The environment is the exec wrapper's base only: a `COSIGN_*` variable on the runner
 * would set a flag (e.g. `COSIGN_INSECURE_IGNORE_TLOG`) and weaken the check. Network trouble fetching Sigstore's
 * trust root is tried again; a signature that does not verify is not.
 */
export async function verifyBlob(
  cosign: string,
  request: VerifyBlobRequest,
  options: VerifyBlobOptions = {},
): Promise<void> {
  const exec = options.exec ?? execTool;
  const attempts = options.attempts ?? 3;
  let last: ExecResult | undefined;
  try {
    await retry(
      async () => {
        try {
          last = await exec({
            command: cosign,
            args: verifyBlobArgs(request),
            env: {},
            timeoutMs: options.timeoutMs ?? 120_000,
            label: 'cosign verify-blob',
          });
        } catch (err) {
          throw new CosignNotRunError(
            `could not run cosign at ${cosign} to verify ${request.blob}: ${errorMessage(err)}`,
          );
        }
        if (last.exitCode === 0) return;
        const text = `${last.stderr}\n${last.stdout}`;
        if (last.timedOut || isTransientText(text)) throw new TransientVerifyError(tailLines(text, 3));
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
    const detail = err instanceof Error ? err.message : String(err);
    throw new SignatureError(
      `cosign verify-blob did not accept the signature of ${request.blob} (bundle ${request.bundle}, expected signer ` +
        `${request.signer.identity}, issuer ${request.signer.issuer})${last ? `, exit code ${last.exitCode}` : ''}:\n${detail}`,
    );
  }
}
