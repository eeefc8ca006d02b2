import { RetriesExhaustedError } from '../util/retry.js';
import { errorMessage } from '../util/errors.js';
import { parseRekorLogIndex, signArgs, type SignRequest } from './args.js';
import { CosignCallFailed, runCosign, type CosignSession } from './run.js';

export interface SignOutcome {
  rekorLogIndex?: number;
  durationMs: number;
}

/** `cosign sign --yes` on the digest; the Rekor log index when cosign printed one. */
export async function signImage(session: CosignSession, request: SignRequest): Promise<SignOutcome> {
  const started = performance.now();
  try {
    const result = await runCosign(session, {
      args: signArgs(request),
      label: 'cosign sign',
      what: `cosign sign ${request.reference}`,
    });
    const rekorLogIndex = parseRekorLogIndex(result.stderr);
    return {
      ...(rekorLogIndex !== undefined ? { rekorLogIndex } : {}),
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    throw explainCosignFailure(error, `Signing ${request.reference}`);
  }
}

/**
 * What a failed sign or attest means for the user: the reason cosign gave, plus the usual fix when
 * the registry refused the write.
 */
export function explainCosignFailure(error: unknown, doing: string): Error {
  const failure =
    error instanceof CosignCallFailed
      ? error
      : error instanceof RetriesExhaustedError && error.cause instanceof CosignCallFailed
        ? error.cause
        : undefined;
  if (!failure) return new Error(`${doing} failed: ${errorMessage(error)}`, { cause: error });
  const tries = error instanceof RetriesExhaustedError ? ` (after ${error.attempts} tries)` : '';
  let hint = '';
  if (/\bdenied\b|unauthorized|\b403\b|forbidden|authentication required/i.test(failure.stderr)) {
    hint =
      ' The registry refused to store the signature: log in to it before this step (e.g. docker/login-action), and for ghcr.io give the job `permissions: packages: write`.';
  } else if (/token is expired|expired token/i.test(failure.stderr)) {
    hint = ' The OIDC token expired before Fulcio saw it; run the job again.';
  }
  return new Error(`${doing} failed${tries}: ${failure.reason}.${hint}`, { cause: error });
}
