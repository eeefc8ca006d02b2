/** Which rule covers an image, and what it requires. */
import { BUILT_IN_RULES } from './builtin.js';
import { globMatch } from './glob.js';
import { classifyKey, keyFingerprint, keyName } from './key.js';
import type { KeylessSigner, PolicyRule, Requirement, RevokedKey, TrustPolicy } from './types.js';

/** The file's rules first, then the built-in ones; `unmatched` from the file, else `warn`. */
export function combinePolicy(file?: TrustPolicy): TrustPolicy {
  const combined: TrustPolicy = {
    unmatched: file?.unmatched ?? 'warn',
    rules: [...(file?.rules ?? []), ...BUILT_IN_RULES],
  };
  if (file?.file !== undefined) combined.file = file.file;
  if (file?.warnings !== undefined) combined.warnings = file.warnings;
  if (file?.revokedKeys !== undefined) combined.revokedKeys = file.revokedKeys;
  return combined;
}

/**
 * The repository part of a reference: a digest (`@sha256:…`) and a tag (a `:` after the last `/`)
 * are dropped, so a caller that passes `golang:1.22` by mistake still matches `golang` rules.
 */
function repositoryOf(imageName: string): string {
  const at = imageName.indexOf('@');
  const name = at >= 0 ? imageName.slice(0, at) : imageName;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

/** The first rule with a pattern that matches `imageName` (fully qualified, e.g. "gcr.io/distroless/static"). */
export function matchRule(policy: TrustPolicy, imageName: string): PolicyRule | undefined {
  const name = repositoryOf(imageName);
  return policy.rules.find((rule) => rule.images.some((pattern) => globMatch(pattern, name)));
}

export function requirementFor(policy: TrustPolicy, imageName: string): Requirement {
  const rule = matchRule(policy, imageName);
  if (rule === undefined) return { kind: 'unmatched', action: policy.unmatched };
  if (rule.keyless !== undefined) return { kind: 'keyless', rule, signer: rule.keyless };
  const keys = rule.keys ?? (rule.key !== undefined ? [rule.key] : undefined);
  if (keys !== undefined) {
    const revoked = policy.revokedKeys ?? [];
    const isRevoked = (key: string): boolean => revoked.some((r) => revokes(r, key));
    return {
      kind: 'key',
      rule,
      keys: keys.filter((k) => !isRevoked(k)),
      revoked: keys.filter(isRevoked).map((key) => ({ key, name: keyName(key) })),
    };
  }
  if (rule.allowUnsigned === true) return { kind: 'allow-unsigned', rule };
  // parsePolicy never yields such a rule; a hand-built one must not be read as "trusted".
  throw new Error(`policy rule "${rule.name}" has neither keyless, key nor allow-unsigned`);
}

/** The rule's name as reports show it: "distroless (built-in)", or the file rule's own name. */
export function ruleLabel(rule: PolicyRule): string {
  return rule.source === 'built-in' ? `${rule.name} (built-in)` : rule.name;
}

/** What a rule demands of a signature, for the next step a report gives: the keyless signer, or the keys' names. */
export type RuleDemand =
  | { kind: 'keyless'; signer: KeylessSigner }
  /** `tlog: false`: its images are verified without a transparency-log entry. */
  | { kind: 'key'; keys: string[]; tlog?: false }
  | { kind: 'allow-unsigned' };

export function ruleDemand(rule: PolicyRule): RuleDemand {
  if (rule.keyless !== undefined) return { kind: 'keyless', signer: rule.keyless };
  const keys = rule.keys ?? (rule.key !== undefined ? [rule.key] : []);
  if (keys.length > 0)
    return { kind: 'key', keys: keys.map(keyName), ...(rule.tlog === false ? { tlog: false } : {}) };
  return { kind: 'allow-unsigned' };
}

/** Every rule's demand by its report label (`ruleLabel`), the file's rules and the built-in ones. */
export function ruleDemands(policy: TrustPolicy): Record<string, RuleDemand> {
  const demands: Record<string, RuleDemand> = {};
  for (const rule of policy.rules) demands[ruleLabel(rule)] ??= ruleDemand(rule);
  return demands;
}

/** Whether a `revoked-keys` entry names `key`: the same SPKI fingerprint, or the same URI. */
function revokes(revoked: RevokedKey, key: string): boolean {
  const ref = classifyKey(key);
  if (ref.kind === 'uri') return revoked.uri === ref.uri;
  return revoked.fingerprint !== undefined && revoked.fingerprint === keyFingerprint(ref.pem);
}
