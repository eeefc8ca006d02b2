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
  /** PEM public key text or a key URI (awskms://, gcpkms://, …), as written. See classifyKey(). */
  key?: string;
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

export interface TrustPolicy {
  unmatched: UnmatchedAction;
  rules: PolicyRule[];
  file?: string;
  warnings?: PolicyWarning[];
}

export type Requirement =
  | { kind: 'keyless'; rule: PolicyRule; signer: KeylessSigner }
  | { kind: 'key'; rule: PolicyRule; key: string }
  | { kind: 'allow-unsigned'; rule: PolicyRule }
  | { kind: 'unmatched'; action: UnmatchedAction };
