import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
  bundleFromJSON,
  type Bundle,
} from '@sigstore/bundle';
import { UserError, errorMessage } from '../util/errors.js';

/**
 * Signature files are checked here before any cosign reads them, whatever cosign version runs: GHSA-fx35-mq7g-6g98
 * let cosign before v3.1.3 take a bare public key from a legacy bundle's certificate field and skip the chain and
 * identity checks, so a bundle that holds anything but a certificate must never reach cosign at all.
 */

/** The media types of Sigstore protobuf bundles (v0.1 to v0.3); cosign's older `.bundle` JSON has none. */
const MEDIA_TYPES: ReadonlySet<string> = new Set([
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
]);

/** A signature file that is not what a keyless release signature must be. Never retried. */
export class SignatureMaterialError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureMaterialError';
  }
}

function refuse(file: string, url: string | undefined, why: string): SignatureMaterialError {
  return new SignatureMaterialError(
    `${basename(file)}${url ? ` (${url})` : ''} is refused before any cosign reads it: ${why}. A keyless release ` +
      'signature carries a Fulcio X.509 certificate (a Sigstore bundle: with a transparency-log entry or a signed ' +
      'timestamp). Nothing was cached; if a `tool-mirror` serves this file, replace it with the file of the release.',
  );
}

function isCertificate(der: Buffer): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

/** The certificates a bundle carries, or the reason it carries none. */
function certificatesOf(bundle: Bundle): Buffer[] | string {
  const material = bundle.verificationMaterial.content;
  switch (material.$case) {
    case 'certificate':
      return [material.certificate.rawBytes];
    case 'x509CertificateChain':
      return material.x509CertificateChain.certificates.map((c) => c.rawBytes);
    case 'publicKey':
      return 'its verification material is a bare public key, not a certificate';
  }
}

/**
 * Refuses a `.sigstore.json` that is not a Sigstore protobuf bundle (v0.1–v0.3 media type) signed with a certificate
 * (or chain) and logged (a transparency-log entry) or timestamped (an RFC 3161 timestamp). The cryptography is
 * cosign's to check; this only makes sure it checks a certificate.
 */
export async function assertKeylessBundle(path: string, url?: string): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw refuse(path, url, `it is not JSON (${errorMessage(err)})`);
  }
  const mediaType = (json as { mediaType?: unknown } | null)?.mediaType;
  if (typeof mediaType !== 'string' || !MEDIA_TYPES.has(mediaType)) {
    throw refuse(
      path,
      url,
      typeof mediaType === 'string'
        ? `its media type ${JSON.stringify(mediaType)} is not a Sigstore bundle's`
        : 'it has no Sigstore bundle media type (a legacy cosign bundle, or another format)',
    );
  }
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (err) {
    const fields = (err as { fields?: unknown }).fields;
    throw refuse(
      path,
      url,
      `it is not a well-formed Sigstore bundle (${errorMessage(err)}${Array.isArray(fields) ? `: ${fields.join(', ')}` : ''})`,
    );
  }
  const certificates = certificatesOf(bundle);
  if (typeof certificates === 'string') throw refuse(path, url, certificates);
  if (certificates.length === 0 || !certificates.every(isCertificate)) {
    throw refuse(path, url, 'its certificate field holds something that is not an X.509 certificate');
  }
  const logged = bundle.verificationMaterial.tlogEntries.length > 0;
  const timestamped =
    (bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length ?? 0) > 0;
  if (!logged && !timestamped) {
    throw refuse(path, url, 'it has neither a transparency-log entry nor a signed timestamp');
  }
}

/**
 * Refuses a goreleaser `.pem` (`cosign sign-blob --output-certificate`: PEM, itself base64-encoded) that is not an
 * X.509 certificate: a public key there would have cosign check a signature without a certificate's identity.
 */
export async function assertCertificateFile(path: string, url?: string): Promise<void> {
  const text = (await readFile(path, 'utf8')).trim();
  const pem = text.startsWith('-----BEGIN') ? text : Buffer.from(text, 'base64').toString('utf8');
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z ]+)-----\r?\n([\s\S]*?)-----END \1-----/g)];
  if (blocks.length === 0) throw refuse(path, url, 'it holds no PEM certificate');
  for (const [, label, body] of blocks) {
    if (label !== 'CERTIFICATE' || !isCertificate(Buffer.from(body ?? '', 'base64'))) {
      throw refuse(path, url, `it holds a ${label ?? 'PEM block'}, not an X.509 certificate`);
    }
  }
}
