import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAttestationArgs, type Signer } from '../cosign/args.js';
import { SignatureRejected, VerificationIncomplete, verifyImageSignature } from '../cosign/verify.js';
import { RetriesExhaustedError } from '../util/retry.js';
import { errorMessage } from '../util/errors.js';
import { PREDICATE_TYPE_URI, publicKeyArgs, type PredicateShorthand } from './args.js';
import { CosignCallFailed, runCosign, type CosignSession } from './run.js';

/**
 * The check after signing: what was just made must verify, with the identity (or key) a consumer
 * would demand. A signature that does not verify is not shipped as "signed".
 */
export class SignatureNotVerified extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignatureNotVerified';
  }
}

function describeSigner(signer: Signer): string {
  if (signer.kind === 'key') return `the key ${signer.key}`;
  return `identity ${signer.identity ?? signer.identityRegexp ?? '?'} and issuer ${signer.issuer ?? signer.issuerRegexp ?? '?'}`;
}

function innerReason(error: unknown): string {
  const inner = error instanceof RetriesExhaustedError ? error.cause : error;
  if (inner instanceof SignatureRejected || inner instanceof VerificationIncomplete) return inner.reason;
  if (inner instanceof CosignCallFailed) return inner.reason;
  return errorMessage(inner);
}

export async function verifySignature(
  session: CosignSession,
  reference: string,
  signer: Signer,
  insecure: boolean,
): Promise<{ durationMs: number }> {
  try {
    const material = await session.material();
    const { durationMs } = await verifyImageSignature(reference, signer, {
      cosign: session.cosign,
      env: { ...session.env, ...material.env },
      insecure,
      timeoutMs: session.timeoutMs,
      attempts: session.attempts,
      baseDelayMs: session.baseDelayMs,
    });
    return { durationMs };
  } catch (error) {
    throw new SignatureNotVerified(
      `The signature just made on ${reference} does not verify with ${describeSigner(signer)}: ${innerReason(error)}. The image is not reported as signed.`,
      { cause: error },
    );
  }
}

/**
 * Reads what `cosign verify-attestation` printed (one DSSE envelope per line) and checks that one of
 * them is an in-toto statement of `predicateType` about `digest`. Returns the number that are.
 */
export function matchingAttestations(stdout: string, predicateType: string, digest: string): number {
  const hex = digest.replace(/^sha256:/, '');
  let count = 0;
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    let statement: unknown;
    try {
      const envelope = JSON.parse(text) as { payload?: unknown };
      if (typeof envelope.payload !== 'string') continue;
      statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    } catch {
      continue;
    }
    const s = statement as { predicateType?: unknown; subject?: unknown };
    if (s.predicateType !== predicateType || !Array.isArray(s.subject)) continue;
    const about = s.subject.some(
      (subject: unknown) => (subject as { digest?: { sha256?: unknown } })?.digest?.sha256 === hex,
    );
    if (about) count += 1;
  }
  return count;
}

export async function verifyAttestation(
  session: CosignSession,
  reference: string,
  signer: Signer,
  type: PredicateShorthand,
  insecure: boolean,
): Promise<{ durationMs: number }> {
  const started = performance.now();
  const digest = reference.slice(reference.lastIndexOf('@') + 1);
  let stdout: string;
  try {
    const result = await runCosign(session, {
      args: verifyAttestationArgs(reference, signer, type, insecure),
      label: 'cosign verify-attestation',
      what: `cosign verify-attestation --type ${type} ${reference}`,
    });
    stdout = result.stdout;
  } catch (error) {
    throw new SignatureNotVerified(
      `The ${type} attestation just attached to ${reference} does not verify with ${describeSigner(signer)}: ${innerReason(error)}.`,
      { cause: error },
    );
  }
  if (matchingAttestations(stdout, PREDICATE_TYPE_URI[type], digest) === 0) {
    throw new SignatureNotVerified(
      `cosign verify-attestation --type ${type} passed but printed no ${PREDICATE_TYPE_URI[type]} statement about ${digest}; the attestation cannot be confirmed.`,
    );
  }
  return { durationMs: Math.round(performance.now() - started) };
}

/**
 * The public half of a private key file, from `cosign public-key` (which opens the key with
 * COSIGN_PASSWORD), written next to the other files of the run for `verify --key`.
 */
export async function derivePublicKey(
  session: CosignSession,
  keyRef: string,
  dir: string,
): Promise<{ path: string; pem: string }> {
  let stdout: string;
  try {
    const result = await runCosign(session, {
      args: publicKeyArgs(keyRef),
      label: 'cosign public-key',
      what: 'cosign public-key',
    });
    stdout = result.stdout;
  } catch (error) {
    throw new SignatureNotVerified(
      `Could not read the public key of \`cosign-key\` to verify the signature: ${innerReason(error)}. Check \`cosign-password\`.`,
      { cause: error },
    );
  }
  const match = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(stdout);
  if (!match) {
    throw new SignatureNotVerified(
      'cosign public-key printed no PEM public key; the signature cannot be verified.',
    );
  }
  const pem = `${match[0]}\n`;
  const path = join(dir, 'cosign.pub');
  writeFileSync(path, pem, { mode: 0o644 });
  return { path, pem };
}
