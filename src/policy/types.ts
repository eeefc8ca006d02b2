/** The trust policy's data model: rules from the policy file and the built-in ones. */

/** Who must have signed, as cosign's --certificate-identity[-regexp] / --certificate-oidc-issuer[-regexp]. */
export interface KeylessSigner {
  issuer?: string;
  issuerRegexp?: string;
  identity?: string;
  identityRegexp?: string;
}

export interface PolicyRule {
  name: string;
  /** Glob patterns over the fully qualified name without tag or digest; Docker Hub short forms are normalised. */
  images: string[];
  source: 'file' | 'built-in';
  keyless?: KeylessSigner;
  /**
   * `tlog: false` (key rules only): the images were signed without a transparency-log entry, so cosign verifies
   * with `--insecure-ignore-tlog=true`; otherwise it demands the entry, from the public Rekor.
   */
  tlog?: false;
  /** PEM public key text or a key URI (awskms://, gcpkms://, …), as written. See classifyKey(). */
  key?: string;
  /** Several keys (`keys:`), any one of which verifies; in the order written. Never given with `key`. */
  keys?: string[];
  allowUnsigned?: boolean;
  /** 1-based line where the rule starts in the policy file. */
  line?: number;
}

export type UnmatchedAction = 'deny' | 'warn' | 'allow';

/** Something in the policy file that works but is likely not what the author meant. */
export interface PolicyWarning {
  file: string;
  line: number;
  /** Path of the key, e.g. `rules[0].keyless.identity-regexp`. */
  key: string;
  message: string;
}

/**
 * A key the policy file no longer trusts (`revoked-keys:`): a signature that verifies only with it fails. A PEM
 * key and a fingerprint are matched by the SHA-256 of the key's DER SubjectPublicKeyInfo; a KMS URI as written.
 */
export interface RevokedKey {
  /** Lower-case hex SHA-256 of the SPKI; absent for a URI. */
  fingerprint?: string;
  uri?: string;
  /** 1-based line of the entry in the policy file. */
  line?: number;
}

export interface TrustPolicy {
  unmatched: UnmatchedAction;
  rules: PolicyRule[];
  revokedKeys?: RevokedKey[];
  file?: string;
  warnings?: PolicyWarning[];
}

export type Requirement =
  | { kind: 'keyless'; rule: PolicyRule; signer: KeylessSigner }
  /**
   * `keys`: the rule's keys that are not revoked, any one of which verifies; `revoked`: the rule's keys the policy
   * revoked, tried only to say why an image signed with one of them fails.
   */
  | { kind: 'key'; rule: PolicyRule; keys: string[]; revoked: RevokedRuleKey[] }
  | { kind: 'allow-unsigned'; rule: PolicyRule }
  | { kind: 'unmatched'; action: UnmatchedAction };

/** A key of a rule that `revoked-keys` names: the key (for cosign) and how reports name it. */
export interface RevokedRuleKey {
  key: string;
  /** `sha256:<hex>` of the SPKI, or the KMS URI. */
  name: string;
}
