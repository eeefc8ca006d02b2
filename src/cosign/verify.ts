import { execTool, tailLines } from '../util/exec.js';
import { isTransientText, retry } from '../util/retry.js';
import { verifyArgs, type Signer } from './args.js';

/** cosign said no: no signature, or not from the expected signer. Never retried. */
export class SignatureRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SignatureRejected';
  }
}

/** cosign could not finish (network, registry, crash, unreadable output). Fails closed, like a no. */
export class VerificationIncomplete extends Error {
  constructor(
    readonly reason: string,
    readonly transient: boolean,
  ) {
    super(reason);
    this.name = 'VerificationIncomplete';
  }
}

// cosign's words for a signature that is absent or not from the expected signer: a verdict, not a hiccup.
const REJECTION =
  /no signatures found|no matching signatures|none of the expected identities|expected identity not found|invalid signature|signature mismatch|failed to verify signature|certificate identity|error verifying bundle|no matching attestations/i;

export interface CosignRunOptions {
  cosign: string;
  env: Record<string, string>;
  insecure: boolean;
  timeoutMs: number;
  attempts?: number;
  baseDelayMs?: number;
}

/** The reason cosign gives, without its usage banner: the `Error:` line, or the last lines. */
export function cosignReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  // cosign prints "Error: <why>" and then "main.go:NN: error during command execution: <why>".
  const error = lines.find((l) => l.startsWith('Error:')) ?? lines.find((l) => /^main\.go:\d+: /.test(l));
  const reason = error
    ? error.replace(/^Error:\s*/, '').replace(/^main\.go:\d+: (error during command execution: )?/, '')
    : tailLines(stderr, 3);
  return reason || 'no reason given';
}

/**
 * Verifies `reference` (name@sha256:…) and returns the digest cosign verified, read from its JSON
 * (`critical.image.docker-manifest-digest`), which must be the digest asked for.
 */
export async function verifyImageSignature(
  reference: string,
  signer: Signer,
  options: CosignRunOptions,
): Promise<{ digest: string; durationMs: number; signers: CertificateSigner[] }> {
  const asked = reference.slice(reference.lastIndexOf('@') + 1);
  const started = performance.now();
  let stdout = '';
  const digest = await retry(
    async () => {
      const result = await execTool({
        command: options.cosign,
        args: verifyArgs(reference, signer, options.insecure),
        env: options.env,
        timeoutMs: options.timeoutMs,
        label: 'cosign verify',
      });
      // A hung cosign is not tried again: each try would wait the whole `stage-timeout` once more.
      if (result.timedOut) {
        throw new VerificationIncomplete(
          `cosign verify did not finish within ${Math.round(options.timeoutMs / 1000)} s (\`stage-timeout\`) and was stopped`,
          false,
        );
      }
      if (result.exitCode !== 0) {
        const reason = cosignReason(result.stderr);
        if (REJECTION.test(result.stderr)) throw new SignatureRejected(reason);
        throw new VerificationIncomplete(reason, isTransientText(result.stderr));
      }
      stdout = result.stdout;
      return verifiedDigest(result.stdout);
    },
    {
      attempts: options.attempts ?? 3,
      baseDelayMs: options.baseDelayMs ?? 1000,
      maxDelayMs: 8000,
      what: `cosign verify ${reference}`,
      isTransient: (e) => e instanceof VerificationIncomplete && e.transient,
    },
  );
  if (digest !== asked) {
    throw new VerificationIncomplete(`cosign verified ${digest}, not the digest asked for (${asked})`, false);
  }
  return { digest, durationMs: Math.round(performance.now() - started), signers: certificateSigners(stdout) };
}

/** Who a keyless signature's certificate names: its subject (the identity) and the OIDC issuer. */
export interface CertificateSigner {
  identity: string;
  issuer: string;
}

/**
 * The signers cosign printed for the signatures it verified (`optional.Subject` / `optional.Issuer`, which it
 * writes for certificates of the legacy signature layout). Each passed the identity and issuer checks it was
 * given. Signatures in the v3 bundle format carry no such fields in this output: none are returned for them.
 */
export function certificateSigners(stdout: string): CertificateSigner[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim());
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const seen = new Map<string, CertificateSigner>();
  for (const entry of parsed) {
    const optional = (entry as { optional?: unknown } | null)?.optional;
    if (typeof optional !== 'object' || optional === null) continue;
    const { Subject: identity, Issuer: issuer } = optional as { Subject?: unknown; Issuer?: unknown };
    if (typeof identity !== 'string' || identity === '' || typeof issuer !== 'string' || issuer === '')
      continue;
    seen.set(`${identity}\u0000${issuer}`, { identity, issuer });
  }
  return [...seen.values()];
}

/** The digest every signature cosign printed speaks for; all of them must agree. */
export function verifiedDigest(stdout: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim());
  } catch {
    throw new VerificationIncomplete('cosign verify printed no JSON; cannot tell what it verified', false);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new VerificationIncomplete('cosign verify printed no signatures', false);
  }
  const digests = new Set<string>();
  for (const entry of parsed) {
    const digest = (entry as { critical?: { image?: { 'docker-manifest-digest'?: unknown } } })?.critical
      ?.image?.['docker-manifest-digest'];
    if (typeof digest !== 'string')
      throw new VerificationIncomplete('a signature cosign printed names no image digest', false);
    digests.add(digest);
  }
  if (digests.size !== 1)
    throw new VerificationIncomplete(
      `cosign's signatures name several digests: ${[...digests].join(', ')}`,
      false,
    );
  return [...digests][0] ?? '';
}
