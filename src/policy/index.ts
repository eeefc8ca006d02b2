export type {
  KeylessSigner,
  PolicyRule,
  PolicyWarning,
  Requirement,
  RevokedKey,
  RevokedRuleKey,
  TrustPolicy,
  UnmatchedAction,
} from './types.js';
export { BUILT_IN_RULES } from './builtin.js';
export { globMatch, globToRegExp, imagePatternProblem, normaliseImagePattern } from './glob.js';
export { KEY_URI_SCHEMES, classifyKey, keyFingerprint, keyName, keyProblem, parseRevokedKey } from './key.js';
export type { KeyReference } from './key.js';
export { checkRe2 } from './re2.js';
export type { Re2Check } from './re2.js';
export {
  MAX_ALIASES,
  MAX_POLICY_BYTES,
  PolicyError,
  formatPolicyProblem,
  formatPolicyWarning,
  parsePolicy,
} from './parse.js';
export type { PolicyProblem } from './parse.js';
export {
  combinePolicy,
  matchRule,
  requirementFor,
  ruleDemands,
  ruleLabel,
  type RuleDemand,
} from './match.js';
