import { UserError, errorMessage } from '../util/errors.js';
import { RetriesExhaustedError, isTransientStatus, isTransientText, retry } from '../util/retry.js';

/**
 * The workflow's OIDC identity for keyless signing. The token is fetched from the runner
 * (`core.getIDToken('sigstore')`) and handed to cosign in its environment only. Its claims are read,
 * not trusted: Fulcio checks the signature; this code only needs to know what identity the
 * certificate will carry, so that the verify step and the verify-command can demand exactly it.
 */

export const SIGSTORE_AUDIENCE = 'sigstore';

/** Fulcio's subject for a GitHub Actions token: the workflow file that runs the job, at its ref. */
const GITHUB_IDENTITY_PREFIX = 'https://github.com/';

export interface KeylessIdentity {
  /** `--certificate-identity`: https://github.com/<job_workflow_ref>. */
  identity: string;
  /** `--certificate-oidc-issuer`: the token's `iss`. */
  issuer: string;
}

export interface TokenClaims {
  iss: string;
  job_workflow_ref: string;
  exp?: number;
  [claim: string]: unknown;
}

const MISSING_PERMISSION_FIX =
  "Keyless signing needs the workflow's OIDC token, and this job cannot request one. Add `permissions: id-token: write` to the workflow or to the job (next to `contents: read` and `packages: write`). " +
  "Pull requests from forks never get an OIDC token, whatever the permissions say: build and scan them without pushing (`push: ${{ github.event_name != 'pull_request' }}`), so nothing is signed there. " +
  'To sign without OIDC, set `cosign-key` to a private key or a KMS URI.';

/**
 * Says what the runner's environment lacks for `core.getIDToken`, with the fix, or undefined when
 * both variables are there. The runner sets them only when the job has `id-token: write`.
 */
export function missingOidcEnvironment(env: NodeJS.ProcessEnv): UserError | undefined {
  const missing = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'].filter(
    (name) => (env[name] ?? '') === '',
  );
  if (missing.length === 0) return undefined;
  return new UserError(
    `${MISSING_PERMISSION_FIX} (${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set.)`,
  );
}

/**
 * The claims of a compact JWT, decoded without verifying its signature: the issuer (Fulcio) does that.
 * Throws when the token is not a JWT or lacks the claims a GitHub Actions identity needs.
 */
export function decodeTokenClaims(token: string): TokenClaims {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') {
    throw new Error(`the OIDC token is not a JWT (${parts.length} parts instead of 3)`);
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch (error) {
    throw new Error(`the OIDC token's claims are not JSON: ${errorMessage(error)}`, { cause: error });
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new Error("the OIDC token's claims are not a JSON object");
  }
  const record = claims as Record<string, unknown>;
  if (typeof record.iss !== 'string' || record.iss === '') {
    throw new Error('the OIDC token has no `iss` claim, so the certificate issuer is unknown');
  }
  if (typeof record.job_workflow_ref !== 'string' || record.job_workflow_ref === '') {
    throw new Error(
      `the OIDC token from ${record.iss} has no \`job_workflow_ref\` claim; keyless signing here expects a GitHub Actions token`,
    );
  }
  return record as TokenClaims;
}

/**
 * The certificate identity Fulcio issues for a GitHub Actions token. `job_workflow_ref` names the
 * workflow file that defines the job, so a job in a reusable workflow is identified by the reusable
 * workflow (`org/shared/.github/workflows/build.yml@refs/tags/v1`), not by its caller.
 */
export function identityFromClaims(claims: Pick<TokenClaims, 'iss' | 'job_workflow_ref'>): KeylessIdentity {
  return { identity: `${GITHUB_IDENTITY_PREFIX}${claims.job_workflow_ref}`, issuer: claims.iss };
}

export type GetIdToken = (audience: string) => Promise<string>;

/** The HTTP status in `core.getIDToken`'s error ("Failed to get ID Token. … Error Code : 500 …"). */
export function tokenRequestStatus(error: unknown): number | undefined {
  const match = /Error Code\s*:\s*(\d{3})\b/.exec(errorMessage(error));
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether asking the token endpoint again may help: it answered 408/429/5xx, or the connection failed.
 * @actions/core retries only 502/503/504 itself, so a 500 from GitHub would otherwise end the run.
 */
export function isTransientTokenFailure(error: unknown): boolean {
  const status = tokenRequestStatus(error);
  if (status !== undefined) return isTransientStatus(status);
  return isTransientText(errorMessage(error));
}

export interface TokenRetry {
  attempts: number;
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Hands out identity tokens for the cosign calls of one stage. A GitHub token is valid for minutes and
 * Fulcio rejects an expired one, so a token close to its end is replaced before the next call.
 */
export class IdentityTokens {
  private current?: { token: string; claims: TokenClaims };

  constructor(
    private readonly getIdToken: GetIdToken,
    private readonly env: NodeJS.ProcessEnv,
    private readonly now: () => number = () => Date.now() / 1000,
    /** Seconds of validity a token must still have to be used for one more cosign call. */
    private readonly marginSeconds = 120,
    private readonly retries: TokenRetry = { attempts: 4, baseDelayMs: 1000 },
  ) {}

  async token(): Promise<{ token: string; claims: TokenClaims }> {
    const held = this.current;
    if (held && (held.claims.exp === undefined || held.claims.exp - this.now() > this.marginSeconds))
      return held;
    const missing = missingOidcEnvironment(this.env);
    if (missing) throw missing;
    let token: string;
    try {
      token = await retry(() => this.getIdToken(SIGSTORE_AUDIENCE), {
        attempts: this.retries.attempts,
        baseDelayMs: this.retries.baseDelayMs,
        maxDelayMs: 8000,
        what: "the request for the workflow's OIDC token",
        isTransient: isTransientTokenFailure,
        ...(this.retries.sleep ? { sleep: this.retries.sleep } : {}),
      });
    } catch (error) {
      if (error instanceof RetriesExhaustedError) {
        // The variables are there, so the permission is granted: the endpoint itself is failing.
        throw new UserError(
          `Could not get an OIDC token for keyless signing: GitHub's token endpoint failed ${error.attempts} times; the last answer: ${errorMessage(error.cause)}. Re-run the job; if it keeps failing, sign with \`cosign-key\` meanwhile.`,
          { cause: error },
        );
      }
      throw new UserError(
        `Could not get an OIDC token for keyless signing from the runner: ${errorMessage(error)}. The job needs \`permissions: id-token: write\`.`,
        { cause: error },
      );
    }
    const claims = decodeTokenClaims(token);
    this.current = { token, claims };
    return this.current;
  }
}
