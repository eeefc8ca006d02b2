import { readFileSync } from 'node:fs';
import type { CosignKey } from '../sign/key-material.js';
import { readPrivateSigstore, type PrivateSigstore } from '../sign/private-sigstore.js';
import type { ProvenanceMode } from '../sign/provenance.js';
import { errorMessage } from '../util/errors.js';
import type { KeyValue } from '../util/key-value.js';
import { workspaceRelative } from './paths.js';
import { quote, type InputReader } from './reader.js';

export type Attestation = 'sbom' | 'vuln';
/** `bundle`: cosign v3's Sigstore bundle (an OCI 1.1 referrer); `legacy`: the `sha256-<digest>.sig` tag scheme. */
export type SignatureFormat = 'bundle' | 'legacy';

export interface SignInputs {
  sign: boolean;
  cosignKey?: CosignKey;
  cosignPassword?: string;
  /** `tlog-upload`: false signs and attests without a transparency log entry (key mode only). */
  tlogUpload: boolean;
  signatureAnnotations: KeyValue[];
  attest: Attestation[];
  signatureFormat: SignatureFormat;
  /** `provenance`: `true` (min), `false` (off) or `mode=min|max`. */
  provenance: ProvenanceMode;
  /** `sigstore-trusted-root` and `sigstore-signing-config`: a private Sigstore instance instead of the public one. */
  sigstore?: PrivateSigstore;
}

const KMS_SCHEMES = ['awskms://', 'gcpkms://', 'azurekms://', 'hashivault://', 'k8s://', 'env://'];

/**
 * The sign group: `sign`, `cosign-key`, `cosign-password`, `tlog-upload`, `signature-annotations`, `attest`,
 * `signature-format`, `sigstore-trusted-root`, `sigstore-signing-config`.
 */
export function readSignInputs(r: InputReader, cosignKeyText: string, cosignPassword: string): SignInputs {
  const attestRaw = r.list('attest');
  const attest: Attestation[] = [];
  for (const a of attestRaw) {
    if (a === 'sbom' || a === 'vuln') {
      if (!attest.includes(a)) attest.push(a);
    } else if (a !== 'none') {
      r.problem(`Input \`attest\`: ${quote(a)} is not one of \`sbom\`, \`vuln\`, \`none\`.`);
    }
  }
  if (attestRaw.includes('none') && attest.length > 0)
    r.problem('Input `attest`: `none` cannot be combined with other attestations.');

  let cosignKey: CosignKey | undefined;
  if (cosignKeyText !== '') {
    if (KMS_SCHEMES.some((s) => cosignKeyText.startsWith(s))) cosignKey = { kind: 'kms', uri: cosignKeyText };
    else if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(cosignKeyText))
      cosignKey = { kind: 'pem', pem: cosignKeyText };
    else
      r.problem(
        `Input \`cosign-key\` is neither a PEM private key (\`-----BEGIN … PRIVATE KEY-----\`, as \`cosign generate-key-pair\` writes it) nor a KMS URI (${KMS_SCHEMES.join(', ')}).`,
      );
  }
  if (cosignPassword !== '' && cosignKeyText === '')
    r.problem(
      'Input `cosign-password` is set but `cosign-key` is empty. Set `cosign-key` to the key the password opens, or remove `cosign-password` to sign keyless.',
    );

  const tlogUpload = r.bool('tlog-upload');
  // Said `false` (not a value r.bool refused, which has its own problem).
  const noTlog = !tlogUpload && /^false$/i.test(r.read('tlog-upload'));
  if (noTlog && cosignKeyText === '')
    r.problem(
      'Input `tlog-upload: false` needs `cosign-key`: a keyless signature is only trusted through its transparency log entry. Set `cosign-key`, or remove `tlog-upload`.',
    );

  const signatureFormat = r.oneOf('signature-format', ['bundle', 'legacy'] as const);
  const sigstore = readSigstore(r, { keyless: cosignKeyText === '', noTlog, signatureFormat });
  return {
    sign: r.bool('sign'),
    tlogUpload,
    ...(cosignKey ? { cosignKey } : {}),
    ...(cosignPassword !== '' ? { cosignPassword } : {}),
    signatureAnnotations: r.keyValues('signature-annotations'),
    attest,
    signatureFormat,
    provenance: readProvenance(r),
    ...(sigstore ? { sigstore } : {}),
  };
}

/** A workspace file's JSON, or undefined with the problem named. */
function jsonFile(r: InputReader, name: string, path: string, shown: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    r.problem(`Input \`${name}\`: ${shown} is not JSON (${errorMessage(error)}).`);
    return undefined;
  }
}

/**
 * `sigstore-trusted-root` and `sigstore-signing-config`: both or neither. A signing config alone would sign with the
 * private services and check against the public root (and the reverse), which fails; cosign also refuses a signing
 * config next to `tlog-upload: false` and the legacy format, which a signing config says in its own way.
 */
function readSigstore(
  r: InputReader,
  context: { keyless: boolean; noTlog: boolean; signatureFormat: 'bundle' | 'legacy' },
): PrivateSigstore | undefined {
  const rootRaw = r.read('sigstore-trusted-root');
  const configRaw = r.read('sigstore-signing-config');
  if (rootRaw === '' && configRaw === '') return undefined;
  if (rootRaw === '' || configRaw === '') {
    const [given, absent] =
      rootRaw === ''
        ? ['sigstore-signing-config', 'sigstore-trusted-root']
        : ['sigstore-trusted-root', 'sigstore-signing-config'];
    r.problem(
      `Input \`${given}\` needs \`${absent}\` too: cosign signs with the services of the signing config and checks against the trusted root, so both must describe the same Sigstore instance. Set both (\`cosign trusted-root create\`, \`cosign signing-config create\`), or neither for the public instance.`,
    );
    return undefined;
  }
  if (context.noTlog)
    r.problem(
      'Input `tlog-upload: false` does not go with `sigstore-signing-config`: a signing config says whether there is a transparency log. Leave out `rekorTlogUrls` from the signing config instead, and remove `tlog-upload`.',
    );
  if (context.signatureFormat === 'legacy')
    r.problem(
      'Input `signature-format: legacy` does not go with `sigstore-signing-config`: cosign signs through a signing config only as a Sigstore bundle. Use `signature-format: bundle`.',
    );
  const trustedRoot = r.existingPath('sigstore-trusted-root', 'file', rootRaw);
  const signingConfig = r.existingPath('sigstore-signing-config', 'file', configRaw);
  if (trustedRoot === undefined || signingConfig === undefined) return undefined;
  const shown = {
    trustedRoot: workspaceRelative(r.cwd, trustedRoot),
    signingConfig: workspaceRelative(r.cwd, signingConfig),
  };
  const root = jsonFile(r, 'sigstore-trusted-root', trustedRoot, shown.trustedRoot);
  const config = jsonFile(r, 'sigstore-signing-config', signingConfig, shown.signingConfig);
  if (root === undefined || config === undefined) return undefined;
  const { checks, problems } = readPrivateSigstore(root, config, shown, context.keyless);
  for (const p of problems) r.problem(p);
  if (!checks) return undefined;
  return { trustedRoot, signingConfig, trustedRootShown: shown.trustedRoot, ...checks };
}

function readProvenance(r: InputReader): ProvenanceMode {
  const raw = r.read('provenance');
  if (['true', 'True', 'TRUE', 'mode=min'].includes(raw)) return 'min';
  if (['false', 'False', 'FALSE'].includes(raw)) return 'off';
  if (raw === 'mode=max') return 'max';
  r.problem(
    `Input \`provenance\` must be \`true\`, \`false\`, \`mode=min\` or \`mode=max\`; got ${quote(raw)}.`,
  );
  return 'off';
}
