/**
 * The `key` of a policy rule: what `cosign verify --key` is given. cosign loads a verification key
 * (sigstore/cosign pkg/signature PublicKeyFromKeyRef) from a Kubernetes secret (`k8s://`), a PKCS#11
 * token (`pkcs11:`), a GitLab variable (`gitlab://`), a KMS provider registered with sigstore
 * (`awskms://`, `gcpkms://`, `azurekms://`, `hashivault://`), or else a file, URL or `env://`
 * variable holding a PEM public key of type `PUBLIC KEY` (PKIX) or `RSA PUBLIC KEY` (PKCS#1).
 */
import { createHash, createPublicKey } from 'node:crypto';

/** Schemes a rule may name; cosign resolves these itself. */
export const KEY_URI_SCHEMES = [
  'awskms',
  'gcpkms',
  'azurekms',
  'hashivault',
  'k8s',
  'gitlab',
  'https',
] as const;

/** Schemes cosign knows that make no sense in a committed policy, with the reason. */
const REFUSED_SCHEMES: Record<string, string> = {
  env: 'the action runs cosign with a clean environment, and a policy should say which key it trusts: paste the PEM public key here',
  http: 'a key fetched over plain HTTP can be swapped on the way: use https:// or paste the PEM public key here',
  file: 'paste the PEM public key here instead of a path',
  pkcs11:
    'PKCS#11 tokens need a cosign built with PKCS#11 support and a token on the runner; paste the PEM public key here',
};

/** PEM labels cosign reads as verification keys. */
const PUBLIC_KEY_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY']);
/** Key algorithms cosign verifies with. */
const KEY_TYPES = new Set(['ec', 'rsa', 'ed25519']);
/** OpenSSL names of the NIST curves sigstore's ECDSA verifier supports. */
const EC_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

export type KeyReference = { kind: 'pem'; pem: string } | { kind: 'uri'; uri: string; scheme: string };

/**
 * How cosign should be given a valid key: PEM text (write it to a file for `--key`) or a reference
 * URI (pass as is). Call only on keys that {@link keyProblem} accepted.
 */
export function classifyKey(key: string): KeyReference {
  const trimmed = key.trim();
  if (trimmed.startsWith('-----BEGIN')) return { kind: 'pem', pem: `${trimmed}\n` };
  const scheme = trimmed.slice(0, trimmed.indexOf(':')).toLowerCase();
  return { kind: 'uri', uri: trimmed, scheme };
}

/** What is wrong with a rule's `key`, or undefined when cosign can use it. */
export function keyProblem(key: string): string | undefined {
  const trimmed = key.trim();
  if (trimmed === '') return 'is empty; give a PEM public key or a KMS URI';
  if (trimmed.startsWith('-----BEGIN')) return pemProblem(trimmed);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  const accepted = `a PEM public key ("-----BEGIN PUBLIC KEY-----" …) or a URI cosign resolves: ${KEY_URI_SCHEMES.map((s) => `${s}://`).join(', ')}`;
  if (scheme === undefined) {
    if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed) && trimmed.length > 40) {
      return 'looks like base64 without the PEM armour; include the "-----BEGIN PUBLIC KEY-----" and "-----END PUBLIC KEY-----" lines (and write it as a block: `key: |`)';
    }
    return `"${abbreviate(trimmed)}" is neither ${accepted}; a file path is not accepted (paste the PEM public key)`;
  }
  const refused = REFUSED_SCHEMES[scheme];
  if (refused !== undefined) return `${scheme}: keys are not accepted in a trust policy: ${refused}`;
  if (!(KEY_URI_SCHEMES as readonly string[]).includes(scheme)) {
    return `the scheme "${scheme}:" is not one cosign resolves; give ${accepted}`;
  }
  if (!trimmed.slice(scheme.length).startsWith('://') || trimmed.length <= scheme.length + 3) {
    return `"${abbreviate(trimmed)}" is not a complete ${scheme}:// URI (${scheme}://<key>)`;
  }
  if (/\s/.test(trimmed)) return `"${abbreviate(trimmed)}" contains white space`;
  return undefined;
}

function pemProblem(text: string): string | undefined {
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)];
  const label = blocks[0]?.[1] ?? '';
  if (/PRIVATE KEY/.test(label)) {
    return `is a private key ("${label}"); never put a private key in a policy. Give its public key (\`cosign public-key --key <private key>\`) and rotate this one if it was committed`;
  }
  if (label === 'CERTIFICATE') {
    return 'is a certificate; cosign verify --key takes a public key ("-----BEGIN PUBLIC KEY-----"), e.g. `openssl x509 -pubkey -noout -in cert.pem`';
  }
  if (!PUBLIC_KEY_LABELS.has(label)) {
    return `is a PEM block of type "${label}"; cosign takes "PUBLIC KEY" or "RSA PUBLIC KEY"`;
  }
  if (blocks.length > 1) return 'holds more than one PEM block; give exactly one public key per rule';
  const end = `-----END ${label}-----`;
  if (!text.endsWith(end)) {
    return `does not end with "${end}"; write the whole key as a block scalar (\`key: |\`) with its BEGIN and END lines`;
  }
  let type: string | undefined;
  let curve: string | undefined;
  try {
    const key = createPublicKey({ key: text, format: 'pem' });
    type = key.asymmetricKeyType;
    curve = key.asymmetricKeyDetails?.namedCurve;
  } catch {
    return 'is not a readable PEM public key (its base64 body is damaged or cut); write it as a block scalar (`key: |`) exactly as `cosign generate-key-pair` wrote cosign.pub';
  }
  if (type === undefined || !KEY_TYPES.has(type)) {
    return `is a ${type ?? 'unknown'} key; cosign verifies ECDSA, RSA and Ed25519 keys`;
  }
  if (type === 'ec' && !EC_CURVES.has(curve ?? '')) {
    return `is an ECDSA key on the curve ${curve ?? '(unknown)'}; cosign verifies ECDSA keys on P-256, P-384 and P-521`;
  }
  return undefined;
}

/** SHA-256 (lower-case hex) of the DER SubjectPublicKeyInfo of a PEM public key {@link keyProblem} accepted. */
export function keyFingerprint(pem: string): string {
  const der = createPublicKey({ key: pem.trim(), format: 'pem' }).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** How reports name a key: `sha256:<SPKI fingerprint>` for a PEM key, the URI for a KMS key. */
export function keyName(key: string): string {
  const ref = classifyKey(key);
  return ref.kind === 'pem' ? `sha256:${keyFingerprint(ref.pem)}` : ref.uri;
}

/**
 * An entry of `revoked-keys`: a PEM public key, a key URI, or the SHA-256 fingerprint of a key's SPKI (64 hex
 * digits, `sha256:` in front allowed). The revoked key as a fingerprint or URI, or the problem with it.
 */
export function parseRevokedKey(
  entry: string,
): { fingerprint: string } | { uri: string } | { problem: string } {
  const trimmed = entry.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    const problem = pemProblem(trimmed);
    return problem !== undefined ? { problem } : { fingerprint: keyFingerprint(trimmed) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    const problem = keyProblem(trimmed);
    return problem !== undefined ? { problem } : { uri: trimmed };
  }
  const hex = trimmed.replace(/^sha256:/i, '');
  if (/^[0-9a-f]{64}$/i.test(hex)) return { fingerprint: hex.toLowerCase() };
  return {
    problem: `"${abbreviate(trimmed)}" is not a SHA-256 fingerprint (64 hex digits, e.g. the output of \`openssl pkey -pubin -in cosign.pub -outform DER | sha256sum\`), a PEM public key (as a block: \`- |\`) or a KMS URI`,
  };
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
