import { existsSync, statSync } from 'node:fs';
import {
  PREDICATE_SHORTHAND,
  attestArgs,
  parseRekorLogIndex,
  type AttestationKind,
  type PredicateShorthand,
  type PrivateSigstoreFiles,
} from './args.js';
import { runCosign, type CosignSession } from './run.js';
import { explainCosignFailure } from './sign.js';

export interface AttestationPlan {
  kind: AttestationKind;
  type: PredicateShorthand;
  predicateFile: string;
}

export interface SkippedAttestation {
  kind: AttestationKind;
  reason: string;
}

/**
 * The largest predicate attached, as actions/attest caps it. The whole DSSE envelope goes to Rekor,
 * whose public instance refuses bodies of a few tens of MB only after the image is signed, and
 * `verify-attestation` prints it back in one line: a scan of a huge image must not end there.
 */
export const MAX_PREDICATE_BYTES = 16 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}

/**
 * Which of the requested attestations can be made: each needs its predicate file (the SBOM, or the
 * vulnerability predicate made from the scan), of a size an attestation can carry. One without it
 * is skipped with the reason, not failed.
 */
export function planAttestations(
  requested: readonly AttestationKind[],
  files: { sbomFile?: string; vulnPredicateFile?: string; provenanceFile?: string },
  maxPredicateBytes: number = MAX_PREDICATE_BYTES,
): { plans: AttestationPlan[]; skipped: SkippedAttestation[] } {
  const plans: AttestationPlan[] = [];
  const skipped: SkippedAttestation[] = [];
  for (const kind of requested) {
    const file = { sbom: files.sbomFile, vuln: files.vulnPredicateFile, provenance: files.provenanceFile }[
      kind
    ];
    const what = {
      sbom: 'CycloneDX SBOM',
      vuln: 'vulnerability predicate',
      provenance: 'SLSA provenance predicate',
    }[kind];
    if (file === undefined) {
      skipped.push({ kind, reason: `no ${what} (there was no scan to make it from)` });
    } else if (!existsSync(file) || !statSync(file).isFile()) {
      skipped.push({ kind, reason: `the ${what} ${file} does not exist` });
    } else if (statSync(file).size > maxPredicateBytes) {
      skipped.push({
        kind,
        reason: `the ${what} ${file} is ${megabytes(statSync(file).size)}, more than the ${megabytes(maxPredicateBytes)} an attestation carries (Rekor refuses larger entries); publish it as a file instead`,
      });
    } else {
      plans.push({ kind, type: PREDICATE_SHORTHAND[kind], predicateFile: file });
    }
  }
  return { plans, skipped };
}

export interface AttestOutcome {
  rekorLogIndex?: number;
  durationMs: number;
}

/** `cosign attest --yes --type … --predicate …` on the digest, with the same signer as the signature. */
export async function attestImage(
  session: CosignSession,
  request: {
    reference: string;
    keyRef?: string;
    insecure: boolean;
    plan: AttestationPlan;
    format?: 'bundle' | 'legacy';
    tlogUpload?: boolean;
    sigstore?: PrivateSigstoreFiles;
  },
): Promise<AttestOutcome> {
  const started = performance.now();
  try {
    const result = await runCosign(session, {
      args: attestArgs({
        reference: request.reference,
        ...(request.keyRef !== undefined ? { keyRef: request.keyRef } : {}),
        type: request.plan.type,
        predicateFile: request.plan.predicateFile,
        insecure: request.insecure,
        ...(request.format ? { format: request.format } : {}),
        ...(request.tlogUpload === false ? { tlogUpload: false } : {}),
        ...(request.sigstore ? { sigstore: request.sigstore } : {}),
      }),
      label: 'cosign attest',
      what: `cosign attest --type ${request.plan.type} ${request.reference}`,
    });
    const rekorLogIndex = parseRekorLogIndex(result.stderr);
    return {
      ...(rekorLogIndex !== undefined ? { rekorLogIndex } : {}),
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    throw explainCosignFailure(
      error,
      `Attaching the ${request.plan.type} attestation to ${request.reference}`,
    );
  }
}
