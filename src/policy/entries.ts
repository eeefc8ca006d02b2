import type { BaseImageUse } from '../dockerfile/index.js';
import {
  formatReference,
  repositoryName,
  tryParseReference,
  withDigest,
  type ImageReference,
} from '../image/reference.js';
import type { CertificateSigner } from '../cosign/verify.js';
import { ruleLabel, type Requirement } from './index.js';

/** `verify-base-images`. */
export type VerifyMode = 'enforce' | 'warn' | 'off';

export type BaseImageStatus =
  'verified' | 'failed' | 'unmatched' | 'allowed-unsigned' | 'skipped' | 'unresolved';

/** One entry of the `base-images` output, exactly as the interface document gives it. */
export interface BaseImageEntry {
  kind: BaseImageUse['kind'];
  stage: string | null;
  line: number;
  ref: string;
  image: string | null;
  digest: string | null;
  pinned: boolean;
  status: BaseImageStatus;
  rule: string | null;
  signer: { identity: string; issuer: string } | null;
  reason: string | null;
}

/** What was learned of one distinct image, however many lines name it. */
export interface ImageCheck {
  reference: ImageReference;
  requirement: Requirement;
  digest?: string;
  verified?: boolean;
  /** The signers named by the certificates cosign verified, when its output names them. */
  signers?: CertificateSigner[];
  failure?: string;
  warning?: string;
}

/** The `base-images` output entry of one use of an image, from what its check found. */
export function entryFor(
  use: BaseImageUse,
  d: ImageCheck | undefined,
  parseError: string | undefined,
  mode: VerifyMode,
): BaseImageEntry {
  // Keys in the order the interface document lists them, so the JSON reads the same.
  const entry = (
    fields: Omit<BaseImageEntry, 'kind' | 'stage' | 'line' | 'ref' | 'pinned'>,
  ): BaseImageEntry => ({
    kind: use.kind,
    stage: use.stage,
    line: use.line,
    ref: use.ref,
    image: fields.image,
    digest: fields.digest,
    pinned: /@sha256:[0-9a-f]{64}/.test(use.resolved ?? use.ref),
    status: fields.status,
    rule: fields.rule,
    signer: fields.signer,
    reason: fields.reason,
  });
  if (use.resolved === null) {
    return entry({
      image: null,
      digest: null,
      status: 'unresolved',
      rule: null,
      signer: null,
      reason: `ARG ${use.unresolvedArgs.map((a) => `\`${a}\``).join(', ')} has no value on line ${use.line}: give it a default or pass it in \`build-args\``,
    });
  }
  if (!d) {
    return entry({
      image: use.resolved,
      digest: null,
      status: 'failed',
      rule: null,
      signer: null,
      reason: `not a valid image reference: ${parseError ?? ''}`,
    });
  }
  const req = d.requirement;
  const rule = req.kind === 'unmatched' ? null : ruleLabel(req.rule);
  // The identity on the certificate when cosign printed it; else what the rule demanded, which cosign enforced.
  const signer =
    req.kind === 'keyless' && d.verified
      ? (d.signers?.[0] ?? {
          identity: req.signer.identity ?? req.signer.identityRegexp ?? '',
          issuer: req.signer.issuer ?? req.signer.issuerRegexp ?? '',
        })
      : null;
  const common = { image: formatReference(d.reference), digest: d.digest ?? null, rule, signer };
  if (mode === 'off') return entry({ ...common, status: 'skipped', reason: '`verify-base-images: off`' });
  if (d.failure) return entry({ ...common, status: 'failed', reason: d.failure });
  switch (req.kind) {
    case 'keyless':
      return entry({ ...common, status: 'verified', reason: null });
    case 'key':
      return entry({
        ...common,
        status: 'verified',
        reason:
          req.rule.tlog === false
            ? `verified by the rule's key without a transparency-log entry (rule "${rule ?? ''}" has tlog: false)`
            : null,
      });
    case 'allow-unsigned':
      return entry({
        ...common,
        status: 'allowed-unsigned',
        reason: `rule "${rule ?? ''}" trusts it without a signature`,
      });
    case 'unmatched':
      return entry({
        ...common,
        status: 'unmatched',
        reason: `no policy rule matches ${repositoryName(d.reference)} (unmatched: ${req.action})`,
      });
  }
}

/** Whether an entry fails the stage under `mode` (`unmatched` is the policy's `unmatched` action). */
export function isFailure(e: BaseImageEntry, mode: VerifyMode, unmatched: string): boolean {
  if (mode === 'off') return false;
  if (e.status === 'failed' || e.status === 'unresolved') return true;
  return e.status === 'unmatched' && unmatched === 'deny';
}

/** The entry's reference with the digest it resolved to: the line to paste. */
export function suggestPinned(e: BaseImageEntry): string {
  if (!e.image || !e.digest) return e.ref;
  const parsed = tryParseReference(e.image);
  return parsed.ok ? formatReference(withDigest(parsed.ref, e.digest)) : e.ref;
}

/** `Dockerfile:line`, or the build-arg for the frontend image BUILDKIT_SYNTAX names (line 0: not in the file). */
export function whereUsed(e: BaseImageEntry, file: string): string {
  return e.kind === 'syntax' && e.line === 0 ? 'build-arg BUILDKIT_SYNTAX' : `${file}:${e.line}`;
}
