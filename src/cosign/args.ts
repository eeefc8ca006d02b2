/** cosign argv, built from typed requests. Pure: tests read these tables against cosign's reference pages. */

/**
 * A private Sigstore instance's trust (`sigstore-trusted-root`): its trusted root instead of the public one from TUF,
 * and the checks it cannot give relaxed, as its files say (see sign/private-sigstore.ts).
 */
export interface SignerTrust {
  trustedRoot: string;
  /** No CT log: `--insecure-ignore-sct=true` (keyless only; a key has no certificate). */
  ignoreSct?: boolean;
  /** No transparency log: `--insecure-ignore-tlog=true`. */
  ignoreTlog?: boolean;
  /** A timestamp authority: `--use-signed-timestamps=true`, its signed timestamp dates the signature. */
  signedTimestamps?: boolean;
}

export type Signer =
  | {
      kind: 'keyless';
      identity?: string;
      identityRegexp?: string;
      issuer?: string;
      issuerRegexp?: string;
      trust?: SignerTrust;
    }
  | {
      kind: 'key';
      key: string;
      /**
       * The signature was made without a transparency log entry (`tlog-upload: false`): cosign must not
       * look for one, which it otherwise demands.
       */
      ignoreTlog?: boolean;
      trust?: SignerTrust;
    };

/** `--trusted-root` and the checks a private instance cannot give, each flag once. */
function trustFlags(trust: SignerTrust | undefined, keyless: boolean, ignoreTlog: boolean): string[] {
  return [
    ...(trust ? ['--trusted-root', trust.trustedRoot] : []),
    ...(keyless && trust?.ignoreSct ? ['--insecure-ignore-sct=true'] : []),
    ...(ignoreTlog || trust?.ignoreTlog ? ['--insecure-ignore-tlog=true'] : []),
    ...(trust?.signedTimestamps ? ['--use-signed-timestamps=true'] : []),
  ];
}

export function signerFlags(signer: Signer): string[] {
  if (signer.kind === 'key')
    return ['--key', signer.key, ...trustFlags(signer.trust, false, signer.ignoreTlog === true)];
  const flags: string[] = [];
  if (signer.identity !== undefined) flags.push('--certificate-identity', signer.identity);
  if (signer.identityRegexp !== undefined) flags.push('--certificate-identity-regexp', signer.identityRegexp);
  if (signer.issuer !== undefined) flags.push('--certificate-oidc-issuer', signer.issuer);
  if (signer.issuerRegexp !== undefined) flags.push('--certificate-oidc-issuer-regexp', signer.issuerRegexp);
  return [...flags, ...trustFlags(signer.trust, true, false)];
}

/** Registries on loopback speak plain HTTP; cosign must be told, as for any registry without TLS. */
export function registryFlags(insecure: boolean): string[] {
  return insecure ? ['--allow-http-registry', '--allow-insecure-registry'] : [];
}

export function verifyArgs(reference: string, signer: Signer, insecure: boolean): string[] {
  if (!reference.includes('@sha256:'))
    throw new Error(`cosign verify needs a digest reference, got ${reference}`);
  return ['verify', ...signerFlags(signer), ...registryFlags(insecure), '--output', 'json', reference];
}

/** `cosign verify-attestation --type <type>`: an attestation of that predicate type, from `signer`, on the digest. */
export function verifyAttestationArgs(
  reference: string,
  signer: Signer,
  type: string,
  insecure: boolean,
): string[] {
  if (!reference.includes('@sha256:'))
    throw new Error(`cosign verify-attestation needs a digest reference, got ${reference}`);
  return [
    'verify-attestation',
    '--type',
    type,
    ...signerFlags(signer),
    ...registryFlags(insecure),
    '--output',
    'json',
    reference,
  ];
}
