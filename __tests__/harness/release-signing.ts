import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Release signatures as Fulcio and goreleaser make them, for tests: a short-lived-style X.509 certificate whose SAN
 * is the signer identity and whose Fulcio issuer extension (1.3.6.1.4.1.57264.1.1) names the OIDC issuer, a key that
 * signs, and the files a release publishes (a Sigstore bundle, or a `.sig` + `.pem` pair). Self-signed: only the
 * stand-in cosign reads them; what they exercise is the installer's handling, not Sigstore's trust root.
 */
export interface ReleaseSigner {
  certificatePem: string;
  /** DER, base64: the `rawBytes` of a bundle's certificate. */
  certificateDer: string;
  key: KeyObject;
  /** A v0.3 Sigstore bundle over `blob`, with this certificate and one transparency-log entry. */
  bundle(blob: Buffer | string): string;
  /** goreleaser's `--output-signature` file: the base64 signature. */
  signature(blob: Buffer | string): string;
  /** goreleaser's `--output-certificate` file: the PEM, base64-encoded. */
  certificateFile(): string;
}

const FULCIO_ISSUER_OID = '1.3.6.1.4.1.57264.1.1';

export function releaseSigner(identity: string, issuer: string): ReleaseSigner {
  const dir = mkdtempSync(join(tmpdir(), 'release-signer-'));
  try {
    const san = identity.includes('@') && !identity.includes('://') ? `email:${identity}` : `URI:${identity}`;
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/O=sigstore.dev',
        '-addext',
        `subjectAltName=${san}`,
        '-addext',
        `${FULCIO_ISSUER_OID}=ASN1:UTF8String:${issuer}`,
      ],
      { stdio: 'ignore' },
    );
    const certificatePem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const key = createPrivateKey(readFileSync(join(dir, 'key.pem')));
    const certificateDer = new X509Certificate(certificatePem).raw.toString('base64');
    const signature = (blob: Buffer | string): string =>
      sign('sha256', Buffer.from(blob), key).toString('base64');
    return {
      certificatePem,
      certificateDer,
      key,
      signature,
      certificateFile: () => Buffer.from(certificatePem).toString('base64'),
      bundle: (blob) => sigstoreBundle({ certificate: { rawBytes: certificateDer } }, blob, signature(blob)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A v0.3 bundle around any verification material (tests of what is refused pass a public key here). */
export function sigstoreBundle(
  material: Record<string, unknown>,
  blob: Buffer | string,
  signature = 'MEUCIQ==',
  tlogEntries: unknown[] = [TLOG_ENTRY],
): string {
  return JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { ...material, tlogEntries },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(blob).digest('base64') },
      signature,
    },
  });
}

/** A hashedrekord entry as far as a bundle's shape goes (the stand-in does not check the log). */
const TLOG_ENTRY = {
  logIndex: '1',
  logId: { keyId: 'wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=' },
  kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
  integratedTime: '1760000000',
  inclusionProof: {
    logIndex: '1',
    rootHash: 'AA==',
    treeSize: '2',
    hashes: [],
    checkpoint: { envelope: 'rekor.sigstore.dev - 1\n2\nAA==\n' },
  },
};

/** cosign's legacy `.bundle` (before Sigstore bundles): the certificate field may hold a bare public key. */
export function legacyBundleWithPublicKey(publicKeyPem: string): string {
  return JSON.stringify({
    base64Signature: 'MEUCIQ==',
    cert: Buffer.from(publicKeyPem).toString('base64'),
    rekorBundle: {
      SignedEntryTimestamp: 'MEUCIQ==',
      Payload: { body: 'e30=', integratedTime: 1760000000, logIndex: 1, logID: 'c0d23d6a' },
    },
  });
}
