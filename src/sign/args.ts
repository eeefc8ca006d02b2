/**
 * argv and command text for signing, attesting and checking the result. Pure: tests read these
 * against cosign's reference pages (sign, attest, public-key, verify, verify-attestation).
 */
import type { KeyValue } from '../util/key-value.js';
import { type GithubContext, runUrl } from '../github-context.js';
import { registryFlags, signerFlags, type Signer } from '../cosign/args.js';

export type AttestationKind = 'sbom' | 'vuln' | 'provenance';
/** The `--type` of `cosign attest` for each attestation. */
export type PredicateShorthand = 'cyclonedx' | 'vuln' | 'slsaprovenance1';

export const PREDICATE_SHORTHAND: Record<AttestationKind, PredicateShorthand> = {
  sbom: 'cyclonedx',
  vuln: 'vuln',
  provenance: 'slsaprovenance1',
};

/** What cosign writes as the in-toto predicateType for each `--type` shorthand (cosign's options/predicate.go). */
export const PREDICATE_TYPE_URI: Record<PredicateShorthand, string> = {
  cyclonedx: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
};

/** Annotation keys the action always sets; `signature-annotations` cannot replace them. */
export const ANNOTATION_SOURCE = 'org.opencontainers.image.source';
export const ANNOTATION_REVISION = 'org.opencontainers.image.revision';
export const ANNOTATION_RUN = 'dev.secure-image.run-url';

const DIGEST_REFERENCE = /^[^\s@]+@sha256:[0-9a-f]{64}$/;

/** Signing is by digest only: a tag can move between the push and the signature. */
export function assertDigestReference(reference: string): void {
  const name = reference.slice(0, Math.max(0, reference.lastIndexOf('@')));
  // A tag next to the digest (repo:tag@sha256:…) is ignored by cosign; asked for, it would mislead.
  const tagged = (name.split('/').pop() ?? '').includes(':');
  if (!DIGEST_REFERENCE.test(reference) || tagged) {
    throw new Error(
      `refusing to sign ${JSON.stringify(reference)}: only a digest reference (repository@sha256:<64 hex>) says exactly what is signed`,
    );
  }
}

/**
 * The signature's annotations: the repository, the commit and the run that made it, then the user's
 * `signature-annotations`. A user key that would replace one of the action's is dropped and named.
 */
export function signatureAnnotations(
  github: GithubContext,
  extra: readonly KeyValue[],
): { annotations: KeyValue[]; dropped: string[] } {
  const own: KeyValue[] = [];
  if (github.repository !== '')
    own.push({ key: ANNOTATION_SOURCE, value: `${github.serverUrl}/${github.repository}` });
  if (github.sha !== '') own.push({ key: ANNOTATION_REVISION, value: github.sha });
  if (github.repository !== '' && github.runId !== '')
    own.push({ key: ANNOTATION_RUN, value: runUrl(github) });
  const reserved = new Set([ANNOTATION_SOURCE, ANNOTATION_REVISION, ANNOTATION_RUN]);
  const dropped: string[] = [];
  const byKey = new Map<string, string>();
  for (const { key, value } of extra) {
    if (reserved.has(key)) dropped.push(key);
    else byKey.set(key, value);
  }
  return { annotations: [...own, ...[...byKey].map(([key, value]) => ({ key, value }))], dropped };
}

/**
 * One `--annotations` value. pflag reads a `strings` flag as a CSV record, so a value holding a comma
 * or a quote would be split or mangled; CSV quoting keeps it one `key=value`.
 */
export function annotationFlagValue({ key, value }: KeyValue): string {
  const pair = `${key}=${value}`;
  return /[",\r\n]/.test(pair) ? `"${pair.replace(/"/g, '""')}"` : pair;
}

export interface SignRequest {
  reference: string;
  /** `--key`: a key file, `env://NAME` or a KMS URI. Absent: keyless. */
  keyRef?: string;
  /** A multi-platform index: sign each platform's image too. */
  recursive: boolean;
  annotations: readonly KeyValue[];
  insecure: boolean;
  /** `legacy`: the `sha256-<digest>.sig` tag scheme that cosign v2, Kyverno ≤ 1.18 and policy-controller read. */
  format?: 'bundle' | 'legacy';
  /** false: no transparency log entry (`tlog-upload: false`, key mode only). */
  tlogUpload?: boolean;
  /** A private Sigstore instance (`sigstore-signing-config`, `sigstore-trusted-root`). */
  sigstore?: PrivateSigstoreFiles;
}

/** The files of a private Sigstore instance, as cosign's sign and attest take them. */
export interface PrivateSigstoreFiles {
  signingConfig: string;
  trustedRoot: string;
}

/**
 * cosign v3 writes a Sigstore bundle as an OCI 1.1 referrer, through the TUF signing config, by default. The older
 * tag scheme needs the deprecated `--new-bundle-format=false`; no transparency log entry needs `--tlog-upload=false`
 * (both hidden from the reference pages, both taken by the binary). cosign refuses either next to the signing config
 * it uses by default ("--tlog-upload=false is not supported with … --use-signing-config", "must provide
 * --new-bundle-format … with --use-signing-config"), and that config would name the public instance's services, which
 * `tlog-upload: false` is for not reaching. So `--use-signing-config=false` with either, once.
 */
export function publishFlags(
  format: 'bundle' | 'legacy' | undefined,
  tlogUpload: boolean | undefined,
  sigstore?: PrivateSigstoreFiles,
): string[] {
  // A private instance's own signing config replaces the TUF one; cosign refuses both flags at once. Its trusted
  // root is what cosign checks the new signature against (else it fetches the public one from TUF). The config
  // refuses `legacy` and `tlog-upload: false` next to it, as cosign does.
  if (sigstore) return ['--signing-config', sigstore.signingConfig, '--trusted-root', sigstore.trustedRoot];
  const flags = [
    ...(format === 'legacy' ? ['--new-bundle-format=false'] : []),
    ...(tlogUpload === false ? ['--tlog-upload=false'] : []),
  ];
  return flags.length > 0 ? [...flags, '--use-signing-config=false'] : [];
}

export function signArgs(request: SignRequest): string[] {
  assertDigestReference(request.reference);
  return [
    'sign',
    '--yes',
    ...(request.keyRef !== undefined ? ['--key', request.keyRef] : []),
    ...publishFlags(request.format, request.tlogUpload, request.sigstore),
    ...(request.recursive ? ['--recursive'] : []),
    ...request.annotations.flatMap((a) => ['--annotations', annotationFlagValue(a)]),
    ...registryFlags(request.insecure),
    request.reference,
  ];
}

export interface AttestRequest {
  reference: string;
  keyRef?: string;
  type: PredicateShorthand;
  predicateFile: string;
  insecure: boolean;
  format?: 'bundle' | 'legacy';
  tlogUpload?: boolean;
  sigstore?: PrivateSigstoreFiles;
}

export function attestArgs(request: AttestRequest): string[] {
  assertDigestReference(request.reference);
  return [
    'attest',
    '--yes',
    ...(request.keyRef !== undefined ? ['--key', request.keyRef] : []),
    ...publishFlags(request.format, request.tlogUpload, request.sigstore),
    '--type',
    request.type,
    '--predicate',
    request.predicateFile,
    ...registryFlags(request.insecure),
    request.reference,
  ];
}

/** `cosign public-key`: the public half of a key file, as PEM on stdout. */
export function publicKeyArgs(keyRef: string): string[] {
  return ['public-key', '--key', keyRef];
}

/** The number in cosign's "tlog entry created with index: N", when it printed one. */
export function parseRekorLogIndex(stderr: string): number | undefined {
  const match = /tlog entry created with index:?\s*(\d+)/.exec(stderr);
  if (!match?.[1]) return undefined;
  const index = Number(match[1]);
  return Number.isSafeInteger(index) ? index : undefined;
}

/** The public-good Rekor entry, in Sigstore's search UI. */
export function rekorSearchUrl(logIndex: number): string {
  return `https://search.sigstore.dev/?logIndex=${logIndex}`;
}

/** POSIX shell quoting, only where needed, so the command reads as a person would type it. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command a consumer runs to check the signature, laid out as in the README: the reference
 * first, then one flag per line. With a key file, `--key cosign.pub` stands for the public key the
 * signer publishes (the run only ever had the private key in a temporary file).
 */
export function verifyCommand(
  reference: string,
  signer: Signer,
  options: { insecure: boolean; attestationType?: PredicateShorthand },
): string {
  assertDigestReference(reference);
  const flags: string[][] = [];
  if (options.attestationType) flags.push(['--type', options.attestationType]);
  // One flag a line: `--flag value`, or `--flag=value` alone.
  const signerArgs = signerFlags(signer);
  for (let i = 0; i < signerArgs.length; i++) {
    const flag = signerArgs[i] ?? '';
    const value = signerArgs[i + 1];
    if (flag.includes('=') || value === undefined) flags.push([flag]);
    else {
      flags.push([flag, value]);
      i++;
    }
  }
  for (const flag of registryFlags(options.insecure)) flags.push([flag]);
  const head = `cosign ${options.attestationType ? 'verify-attestation' : 'verify'} ${shellQuote(reference)}`;
  return [head, ...flags.map((f) => `  ${f.map(shellQuote).join(' ')}`)].join(' \\\n');
}
