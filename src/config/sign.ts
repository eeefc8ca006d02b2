import type { CosignKey } from '../sign/key-material.js';
import type { ProvenanceMode } from '../sign/provenance.js';
import type { KeyValue } from '../util/key-value.js';
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
}

const KMS_SCHEMES = ['awskms://', 'gcpkms://', 'azurekms://', 'hashivault://', 'k8s://', 'env://'];

/** The sign group: `sign`, `cosign-key`, `cosign-password`, `tlog-upload`, `signature-annotations`, `attest`, `signature-format`. */
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
  if (!tlogUpload && /^false$/i.test(r.read('tlog-upload')) && cosignKeyText === '')
    r.problem(
      'Input `tlog-upload: false` needs `cosign-key`: a keyless signature is only trusted through its transparency log entry. Set `cosign-key`, or remove `tlog-upload`.',
    );

  return {
    sign: r.bool('sign'),
    tlogUpload,
    ...(cosignKey ? { cosignKey } : {}),
    ...(cosignPassword !== '' ? { cosignPassword } : {}),
    signatureAnnotations: r.keyValues('signature-annotations'),
    attest,
    signatureFormat: r.oneOf('signature-format', ['bundle', 'legacy'] as const),
    provenance: readProvenance(r),
  };
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
