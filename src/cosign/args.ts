/** cosign argv, built from typed requests. Pure: tests read these tables against cosign's reference pages. */

export type Signer =
  | {
      kind: 'keyless';
      identity?: string;
      identityRegexp?: string;
      issuer?: string;
      issuerRegexp?: string;
    }
  | {
      kind: 'key';
      key: string;
      /**
       * The signature was made without a transparency log entry (`tlog-upload: false`): cosign must not
       * look for one, which it otherwise demands.
       */
      ignoreTlog?: boolean;
    };

export function signerFlags(signer: Signer): string[] {
  if (signer.kind === 'key')
    return ['--key', signer.key, ...(signer.ignoreTlog ? ['--insecure-ignore-tlog=true'] : [])];
  const flags: string[] = [];
  if (signer.identity !== undefined) flags.push('--certificate-identity', signer.identity);
  if (signer.identityRegexp !== undefined) flags.push('--certificate-identity-regexp', signer.identityRegexp);
  if (signer.issuer !== undefined) flags.push('--certificate-oidc-issuer', signer.issuer);
  if (signer.issuerRegexp !== undefined) flags.push('--certificate-oidc-issuer-regexp', signer.issuerRegexp);
  return flags;
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
