import {
  type Finding,
  type ScanReport,
  type Severity,
  SEVERITIES,
  dedupeKey,
  isFixable,
  severityRank,
} from './finding.js';
import { type IgnoreRule, ignoreRuleMatches, isRuleExpired, ruleLocation } from './ignore-file.js';
import { type VexStatement, VexIndex, vexReason, vexSuppresses } from './vex.js';

export interface GateOptions {
  failOn: Severity | 'never';
  ignoreUnfixed: boolean;
  ignores: IgnoreRule[];
  vex: VexStatement[];
  now: Date;
  /** The scanned image, to tell whether a VEX product names it; without it any image product applies. */
  imageName?: string;
}

export interface Counts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  unknown: number;
  total: number;
  fixable: number;
  ignored: number;
}

export interface GateResult {
  passed: boolean;
  failOn: Severity | 'never';
  /** Severity counts over all findings (each id + package + installed version once); `ignored` says how many of them do not count. */
  counts: Counts;
  /** The findings that fail the gate: at or above `failOn`, not ignored. */
  blocking: Finding[];
  ignored: Array<{ finding: Finding; reason: string }>;
  /** Rules past their date: they ignore nothing any more, and the report says so. */
  expiredIgnores: Array<{ rule: IgnoreRule; message: string }>;
  /** Every finding that counts, most severe first, then fixable first, then by id — for the report. */
  top: Finding[];
}

/** Ignore rules indexed by id, so each finding is checked against the few rules that can name it. */
class RuleIndex {
  private readonly byId = new Map<string, IgnoreRule[]>();
  private readonly anyId: IgnoreRule[] = [];
  private readonly order = new Map<IgnoreRule, number>();

  constructor(rules: readonly IgnoreRule[]) {
    rules.forEach((rule, i) => {
      this.order.set(rule, i);
      if (rule.id === '') {
        this.anyId.push(rule);
      } else {
        const list = this.byId.get(rule.id) ?? [];
        list.push(rule);
        this.byId.set(rule.id, list);
      }
    });
  }

  /** Matching rules in file order. */
  matching(finding: Finding): IgnoreRule[] {
    const candidates = new Set<IgnoreRule>(this.anyId);
    for (const name of [finding.id, ...finding.aliases]) {
      for (const rule of this.byId.get(name) ?? []) candidates.add(rule);
    }
    return [...candidates]
      .filter((rule) => ignoreRuleMatches(rule, finding))
      .sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
  }
}

function ruleReason(rule: IgnoreRule): string {
  return `ignored by ${ruleLocation(rule)}${rule.statement ? ` (${rule.statement})` : ''}`;
}

/** Most severe first, then the ones an upgrade fixes, then by id and package, so listings are stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    Number(isFixable(b)) - Number(isFixable(a)) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
    (a.packageName < b.packageName ? -1 : a.packageName > b.packageName ? 1 : 0)
  );
}

export function evaluateGate(report: ScanReport, options: GateOptions): GateResult {
  const rules = new RuleIndex(options.ignores);
  const vex = new VexIndex(options.vex, options.imageName);
  const expiredMatches = new Map<IgnoreRule, number>();

  // Why one reported finding does not count, or undefined when it does. VEX first: it is a statement about this
  // product; then the ignore file; then the ignore-unfixed policy.
  const reasonFor = (finding: Finding, counted: Set<IgnoreRule>): string | undefined => {
    const statement = vex.decide(finding);
    if (statement && vexSuppresses(statement)) return vexReason(statement);
    let reason: string | undefined;
    for (const rule of rules.matching(finding)) {
      if (isRuleExpired(rule, options.now)) {
        counted.add(rule);
      } else if (reason === undefined) {
        reason = ruleReason(rule);
      }
    }
    if (reason !== undefined) return reason;
    if (options.ignoreUnfixed && !isFixable(finding)) return 'no fixed version (ignore-unfixed)';
    return undefined;
  };

  // A vulnerability a scanner lists at several paths counts once; it is ignored only if every path is.
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const key = dedupeKey(finding);
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }

  const counts: Counts = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    unknown: 0,
    total: 0,
    fixable: 0,
    ignored: 0,
  };
  const ignored: GateResult['ignored'] = [];
  const counting: Finding[] = [];
  for (const members of groups.values()) {
    const expiredHere = new Set<IgnoreRule>();
    let representative: Finding | undefined;
    let firstReason: string | undefined;
    for (const member of members) {
      const reason = reasonFor(member, expiredHere);
      if (reason === undefined) {
        representative ??= member;
      } else {
        firstReason ??= reason;
      }
    }
    for (const rule of expiredHere) expiredMatches.set(rule, (expiredMatches.get(rule) ?? 0) + 1);

    const finding = representative ?? (members[0] as Finding);
    counts[finding.severity] += 1;
    counts.total += 1;
    if (isFixable(finding)) counts.fixable += 1;
    if (representative === undefined) {
      counts.ignored += 1;
      ignored.push({ finding, reason: firstReason ?? 'ignored' });
    } else {
      counting.push(representative);
    }
  }

  const threshold = options.failOn === 'never' ? Infinity : severityRank(options.failOn);
  const top = counting.sort(compareFindings);
  const blocking = top.filter((f) => severityRank(f.severity) >= threshold);

  const expiredIgnores = options.ignores
    .filter((rule) => isRuleExpired(rule, options.now))
    .map((rule) => {
      const n = expiredMatches.get(rule) ?? 0;
      const what = rule.id === '' ? 'an ignore rule' : `the ignore of ${rule.id}`;
      const effect =
        n === 0
          ? 'it matches nothing in this scan'
          : `it matches ${n} finding${n === 1 ? '' : 's'} in this scan, which it no longer ignores`;
      return {
        rule,
        message: `${ruleLocation(rule)}: ${what} expired on ${rule.expiresAt ?? ''} and no longer applies; ${effect}. Renew or remove it.`,
      };
    });

  return {
    passed: blocking.length === 0,
    failOn: options.failOn,
    counts,
    blocking,
    ignored,
    expiredIgnores,
    top,
  };
}

/** The `vulnerabilities` output: fixed key order, so workflows can compare it as text. */
export function countsJson(counts: Counts): string {
  const ordered: Record<string, number> = {};
  for (const key of [...SEVERITIES, 'total', 'fixable', 'ignored'] as const) ordered[key] = counts[key];
  return JSON.stringify(ordered);
}
