import type { Node } from 'yaml';
import { compileGlob, type Glob } from '../policy/glob.js';
import { compileRe2 } from '../policy/re2.js';
import { UserError } from '../util/errors.js';
import type { Finding, FixState } from './finding.js';
import { parsePurl, purlMatches } from './purl.js';
import { YamlSource } from './yaml-source.js';

/**
 * One entry of an ignore file. Every criterion that is set must hold for a finding to be ignored.
 * `id` is the vulnerability (matched against the finding's id and, unless `matchAliases` is false, its aliases);
 * an empty `id` matches any vulnerability, as trivy entries with only `purls`/`paths` and grype rules with
 * only `fix-state` or `package` do.
 */
export interface IgnoreRule {
  id: string;
  /** `YYYY-MM-DD` (or a full ISO timestamp); from that instant on the rule no longer ignores anything. */
  expiresAt?: string;
  /** Globs over the finding's target / package path (trivy `paths`, grype `package.location`). */
  paths?: string[];
  purls?: string[];
  statement?: string;
  line: number;
  file: string;
  /** grype `package.name`: exact, or an anchored regular expression when it looks like one (as grype decides). */
  packageName?: string;
  packageVersion?: string;
  packageType?: string;
  fixState?: FixState;
  /** grype `include-aliases: false` restricts `id` to the finding's own id. */
  matchAliases?: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/** The instant a rule expires: a bare date means its first moment, UTC, as trivy reads `exp:`/`expired_at`. */
function expiryInstant(value: string): number {
  return DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
}

function validExpiry(value: string): boolean {
  const time = expiryInstant(value);
  if (Number.isNaN(time)) return false;
  // A day that does not exist (2024-02-30) must not roll over into another one.
  if (DATE.test(value)) return new Date(time).toISOString().slice(0, 10) === value;
  return TIMESTAMP.test(value);
}

export function isRuleExpired(rule: IgnoreRule, now: Date): boolean {
  return rule.expiresAt !== undefined && expiryInstant(rule.expiresAt) < now.getTime();
}

/** Where a rule came from, for messages: `.trivyignore:3`. */
export function ruleLocation(rule: IgnoreRule): string {
  return `${rule.file}:${rule.line}`;
}

// ---------------------------------------------------------------------------------------------------------
// .trivyignore

/**
 * `.trivyignore`: one ID per line, `#` comments, optional `exp:YYYY-MM-DD` after the ID (trivy
 * pkg/result/ignore.go). trivy skips a line whose date does not parse, with a warning; here it is an error,
 * because a silently dropped line changes what the gate lets through.
 */
export function parseTrivyIgnore(text: string, file: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const hash = trimmed.indexOf('#');
    const body = hash >= 0 ? trimmed.slice(0, hash) : trimmed;
    const comment = hash >= 0 ? trimmed.slice(hash + 1).trim() : '';
    const fields = body.split(/\s+/).filter((f) => f !== '');
    const id = fields[0];
    if (id === undefined) return;
    const rule: IgnoreRule = { id, line, file };
    for (const field of fields.slice(1)) {
      if (!field.startsWith('exp:')) continue;
      const date = field.slice('exp:'.length);
      if (!DATE.test(date) || !validExpiry(date)) {
        throw new UserError(
          `${file} line ${line}: "${field}" is not a valid expiry; write exp:YYYY-MM-DD, e.g. "${id} exp:2030-01-31"`,
        );
      }
      rule.expiresAt = date;
      break;
    }
    if (comment !== '') rule.statement = comment;
    rules.push(rule);
  });
  return rules;
}

// ---------------------------------------------------------------------------------------------------------
// .trivyignore.yaml

const TRIVY_YAML_SECTIONS = new Set(['vulnerabilities', 'misconfigurations', 'secrets', 'licenses']);
const TRIVY_YAML_KEYS = ['id', 'paths', 'purls', 'expired_at', 'statement'];

/**
 * `.trivyignore.yaml` (trivy docs/guide/configuration/filtering.md): only `vulnerabilities` matters for an
 * image scan; the other sections are accepted and skipped. Unknown keys are errors, where trivy would
 * silently drop them: a misspelt `expired_at` would otherwise ignore a vulnerability forever.
 */
export function parseTrivyIgnoreYaml(text: string, file: string): IgnoreRule[] {
  const y = new YamlSource(text, file);
  if (y.root === null) return [];
  const rules: IgnoreRule[] = [];
  for (const { key, keyNode, value } of y.entries(y.root, 'the ignore file')) {
    if (!TRIVY_YAML_SECTIONS.has(key)) {
      y.fail(keyNode, `unknown section "${key}"; expected one of ${[...TRIVY_YAML_SECTIONS].join(', ')}`);
    }
    if (key !== 'vulnerabilities') continue;
    y.sequence(value, 'vulnerabilities').forEach((entry, i) => {
      rules.push(trivyYamlRule(y, entry, `vulnerabilities[${i}]`));
    });
  }
  return rules;
}

function trivyYamlRule(y: YamlSource, node: Node, what: string): IgnoreRule {
  const rule: IgnoreRule = { id: '', line: y.lineOf(node), file: y.file };
  for (const { key, keyNode, value } of y.entries(node, what)) {
    const where = `${what}.${key}`;
    switch (key) {
      case 'id':
        rule.id = y.string(value, where, keyNode);
        break;
      case 'paths':
        rule.paths = y.strings(value, where, keyNode);
        rule.paths.forEach((p, i) => checkGlob(y, value ?? keyNode, `${where}[${i}]`, p));
        break;
      case 'purls':
        rule.purls = y.strings(value, where, keyNode);
        rule.purls.forEach((p, i) => {
          if (!parsePurl(p))
            y.fail(value, `${where}[${i}] "${p}" is not a package URL (pkg:type/namespace/name)`);
        });
        break;
      case 'expired_at': {
        const date = y.string(value, where, keyNode);
        if (!validExpiry(date)) y.fail(value, `${where} "${date}" is not a date; write YYYY-MM-DD`);
        rule.expiresAt = date;
        break;
      }
      case 'statement':
        rule.statement = y.string(value, where, keyNode);
        break;
      default:
        y.fail(keyNode, `unknown key "${key}" in ${what}; expected one of ${TRIVY_YAML_KEYS.join(', ')}`);
    }
  }
  if (rule.id === '' && !rule.paths && !rule.purls) {
    y.fail(node, `${what} names no vulnerability: set at least one of id, paths, purls`);
  }
  return rule;
}

function checkGlob(y: YamlSource, node: Node, what: string, pattern: string): void {
  try {
    compileGlob(normalisePath(pattern));
  } catch (err) {
    y.fail(node, `${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// grype config `ignore:`

const GRYPE_FIX_STATES: readonly FixState[] = ['fixed', 'not-fixed', 'wont-fix', 'unknown'];
const GRYPE_PACKAGE_KEYS = ['name', 'version', 'type', 'location'];
const GRYPE_UNSUPPORTED: Record<string, string> = {
  namespace: 'the vulnerability namespace is not kept in the scan result; match on `vulnerability` instead',
  'vex-status': 'give VEX documents through the `vex` input instead',
  'vex-justification': 'give VEX documents through the `vex` input instead',
  'match-type': 'the match type is not kept in the scan result',
};
const GRYPE_PACKAGE_UNSUPPORTED: Record<string, string> = {
  language: 'use package.type (e.g. gem, python, java-archive) instead',
  'upstream-name': 'the upstream package is not kept in the scan result; match on package.name instead',
};

/**
 * The `ignore:` list of a grype config (grype/match/ignore.go). The rest of the config is grype's business and
 * is not read. Criteria this action cannot evaluate are rejected with the reason rather than silently dropped.
 */
export function parseGrypeIgnoreConfig(text: string, file: string): IgnoreRule[] {
  const y = new YamlSource(text, file);
  if (y.root === null) return [];
  const ignore = y.entries(y.root, 'the grype config').find((e) => e.key === 'ignore');
  if (!ignore) return [];
  return y.sequence(ignore.value, 'ignore').map((entry, i) => grypeRule(y, entry, `ignore[${i}]`));
}

function grypeRule(y: YamlSource, node: Node, what: string): IgnoreRule {
  const rule: IgnoreRule = { id: '', line: y.lineOf(node), file: y.file };
  for (const { key, keyNode, value } of y.entries(node, what)) {
    const where = `${what}.${key}`;
    const unsupported = GRYPE_UNSUPPORTED[key];
    if (unsupported) y.fail(keyNode, `${where} is not supported by secure-image: ${unsupported}`);
    switch (key) {
      case 'vulnerability':
        rule.id = y.string(value, where, keyNode);
        break;
      case 'reason':
        rule.statement = y.string(value, where, keyNode);
        break;
      case 'include-aliases':
        rule.matchAliases = y.boolean(value, where, keyNode);
        break;
      case 'fix-state': {
        const state = y.string(value, where, keyNode);
        if (!(GRYPE_FIX_STATES as readonly string[]).includes(state)) {
          y.fail(
            value,
            `${where} "${state}" is not a fix state; expected one of ${GRYPE_FIX_STATES.join(', ')}`,
          );
        }
        rule.fixState = state as FixState;
        break;
      }
      case 'package':
        grypePackage(y, value, keyNode, where, rule);
        break;
      default:
        y.fail(
          keyNode,
          `unknown key "${key}" in ${what}; expected vulnerability, include-aliases, reason, fix-state, package`,
        );
    }
  }
  if (
    rule.id === '' &&
    !rule.fixState &&
    !rule.packageName &&
    !rule.packageVersion &&
    !rule.packageType &&
    !rule.paths
  ) {
    y.fail(
      node,
      `${what} has no criteria, so it would ignore nothing; set vulnerability, fix-state or package`,
    );
  }
  return rule;
}

function grypePackage(y: YamlSource, node: Node | null, anchor: Node, what: string, rule: IgnoreRule): void {
  for (const { key, keyNode, value } of y.entries(node ?? anchor, what)) {
    const where = `${what}.${key}`;
    const unsupported = GRYPE_PACKAGE_UNSUPPORTED[key];
    if (unsupported) y.fail(keyNode, `${where} is not supported by secure-image: ${unsupported}`);
    switch (key) {
      case 'name': {
        const name = y.string(value, where, keyNode);
        try {
          packageNameMatcher(name);
        } catch (err) {
          y.fail(
            value,
            `${where} "${name}" is not a valid regular expression in Go's RE2 syntax, which grype uses: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        rule.packageName = name;
        break;
      }
      case 'version':
        rule.packageVersion = y.string(value, where, keyNode);
        break;
      case 'type':
        rule.packageType = y.string(value, where, keyNode);
        break;
      case 'location': {
        const location = y.string(value, where, keyNode);
        checkGlob(y, value ?? keyNode, where, location);
        rule.paths = [location];
        break;
      }
      default:
        y.fail(keyNode, `unknown key "${key}" in ${what}; expected one of ${GRYPE_PACKAGE_KEYS.join(', ')}`);
    }
  }
}

/** grype treats a name as a regular expression only when it contains regex syntax other than `.`. */
const LOOKS_LIKE_REGEX = /[\^$*+?[\](){}|\\]/;

/**
 * grype matches the name with Go's regexp (RE2), and so does this: the pattern comes from the build
 * context, which a pull request controls, and the names from the image. A JavaScript RegExp of `(a+)+b`
 * takes minutes on a name of 30 `a`s; RE2 takes at most the pattern's size times the name's length.
 */
function packageNameMatcher(name: string): (candidate: string) => boolean {
  if (!LOOKS_LIKE_REGEX.test(name)) return (candidate) => candidate === name;
  // Compiled alone first: a name that closes a group of its own (`x)|(.*`) would escape the anchors.
  compileRe2(name);
  const re = compileRe2(`^(?:${name})$`);
  // Findings share package names; each distinct name is matched once.
  const results = new Map<string, boolean>();
  return (candidate) => {
    let matched = results.get(candidate);
    if (matched === undefined) {
      matched = re.test(candidate);
      results.set(candidate, matched);
    }
    return matched;
  };
}

// ---------------------------------------------------------------------------------------------------------
// matching

type Matcher = (finding: Finding) => boolean;

/** Report paths come with (grype) or without (trivy) a leading slash; compare them without. */
function normalisePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(?:\.\/)+/, '')
    .replace(/^\/+/, '');
}

function globMatches(glob: Glob, path: string | undefined): boolean {
  return path !== undefined && glob(normalisePath(path));
}
const compiled = new WeakMap<IgnoreRule, Matcher>();

function compile(rule: IgnoreRule): Matcher {
  const checks: Matcher[] = [];
  if (rule.id !== '') {
    const id = rule.id;
    checks.push(
      rule.matchAliases === false ? (f) => f.id === id : (f) => f.id === id || f.aliases.includes(id),
    );
  }
  if (rule.paths && rule.paths.length > 0) {
    const globs = rule.paths.map((p) => compileGlob(normalisePath(p)));
    checks.push((f) => globs.some((g) => globMatches(g, f.target) || globMatches(g, f.packagePath)));
  }
  if (rule.purls && rule.purls.length > 0) {
    const constraints = rule.purls.map(parsePurl).filter((p) => p !== undefined);
    // A finding without a purl cannot be shown to be the package the rule names, so the rule does not apply
    // (trivy would apply it; ignoring less is the safe side of that choice).
    checks.push((f) => {
      const target = f.purl === undefined ? undefined : parsePurl(f.purl);
      return target !== undefined && constraints.some((c) => purlMatches(c, target));
    });
  }
  if (rule.packageName !== undefined) {
    const matches = packageNameMatcher(rule.packageName);
    checks.push((f) => matches(f.packageName));
  }
  if (rule.packageVersion !== undefined) {
    const version = rule.packageVersion;
    checks.push((f) => f.installedVersion === version);
  }
  if (rule.packageType !== undefined) {
    const type = rule.packageType;
    checks.push((f) => f.packageType === type);
  }
  if (rule.fixState !== undefined) {
    const state = rule.fixState;
    checks.push((f) => f.fixState === state);
  }
  // A rule without criteria ignores nothing (as in grype), never everything.
  if (checks.length === 0) return () => false;
  return (f) => checks.every((check) => check(f));
}

/** Whether the rule's criteria all hold for the finding; expiry is the caller's concern. */
export function ignoreRuleMatches(rule: IgnoreRule, finding: Finding): boolean {
  let matcher = compiled.get(rule);
  if (!matcher) {
    matcher = compile(rule);
    compiled.set(rule, matcher);
  }
  return matcher(finding);
}

/**
 * The parser for an ignore file, chosen the way the `ignore-file` input describes it: for trivy a `.yaml`/`.yml`
 * file is a `.trivyignore.yaml`, anything else a `.trivyignore`; for grype it is a grype config.
 */
export function parseIgnoreFile(scanner: 'trivy' | 'grype', text: string, file: string): IgnoreRule[] {
  if (scanner === 'grype') return parseGrypeIgnoreConfig(text, file);
  return /\.ya?ml$/i.test(file) ? parseTrivyIgnoreYaml(text, file) : parseTrivyIgnore(text, file);
}
