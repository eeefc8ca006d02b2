/**
 * The trust policy file (YAML or JSON) → TrustPolicy. Every problem names the file, the 1-based line
 * and the key, and all problems of a file are reported together.
 */
import { CST, Lexer, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';

import { UserError } from '../util/errors.js';
import { imagePatternProblem, normaliseImagePattern } from './glob.js';
import { keyProblem, parseRevokedKey } from './key.js';
import { checkRe2 } from './re2.js';
import type {
  KeylessSigner,
  PolicyRule,
  PolicyWarning,
  RevokedKey,
  TrustPolicy,
  UnmatchedAction,
} from './types.js';

/** A policy lists a few rules; anything this large is a mistake or an attack on the parser. */
export const MAX_POLICY_BYTES = 256 * 1024;
/**
 * Aliases a policy may use (e.g. one `keyless` signer shared by several rules). Low, because each
 * alias can expand to a whole subtree ("billion laughs"); also handed to yaml as `maxAliasCount`.
 */
export const MAX_ALIASES = 64;

export const TOP_LEVEL_KEYS = ['unmatched', 'rules', 'revoked-keys'] as const;
export const RULE_KEYS = ['name', 'images', 'keyless', 'key', 'keys', 'allow-unsigned', 'tlog'] as const;
export const KEYLESS_KEYS = ['issuer', 'issuer-regexp', 'identity', 'identity-regexp'] as const;
const UNMATCHED_ACTIONS: readonly UnmatchedAction[] = ['deny', 'warn', 'allow'];

/** Names people carry over from cosign flags or other tools, and what this format calls them. */
const KNOWN_MISTAKES: Record<string, string> = {
  'certificate-identity': 'identity',
  'certificate-identity-regexp': 'identity-regexp',
  'certificate-oidc-issuer': 'issuer',
  'certificate-oidc-issuer-regexp': 'issuer-regexp',
  subject: 'identity',
  'subject-regexp': 'identity-regexp',
  image: 'images',
  glob: 'images',
  pattern: 'images',
  patterns: 'images',
  'public-key': 'key',
  publickey: 'key',
  'public-keys': 'keys',
  'revoked-key': 'revoked-keys',
  revoked: 'revoked-keys',
  revocations: 'revoked-keys',
  unsigned: 'allow-unsigned',
  default: 'unmatched',
  policy: 'rules',
};

export interface PolicyProblem {
  line: number;
  /** Path of the key, e.g. `rules[2].keyless.identity-regexp`; `(top level)` for the file as a whole. */
  key: string;
  message: string;
}

/** A policy file that cannot be used. `problems` lets callers annotate each line of the file. */
export class PolicyError extends UserError {
  readonly file: string;
  readonly problems: readonly PolicyProblem[];
  constructor(file: string, problems: readonly PolicyProblem[], options?: { cause?: unknown }) {
    const sorted = [...problems].sort((a, b) => a.line - b.line);
    const lines = sorted.map((p) => formatPolicyProblem(file, p));
    super(
      lines.length === 1
        ? (lines[0] ?? '')
        : `${file}: ${lines.length} problems in the trust policy:\n${lines.join('\n')}`,
      options,
    );
    this.name = 'PolicyError';
    this.file = file;
    this.problems = sorted;
  }
}

/** `<file>:<line>: <key>: <message>`, the form of every policy error and warning. */
export function formatPolicyProblem(file: string, p: PolicyProblem): string {
  return `${file}:${p.line}: ${p.key}: ${p.message}`;
}

export function formatPolicyWarning(w: PolicyWarning): string {
  return formatPolicyProblem(w.file, w);
}

class Context {
  readonly problems: PolicyProblem[] = [];
  readonly warnings: PolicyWarning[] = [];
  constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  line(node: YamlNode | null | undefined, fallback = 1): number {
    const offset = node?.range?.[0];
    return offset === undefined ? fallback : this.lines.linePos(offset).line;
  }

  error(line: number, key: string, message: string): void {
    this.problems.push({ line, key, message });
  }

  warn(line: number, key: string, message: string): void {
    this.warnings.push({ file: this.file, line, key, message });
  }

  /** Follow an alias to the node it names (checked to exist before the walk). */
  deref(node: unknown): YamlNode | null {
    if (isAlias(node)) return (node.resolve(this.doc) as YamlNode | undefined) ?? null;
    return (node as YamlNode | null | undefined) ?? null;
  }
}

interface Entry {
  key: string;
  keyLine: number;
  /** The value with aliases followed; null for `key:` with nothing after it. */
  value: YamlNode | null;
  /** Where the value is written (the alias, if it is one), for messages about the value as a whole. */
  valueLine: number;
}

/** The pairs of a mapping as plain-named entries; keys that are not plain names are reported. */
function entries(
  ctx: Context,
  map: { items: Pair<unknown, unknown>[] },
  path: string,
  mapLine: number,
): Entry[] {
  const out: Entry[] = [];
  for (const pair of map.items) {
    const keyNode = ctx.deref(pair.key);
    const keyLine = ctx.line(keyNode, mapLine);
    const raw = isScalar(keyNode) ? keyNode.value : undefined;
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      ctx.error(keyLine, path || '(top level)', 'keys must be plain names');
      continue;
    }
    const valueNode = pair.value as YamlNode | null | undefined;
    out.push({
      key: String(raw),
      keyLine,
      value: ctx.deref(valueNode),
      valueLine: ctx.line(valueNode ?? null, keyLine),
    });
  }
  return out;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describe(node: YamlNode | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    if (typeof v === 'string') return `the text "${v.length > 40 ? `${v.slice(0, 37)}…` : v}"`;
    return `${typeof v} ${String(v)}`;
  }
  return 'something else';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

function unknownKey(ctx: Context, e: Entry, path: string, accepted: readonly string[]): void {
  const normal = e.key.toLowerCase().replace(/[_\s]/g, '-');
  const camel = e.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  let hint = KNOWN_MISTAKES[normal] ?? KNOWN_MISTAKES[camel];
  if (hint === undefined || !accepted.includes(hint)) {
    hint = accepted.find((a) => a === normal || a === camel || editDistance(a, normal) <= 2);
  }
  const where = path || 'the top level';
  const suggestion = hint !== undefined && hint !== e.key ? ` (did you mean "${hint}"?)` : '';
  const merge = e.key === '<<' ? ' (YAML merge keys are not supported; alias the whole value instead)' : '';
  ctx.error(
    e.keyLine,
    join(path, e.key),
    `unknown key${suggestion}${merge}; ${where} accepts ${accepted.map((a) => `"${a}"`).join(', ')}`,
  );
}

/** A non-empty text value, or undefined after reporting why not. */
function text(ctx: Context, e: Entry, path: string, what: string): string | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v !== 'string') {
    ctx.error(e.valueLine, path, `must be ${what}; found ${describe(e.value)}`);
    return undefined;
  }
  if (v.trim() === '') {
    ctx.error(e.valueLine, path, `must be ${what}; found an empty text`);
    return undefined;
  }
  return v;
}

function parseUnmatched(ctx: Context, e: Entry): UnmatchedAction | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v === 'string' && (UNMATCHED_ACTIONS as readonly string[]).includes(v))
    return v as UnmatchedAction;
  ctx.error(
    e.valueLine,
    'unmatched',
    `must be one of deny, warn, allow (what to do with an image no rule matches); found ${describe(e.value)}`,
  );
  return undefined;
}

function parseKeyless(ctx: Context, e: Entry, path: string): KeylessSigner | undefined {
  if (!isMap(e.value)) {
    ctx.error(
      e.valueLine,
      path,
      `must be a mapping with "issuer" or "issuer-regexp" and "identity" or "identity-regexp"; found ${describe(e.value)}`,
    );
    return undefined;
  }
  const signer: KeylessSigner = {};
  const present: Partial<Record<(typeof KEYLESS_KEYS)[number], number>> = {};
  let ok = true;
  for (const f of entries(ctx, e.value, path, e.valueLine)) {
    const fieldPath = join(path, f.key);
    if (!(KEYLESS_KEYS as readonly string[]).includes(f.key)) {
      unknownKey(ctx, f, path, KEYLESS_KEYS);
      ok = false;
      continue;
    }
    const key = f.key as (typeof KEYLESS_KEYS)[number];
    present[key] = f.keyLine;
    const isRegexp = key.endsWith('-regexp');
    const value = text(ctx, f, fieldPath, isRegexp ? 'a regular expression (Go RE2 syntax)' : 'a text');
    if (value === undefined) {
      ok = false;
      continue;
    }
    const subject = key.startsWith('issuer') ? 'issuer' : 'identity';
    if (isRegexp) {
      const check = checkRe2(value);
      if (check.error !== undefined) {
        ctx.error(
          f.valueLine,
          fieldPath,
          `is not a valid RE2 regular expression (cosign uses Go's regexp): ${check.error}`,
        );
        ok = false;
        continue;
      }
      if (!check.anchoredAtStart) {
        ctx.warn(
          f.valueLine,
          fieldPath,
          `does not start with "^": cosign accepts any ${subject} that merely contains a match, so "${value}" also matches "https://evil.example/${value}". Anchor it: "^${value}"`,
        );
      }
    } else if (/^\^|\.\*|\\\.|\$$/.test(value)) {
      ctx.warn(
        f.valueLine,
        fieldPath,
        `looks like a regular expression but "${key}" is compared exactly; use "${key}-regexp" for a pattern`,
      );
    } else if (key === 'issuer' && !/^https:\/\/[^/\s]/.test(value)) {
      ctx.warn(
        f.valueLine,
        fieldPath,
        `is compared exactly with the certificate's OIDC issuer, which is an https:// URL (e.g. https://token.actions.githubusercontent.com); "${value}" will not match it`,
      );
    } else if (key === 'issuer' && value.endsWith('/')) {
      ctx.warn(
        f.valueLine,
        fieldPath,
        `ends with "/": issuers are compared exactly and the usual ones (https://token.actions.githubusercontent.com, https://accounts.google.com) have no trailing slash`,
      );
    }
    if (key === 'issuer') signer.issuer = value;
    else if (key === 'issuer-regexp') signer.issuerRegexp = value;
    else if (key === 'identity') signer.identity = value;
    else signer.identityRegexp = value;
  }
  for (const [exact, regexp, what] of [
    [
      'issuer',
      'issuer-regexp',
      'the OIDC issuer of the signing certificate, e.g. https://token.actions.githubusercontent.com',
    ],
    ['identity', 'identity-regexp', 'the identity (certificate subject) that signed'],
  ] as const) {
    const a = present[exact];
    const b = present[regexp];
    if (a !== undefined && b !== undefined) {
      ctx.error(Math.max(a, b), path, `has both "${exact}" and "${regexp}"; give one of them`);
      ok = false;
    } else if (a === undefined && b === undefined) {
      ctx.error(e.keyLine, path, `needs "${exact}" or "${regexp}": ${what}`);
      ok = false;
    }
  }
  return ok ? signer : undefined;
}

function parseImages(ctx: Context, e: Entry, path: string): string[] | undefined {
  if (!isSeq(e.value) || e.value.items.length === 0) {
    const example =
      isScalar(e.value) && typeof e.value.value === 'string' ? `["${e.value.value}"]` : '["ghcr.io/acme/*"]';
    ctx.error(
      e.valueLine,
      path,
      `must be a non-empty list of image name patterns, e.g. images: ${example}; found ${describe(e.value)}${isSeq(e.value) ? ' (an empty list)' : ''}`,
    );
    return undefined;
  }
  const patterns: string[] = [];
  let ok = true;
  for (const [i, item] of e.value.items.entries()) {
    const node = ctx.deref(item);
    const line = ctx.line(item as YamlNode, e.valueLine);
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== 'string') {
      ctx.error(line, `${path}[${i}]`, `must be an image name pattern (text); found ${describe(node)}`);
      ok = false;
      continue;
    }
    const problem = imagePatternProblem(v);
    if (problem !== undefined) {
      ctx.error(line, `${path}[${i}]`, problem);
      ok = false;
      continue;
    }
    patterns.push(normaliseImagePattern(v));
  }
  return ok ? patterns : undefined;
}

/** The text items of a list, each reported on its own line when it is not text; undefined when the value is no list. */
function textItems(
  ctx: Context,
  e: Entry,
  path: string,
  what: string,
): Array<{ value: string | undefined; line: number; path: string }> | undefined {
  if (!isSeq(e.value)) return undefined;
  return e.value.items.map((item, i) => {
    const node = ctx.deref(item);
    const line = ctx.line(item as YamlNode, e.valueLine);
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== 'string') {
      ctx.error(line, `${path}[${i}]`, `must be ${what}; found ${describe(node)}`);
      return { value: undefined, line, path: `${path}[${i}]` };
    }
    return { value: v, line, path: `${path}[${i}]` };
  });
}

/** `keys:` a non-empty list of public keys (PEM blocks or KMS URIs), any one of which verifies. */
function parseKeys(ctx: Context, e: Entry, path: string): string[] | undefined {
  const what = 'a PEM public key (as a block: `- |`) or a KMS URI';
  const items = textItems(ctx, e, path, what);
  if (items === undefined || items.length === 0) {
    ctx.error(
      e.valueLine,
      path,
      `must be a non-empty list of public keys, each ${what}; found ${describe(e.value)}${isSeq(e.value) ? ' (an empty list)' : ''}${isScalar(e.value) && typeof e.value.value === 'string' ? ' (for one key write "key:")' : ''}`,
    );
    return undefined;
  }
  const keys: string[] = [];
  const seen = new Map<string, number>();
  let ok = true;
  for (const item of items) {
    if (item.value === undefined) {
      ok = false;
      continue;
    }
    const problem = keyProblem(item.value);
    if (problem !== undefined) {
      ctx.error(item.line, item.path, problem);
      ok = false;
      continue;
    }
    const normal = item.value.trim();
    const first = seen.get(normal);
    if (first !== undefined) ctx.warn(item.line, item.path, `is the same key as line ${first}`);
    else seen.set(normal, item.line);
    keys.push(item.value);
  }
  return ok ? keys : undefined;
}

/** `revoked-keys:` PEM public keys, KMS URIs or SHA-256 fingerprints of keys no signature may rely on. */
function parseRevokedKeys(ctx: Context, e: Entry): RevokedKey[] {
  if (e.value === null || (isScalar(e.value) && e.value.value === null)) return [];
  const what = 'a SHA-256 fingerprint (64 hex digits), a PEM public key (as a block: `- |`) or a KMS URI';
  const items = textItems(ctx, e, 'revoked-keys', what);
  if (items === undefined) {
    ctx.error(e.valueLine, 'revoked-keys', `must be a list, each item ${what}; found ${describe(e.value)}`);
    return [];
  }
  const revoked: RevokedKey[] = [];
  for (const item of items) {
    if (item.value === undefined) continue;
    const parsed = parseRevokedKey(item.value);
    if ('problem' in parsed) ctx.error(item.line, item.path, parsed.problem);
    else revoked.push({ ...parsed, line: item.line });
  }
  return revoked;
}

interface ParsedRule {
  index: number;
  rule: PolicyRule;
  patternLines: number[];
  nameLine: number;
}

function parseRule(ctx: Context, item: unknown, index: number): ParsedRule | undefined {
  const path = `rules[${index}]`;
  const node = ctx.deref(item);
  const ruleLine = ctx.line(node, ctx.line(item as YamlNode));
  if (!isMap(node)) {
    ctx.error(
      ruleLine,
      path,
      `each rule must be a mapping with "name", "images" and one of "keyless", "key", "allow-unsigned: true"; found ${describe(node)}`,
    );
    return undefined;
  }
  let ok = true;
  let name: string | undefined;
  let nameLine = ruleLine;
  let images: string[] | undefined;
  let patternLines: number[] = [];
  let keyless: KeylessSigner | undefined;
  let key: string | undefined;
  let keys: string[] | undefined;
  let allowUnsigned: boolean | undefined;
  let tlog: { value: boolean; line: number } | undefined;
  const methods: Array<{ name: string; line: number }> = [];
  const seen = new Set<string>();
  for (const e of entries(ctx, node, path, ruleLine)) {
    const fieldPath = join(path, e.key);
    seen.add(e.key);
    switch (e.key) {
      case 'name':
        name = text(ctx, e, fieldPath, 'a text that names the rule in reports');
        nameLine = e.valueLine;
        if (name === undefined) ok = false;
        break;
      case 'images':
        images = parseImages(ctx, e, fieldPath);
        if (images === undefined) ok = false;
        else if (isSeq(e.value))
          patternLines = e.value.items.map((it) => ctx.line(it as YamlNode, e.valueLine));
        break;
      case 'keyless':
        methods.push({ name: 'keyless', line: e.keyLine });
        keyless = parseKeyless(ctx, e, fieldPath);
        if (keyless === undefined) ok = false;
        break;
      case 'key': {
        methods.push({ name: 'key', line: e.keyLine });
        const v = isScalar(e.value) ? e.value.value : undefined;
        if (typeof v !== 'string') {
          ctx.error(
            e.valueLine,
            fieldPath,
            `must be a PEM public key (as a block: key: |) or a KMS URI; found ${describe(e.value)}${isSeq(e.value) ? ' (for several keys write "keys:")' : ''}`,
          );
          ok = false;
          break;
        }
        const problem = keyProblem(v);
        if (problem !== undefined) {
          ctx.error(e.valueLine, fieldPath, problem);
          ok = false;
        } else key = v;
        break;
      }
      case 'keys': {
        methods.push({ name: 'keys', line: e.keyLine });
        keys = parseKeys(ctx, e, fieldPath);
        if (keys === undefined) ok = false;
        break;
      }
      case 'allow-unsigned': {
        const v = booleanField(ctx, e, fieldPath);
        if (v === undefined) {
          ok = false;
          break;
        }
        allowUnsigned = v;
        if (v) methods.push({ name: 'allow-unsigned: true', line: e.keyLine });
        break;
      }
      case 'tlog': {
        const v = booleanField(ctx, e, fieldPath);
        if (v === undefined) ok = false;
        else tlog = { value: v, line: e.keyLine };
        break;
      }
      default:
        unknownKey(ctx, e, path, RULE_KEYS);
        ok = false;
    }
  }
  // Without a transparency-log entry only the key vouches for a signature: that is a key rule's choice alone
  // (a keyless certificate is short-lived, and the log entry is what proves it was used while valid).
  if (tlog?.value === false && key === undefined && keys === undefined) {
    ctx.error(
      tlog.line,
      join(path, 'tlog'),
      '"tlog: false" is for "key" or "keys" rules, whose images were signed without a transparency-log entry (cosign --tlog-upload=false); a keyless signature is checked against the log. Remove it, or give the rule its public key',
    );
    ok = false;
  }
  if (!seen.has('name')) {
    ctx.error(ruleLine, join(path, 'name'), 'is missing; every rule needs a name, which reports show');
    ok = false;
  }
  if (!seen.has('images')) {
    ctx.error(
      ruleLine,
      join(path, 'images'),
      'is missing; list the image name patterns the rule covers, e.g. images: ["ghcr.io/acme/*"]',
    );
    ok = false;
  }
  if (methods.length === 0) {
    ctx.error(
      ruleLine,
      path,
      'says nothing about how to trust the images: give one of "keyless" (who signed), "key" (the public key), "keys" (several public keys, any one verifies) or "allow-unsigned: true"',
    );
    ok = false;
  } else if (methods.length > 1) {
    const second = methods[1] as { name: string; line: number };
    ctx.error(
      second.line,
      path,
      `has ${methods.map((m) => `"${m.name}"`).join(' and ')}; a rule takes exactly one of "keyless", "key", "keys" or "allow-unsigned: true"${methods.some((m) => m.name === 'keys') && methods.some((m) => m.name === 'key') ? ' (move the key into the "keys" list)' : ' (write two rules if you mean either)'}`,
    );
    ok = false;
  }
  if (!ok || name === undefined || images === undefined) return undefined;
  const rule: PolicyRule = { name, images, source: 'file', line: ruleLine };
  if (keyless) rule.keyless = keyless;
  if (key !== undefined) rule.key = key;
  if (keys !== undefined) rule.keys = keys;
  if (allowUnsigned !== undefined) rule.allowUnsigned = allowUnsigned;
  if (tlog?.value === false) rule.tlog = false;
  return { index, rule, patternLines, nameLine };
}

/** A `true`/`false` field, or undefined after saying what it found instead. */
function booleanField(ctx: Context, e: Entry, fieldPath: string): boolean | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v === 'boolean') return v;
  ctx.error(e.valueLine, fieldPath, `must be true or false; found ${describe(e.value)}`);
  return undefined;
}

function parseRules(ctx: Context, e: Entry): PolicyRule[] {
  if (e.value === null || (isScalar(e.value) && e.value.value === null)) return [];
  if (!isSeq(e.value)) {
    ctx.error(
      e.valueLine,
      'rules',
      `must be a list of rules (each item starts with "- name: …"); found ${describe(e.value)}`,
    );
    return [];
  }
  const parsed: ParsedRule[] = [];
  for (const [i, item] of e.value.items.entries()) {
    const p = parseRule(ctx, item, i);
    if (p) parsed.push(p);
  }
  const names = new Map<string, ParsedRule>();
  for (const p of parsed) {
    const first = names.get(p.rule.name);
    if (first) {
      ctx.error(
        p.nameLine,
        `rules[${p.index}].name`,
        `"${p.rule.name}" is already the name of the rule at line ${first.rule.line}; rule names must be unique because reports name the rule that matched`,
      );
    } else names.set(p.rule.name, p);
  }
  // A pattern an earlier rule already has can never decide anything: first match wins.
  const earlier = new Map<string, ParsedRule>();
  for (const p of parsed) {
    for (const [j, pattern] of p.rule.images.entries()) {
      const owner = earlier.get(pattern) ?? earlier.get('**');
      if (owner && owner !== p) {
        ctx.warn(
          p.patternLines[j] ?? p.rule.line ?? 1,
          `rules[${p.index}].images[${j}]`,
          `"${pattern}" never selects this rule: the rule "${owner.rule.name}" (line ${owner.rule.line}) comes first and matches it`,
        );
      }
    }
    for (const pattern of p.rule.images) if (!earlier.has(pattern)) earlier.set(pattern, p);
  }
  return parsed.map((p) => p.rule);
}

/** Count aliases with the lexer alone, so a file of a million aliases fails before it is composed. */
function aliasOverflowLine(source: string): number | undefined {
  let line = 1;
  let aliases = 0;
  for (const token of new Lexer().lex(source)) {
    if (CST.tokenType(token) === 'alias' && ++aliases > MAX_ALIASES) return line;
    for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) line++;
  }
  return undefined;
}

function firstLineOf(message: string): string {
  return message.split('\n')[0] ?? message;
}

function failWith(file: string, line: number, key: string, message: string, cause?: unknown): never {
  throw new PolicyError(file, [{ line, key, message }], cause === undefined ? undefined : { cause });
}

/** Parse and validate a trust policy. Throws PolicyError (a UserError) listing every problem. */
export function parsePolicy(source: string, fileName: string): TrustPolicy {
  const fail = (line: number, key: string, message: string, cause?: unknown): never =>
    failWith(fileName, line, key, message, cause);
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_POLICY_BYTES) {
    fail(
      1,
      '(file)',
      `is ${bytes} bytes; a trust policy may be at most ${MAX_POLICY_BYTES / 1024} KiB. It holds a few rules: check that the trust-policy input names the right file`,
    );
  }
  const tooManyAt = aliasOverflowLine(source);
  if (tooManyAt !== undefined) {
    fail(
      tooManyAt,
      '(file)',
      `uses more than ${MAX_ALIASES} YAML aliases (*name); a policy needs few, and many can expand exponentially. Write the values out`,
    );
  }

  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PolicyError(
      fileName,
      doc.errors.map((err) => {
        const offset = err.pos[0];
        // yaml points at the key's first character only; read the key up to its colon.
        const duplicate = /^(?:"[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(source.slice(offset, offset + 200))?.[0];
        const key =
          err.code === 'DUPLICATE_KEY'
            ? `duplicate key ${JSON.stringify(duplicate?.trim() ?? '')}`
            : 'YAML syntax';
        const hint = err.code === 'DUPLICATE_KEY' ? '; each key may appear once in a mapping' : '';
        return { line: lines.linePos(offset).line, key, message: `${firstLineOf(err.message)}${hint}` };
      }),
    );
  }
  const dangling: Array<{ line: number; name: string }> = [];
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) === undefined) {
        dangling.push({ line: lines.linePos(node.range?.[0] ?? 0).line, name: node.source });
      }
    },
  });
  if (dangling.length > 0) {
    throw new PolicyError(
      fileName,
      dangling.map((d) => ({
        line: d.line,
        key: `*${d.name}`,
        message: `the alias names no anchor; define "&${d.name}" earlier in the file`,
      })),
    );
  }
  try {
    // Only for yaml's expansion check: the walk below reads the document, not this value.
    doc.toJS({ maxAliasCount: MAX_ALIASES, mapAsMap: true });
  } catch (err) {
    fail(
      1,
      '(file)',
      `its YAML aliases expand too far (${err instanceof Error ? err.message : String(err)}); write the values out instead of nesting aliases`,
      err,
    );
  }

  const ctx = new Context(fileName, doc, lines);
  for (const w of doc.warnings) {
    ctx.warn(lines.linePos(w.pos[0]).line, '(yaml)', firstLineOf(w.message));
  }
  const root = ctx.deref(doc.contents);
  const policy: TrustPolicy = { unmatched: 'warn', rules: [], file: fileName };
  if (root === null || (isScalar(root) && root.value === null)) {
    return fail(
      1,
      '(top level)',
      'the file is empty; a trust policy is a mapping with "unmatched" (deny, warn or allow) and "rules" (a list)',
    );
  }
  if (!isMap(root)) {
    return fail(
      ctx.line(root),
      '(top level)',
      `must be a mapping with the keys "unmatched" and "rules"; found ${describe(root)}`,
    );
  }
  for (const e of entries(ctx, root, '', 1)) {
    if (e.key === 'unmatched') {
      const action = parseUnmatched(ctx, e);
      if (action) policy.unmatched = action;
    } else if (e.key === 'rules') {
      policy.rules = parseRules(ctx, e);
    } else if (e.key === 'revoked-keys') {
      policy.revokedKeys = parseRevokedKeys(ctx, e);
    } else {
      unknownKey(ctx, e, '', TOP_LEVEL_KEYS);
    }
  }
  if (ctx.problems.length > 0) throw new PolicyError(fileName, ctx.problems);
  policy.warnings = ctx.warnings;
  return policy;
}
