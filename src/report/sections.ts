import { runUrl } from '../github-context.js';
import type { BaseImageEntry } from '../policy/entries.js';
import type { RuleDemand } from '../policy/match.js';
import type { RunReport, StageStatus } from '../report/run-report.js';
import {
  type Finding,
  SEVERITIES,
  type Severity,
  type SummaryFinding,
  severityRank,
  summaryFinding,
} from '../scan/finding.js';
import { PREDICATE_TYPE_URI } from '../sign/args.js';
import type { SignResult } from '../sign/signing.js';
import type { ToolReport } from '../tools/install.js';
import { wholeArgName } from './base-image-annotations.js';
import type { Block, TableBlock } from './budget.js';
import type { ReportLimits, ScanInput, SummaryInput } from './input.js';
import {
  cellCode,
  code,
  escapeMarkdown,
  escapeProse,
  fenced,
  formatDuration,
  link,
  plural,
  table,
  truncate,
  truncateLines,
} from './markdown.js';
import { failingBaseImages, type Verdict } from './verdict.js';

/** The pieces the job summary and the PR comment are assembled from; each returns markdown blocks. */

export const STATUS_LABEL: Record<StageStatus, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  warning: '⚠️ passed with warnings',
  skipped: '⏭️ skipped',
  'not-run': '⏹️ not run',
};

const BASE_STATUS: Record<BaseImageEntry['status'], string> = {
  verified: '✅ verified',
  'allowed-unsigned': '☑️ allowed unsigned',
  unmatched: '⚠️ no rule',
  skipped: '⏭️ not checked',
  failed: '❌ failed',
  unresolved: '❌ unresolved',
};

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  unknown: 'Unknown',
};

const ORIGIN_LABEL: Record<Finding['origin'], string> = { base: 'base image', app: 'app', unknown: '' };

/** A line that would open a list, a heading underline or a rule does not, when it starts a paragraph. */
function lineStart(text: string): string {
  return text.replace(/^(\s*)([-=])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/**
 * A message of ours, several lines, some of them `- ` items, as markdown that wraps: a code block
 * would keep long lines on one line that the reader has to scroll.
 */
export function prose(message: string): string {
  const blocks: string[][] = [];
  let bullets = false;
  for (const line of message.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const item = /^\s*[-*] (.*)$/.exec(line);
    const text = item ? `- ${escapeProse(item[1] ?? '', false)}` : lineStart(escapeProse(line, false));
    const last = blocks[blocks.length - 1];
    // Items run together into one list; every other line is its own paragraph.
    if (item && bullets && last) last.push(text);
    else blocks.push([text]);
    bullets = item !== null;
  }
  return blocks.map((b) => b.join('\n')).join('\n\n');
}

export function headline(
  input: SummaryInput,
  verdict: Verdict,
  level: '##' | '###',
  maxFailureLines: number,
): string {
  const parts = [`${level} ${verdict.icon} secure-image: ${code(input.subject)}`, '', verdict.line];
  const failure = input.report.failure?.message;
  const failing = failingBaseImages({
    report: input.report,
    ...(input.baseImages ? { baseImages: input.baseImages } : {}),
  });
  if (failing.length > 0) {
    // Each base image that failed once, with what to do about it; the table below has no second copy.
    const groups = new Map<string, BaseImageEntry[]>();
    for (const e of failing) {
      const k = [e.image ?? e.ref, e.rule ?? '', e.reason ?? '', e.status].join('\u0000');
      groups.set(k, [...(groups.get(k) ?? []), e]);
    }
    parts.push('', [...groups.values()].map((g) => failingItem(input, g)).join('\n'));
  } else if (failure && failure.includes('\n')) {
    const capped = truncateLines(
      truncate(failure, 8000),
      maxFailureLines,
      (n) => `… ${plural(n, 'more line')} in the step log`,
    );
    parts.push('', prose(capped));
  }
  const platforms = input.platforms ?? [];
  if (platforms.length > 0)
    parts.push(
      '',
      `Built for ${platforms
        .slice(0, 20)
        .map((p) => code(p))
        .join(', ')}${platforms.length > 20 ? ` and ${platforms.length - 20} more` : ''}.`,
    );
  const tags = input.tags ?? [];
  if (tags.length > 0) {
    const shown = tags.slice(0, 10).map((t) => code(t));
    parts.push('', `Tagged ${shown.join(', ')}${tags.length > 10 ? ` and ${tags.length - 10} more` : ''}.`);
  }
  return parts.join('\n');
}

/** Full digests are in the heading and the signature section; in a one-line detail 12 digits say which. */
export function shortenDigests(text: string): string {
  return text.replace(/\bsha256:([0-9a-f]{12})[0-9a-f]{52}\b/g, 'sha256:$1…');
}

/**
 * A long detail goes on several lines at its `; ` joins, so the Details column does not squeeze the
 * Result and Time columns into two lines each.
 */
function detailCell(detail: string): string {
  const text = truncate(shortenDigests(detail), 400);
  if (text.length <= 70) return escapeProse(text);
  return splitTopLevel(text)
    .map((part) => escapeProse(part))
    .join(';<br>');
}

/** `a; b (c; d)` → `a`, `b (c; d)`: only the joins outside parentheses and code spans. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inCode = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') inCode = !inCode;
    else if (!inCode && c === '(') depth += 1;
    else if (!inCode && c === ')') depth = Math.max(0, depth - 1);
    else if (!inCode && depth === 0 && c === ';' && text[i + 1] === ' ') {
      parts.push(text.slice(start, i));
      start = i + 2;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function stageTable(report: RunReport): string {
  return table(
    ['Stage', 'Result', 'Time', 'Details'],
    report
      .list()
      .map((s) => [s.title, STATUS_LABEL[s.status], formatDuration(s.durationMs), detailCell(s.detail)]),
  );
}

/** A link to a line of the Dockerfile at the commit that was built. */
export function lineLink(input: Pick<SummaryInput, 'github' | 'dockerfile'>, line: number): string {
  const { github, dockerfile } = input;
  if (!github.repository || !github.sha || dockerfile.startsWith('/') || dockerfile.split('/').includes('..'))
    return String(line);
  const path = dockerfile.split('/').map(encodeURIComponent).join('/');
  return link(String(line), `${github.serverUrl}/${github.repository}/blob/${github.sha}/${path}#L${line}`);
}

function shortDigest(digest: string): string {
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}

// No-break spaces: the label stays on one line in a narrow column.
const KIND_LABEL: Record<BaseImageEntry['kind'], string> = {
  from: '',
  'copy-from': 'COPY\u00a0--from',
  'mount-from': 'RUN\u00a0--mount\u00a0from',
  syntax: '#\u00a0syntax',
  context: 'build\u00a0context',
};

/**
 * A signer identity short enough for a table cell: a GitHub workflow identity (or the pattern of one)
 * as `owner/repo` · `workflow.yml`; anything else cut. The exact values are listed under the table.
 */
export function signerLabel(identity: string): string {
  const plain = identity.replace(/^\^/, '').replace(/\$$/, '').replace(/\\(.)/g, '$1');
  const m = /^https:\/\/github\.com\/([^/]+\/[^/]+)\/\.github\/workflows\/([^@/]+)@/.exec(plain);
  if (m) return `${cellCode(m[1] ?? '')} · ${cellCode(m[2] ?? '')}`;
  return cellCode(truncate(identity, 40));
}

function baseImageRow(input: SummaryInput, e: BaseImageEntry): string[] {
  const kind = KIND_LABEL[e.kind];
  // An unnamed stage is known by its index.
  const stage = e.stage === null ? '' : /^\d+$/.test(e.stage) ? `#${e.stage}` : escapeMarkdown(e.stage);
  // A key rule with `tlog: false` verified without a log entry: the cell says so (the entry's reason tells why).
  const demand = e.rule ? input.ruleDemands?.[e.rule] : undefined;
  const keyed = demand?.kind === 'key' && demand.tlog === false ? 'key, no log entry' : 'key';
  const signer = e.signer ? signerLabel(e.signer.identity) : e.status === 'verified' ? keyed : '—';
  // The digest has its own column; the image without it keeps the table narrow enough to read.
  const image = (e.image ?? e.ref).replace(/@sha256:[0-9a-f]{64}$/, '');
  return [
    [stage, kind ? cellCode(kind) : ''].filter((s) => s !== '').join(' · '),
    lineLink(input, e.line),
    cellCode(truncate(image, 100)),
    e.digest ? `${cellCode(shortDigest(e.digest))}${e.pinned ? '' : '<br>not pinned'}` : '—',
    e.rule ? escapeMarkdown(truncate(e.rule, 100)) : '—',
    signer,
    BASE_STATUS[e.status],
  ];
}

/**
 * Why each image that needs a look does, under the table: reasons quote cosign and registries, with
 * long unbreakable words that would make the table wider than the page.
 */
function problemList(
  input: SummaryInput,
  entries: readonly BaseImageEntry[],
  limit: number,
): string | undefined {
  const stated = new Set(failingBaseImages({ report: input.report, baseImages: entries }));
  const problems = entries.filter((e) => isProblem(e) && e.reason && !stated.has(e));
  if (problems.length === 0) return undefined;
  const items = problems
    .slice(0, limit)
    .map(
      (e) =>
        `- Line ${lineLink(input, e.line)}, ${code(truncate((e.image ?? e.ref).replace(/@sha256:[0-9a-f]{64}$/, ''), 100))}: ${escapeProse(truncate(e.reason ?? '', 400), false)}`,
    );
  if (problems.length > limit)
    items.push(`- … ${plural(problems.length - limit, 'more')} in the ${code('base-images')} output`);
  return items.join('\n');
}

/**
 * The references to pin, with the digest that was checked: what the unpinned-line annotations say,
 * in one place to copy from. Only those that resolved and passed; a failed one needs another image.
 */
function pinList(input: SummaryInput, entries: readonly BaseImageEntry[], limit: number): string | undefined {
  if (input.digestPinning === 'off') return undefined;
  const unpinned = entries.filter((e) => !e.pinned && e.digest && e.image && !isProblem(e));
  if (unpinned.length === 0) return undefined;
  const items = unpinned
    .slice(0, limit)
    .map(
      (e) =>
        `- Line ${lineLink(input, e.line)}: ${code(truncate(e.ref, 200))}${argNote(e.ref)} → ${code(`${(e.image ?? '').replace(/@sha256:[0-9a-f]{64}$/, '')}@${e.digest ?? ''}`)}`,
    );
  if (unpinned.length > limit) items.push(`- … ${plural(unpinned.length - limit, 'more')}`);
  const n = unpinned.length;
  return [
    `${n === 1 ? 'One reference is' : `${n.toLocaleString('en-US')} references are`} not pinned to a digest, so what ${n === 1 ? 'it names' : 'they name'} can change after this run. Pin ${n === 1 ? 'it' : 'them'} to the digest checked here:`,
    '',
    ...items,
  ].join('\n');
}

/** A reference that is one ARG whole is pinned in that ARG's default, not on the FROM line. */
function argNote(ref: string): string {
  const name = wholeArgName(ref);
  return name ? ` (pin the default of ${code(`ARG ${name}`)})` : '';
}

/** The exact identities behind the short signer labels, once per rule. */
function signerList(entries: readonly BaseImageEntry[]): string | undefined {
  const seen = new Map<string, string>();
  for (const e of entries) {
    if (!e.signer) continue;
    const key = `${e.rule ?? ''}\u0000${e.signer.identity}\u0000${e.signer.issuer}`;
    if (seen.has(key) || seen.size >= 20) continue;
    seen.set(
      key,
      `- ${e.rule ? `${escapeMarkdown(truncate(e.rule, 100))}: ` : ''}identity ${code(truncate(e.signer.identity, 300))}, issuer ${code(truncate(e.signer.issuer, 200))}`,
    );
  }
  return seen.size === 0
    ? undefined
    : ['Who signed the verified images (keyless), by rule:', '', ...seen.values()].join('\n');
}

/** A base image that failed the stage, on one line or several: where, what, why (cosign's words, cut), the next step. */
function failingItem(input: SummaryInput, group: readonly BaseImageEntry[]): string {
  const e = group[0] as BaseImageEntry;
  const image = code(truncate((e.image ?? e.ref).replace(/@sha256:[0-9a-f]{64}$/, ''), 100));
  const why = escapeProse(truncate(e.reason ?? e.status, 400), false);
  const next = nextStep(input, e);
  const where = `${group.length === 1 ? 'Line' : 'Lines'} ${group.map((g) => lineLink(input, g.line)).join(', ')}`;
  return `- ${where}, ${image}: ${why}${next ? `<br>\n  **Next step:** ${next}` : ''}`;
}

/** What a maintainer changes for a base image that failed: the rule and its file, the line, or the input. */
export function nextStep(
  input: Pick<SummaryInput, 'trustPolicy' | 'dockerfile' | 'ruleDemands'>,
  e: BaseImageEntry,
): string {
  const policy = input.trustPolicy ? code(input.trustPolicy) : 'your `trust-policy` file';
  if (e.status === 'unresolved')
    return `give the ARG a default in ${code(input.dockerfile)} or a value in \`build-args\`.`;
  if (e.status === 'unmatched')
    return `add a rule for ${code(e.image ?? e.ref)} to ${policy}, or set \`unmatched: warn\` there.`;
  if (!e.rule) return `correct the reference on line ${e.line} of ${code(input.dockerfile)}.`;
  const rule = escapeMarkdown(truncate(e.rule, 100));
  if (!e.digest)
    return `check that the image exists and that this job can read it (\`registry-username\`, \`registry-password\` for a private registry).`;
  if (/no signatures found|no matching signatures(?!.*got subjects)/i.test(e.reason ?? ''))
    return `cosign found no signature on it: ask its publisher to sign it, use a signed image, or trust it unsigned with a rule with \`allow-unsigned: true\` in ${policy} (rule ${rule} asks for a signature).`;
  const signedBy = /got subjects \[([^\]]*)\]/.exec(e.reason ?? '')?.[1];
  const who = signedBy
    ? `it is signed by ${code(truncate(signedBy, 200))}`
    : 'its signature does not satisfy that rule';
  const demand = input.ruleDemands?.[e.rule];
  const asks = demand ? `, and the rule asks for ${demandText(demand)}` : '';
  if (/\(built-in\)$/.test(e.rule))
    return `${who}${asks || `, and the rule ${rule} trusts another signer`}: use an image that rule trusts, or add a rule of your own for it to ${policy}.`;
  return `${who}${asks}; if that signer is the one to trust, edit rule ${rule} in ${policy} to name it; else use an image that rule trusts.`;
}

/** What a rule asks of a signature, in words: the identity and issuer (exact or a pattern), or the keys. */
function demandText(demand: RuleDemand): string {
  if (demand.kind === 'key')
    return demand.keys.length === 1
      ? `a signature by the key ${code(truncate(demand.keys[0] ?? '', 200))}`
      : `a signature by one of its keys ${demand.keys
          .slice(0, 5)
          .map((k) => code(truncate(k, 200)))
          .join(', ')}${demand.keys.length > 5 ? ` (and ${demand.keys.length - 5} more)` : ''}`;
  if (demand.kind === 'allow-unsigned') return 'no signature';
  const { signer } = demand;
  const identity =
    signer.identity !== undefined
      ? `the identity ${code(truncate(signer.identity, 300))}`
      : `an identity matching ${code(truncate(signer.identityRegexp ?? '', 300))}`;
  const issuer =
    signer.issuer !== undefined
      ? `issuer ${code(truncate(signer.issuer, 200))}`
      : `an issuer matching ${code(truncate(signer.issuerRegexp ?? '', 200))}`;
  return `${identity} from ${issuer}`;
}

/** Needs a look: not trusted, not resolved, or matched by no rule. */
export function isProblem(e: BaseImageEntry): boolean {
  return e.status === 'failed' || e.status === 'unresolved' || e.status === 'unmatched';
}

export function baseImagesBlock(
  input: SummaryInput,
  options: { heading: string; onlyProblems: boolean; limit: number },
): TableBlock | undefined {
  const all = input.baseImages ?? [];
  const entries = options.onlyProblems ? all.filter(isProblem) : all;
  if (entries.length === 0) return undefined;
  const shown = entries.slice(0, options.limit);
  const notes = [problemList(input, shown, 50), pinList(input, shown, 20), signerList(shown)].filter(
    (n) => n !== undefined,
  );
  return {
    kind: 'table',
    before: `${options.heading} · ${code(input.dockerfile)}`,
    header: ['Stage', 'Line', 'Image', 'Digest', 'Rule', 'Signer', 'Status'],
    rows: shown.map((e) => baseImageRow(input, e)),
    hidden: entries.length - shown.length,
    more: (n) => `${plural(n, 'more row')} not shown; the full list is in the ${code('base-images')} output.`,
    ...(notes.length > 0 ? { after: notes.join('\n\n') } : {}),
  };
}

interface FindingRow extends SummaryFinding {
  reason?: string;
}

function rowOf(f: Finding, reason?: string): FindingRow {
  return { ...summaryFinding(f), ...(reason !== undefined ? { reason } : {}) };
}

/** Most severe first, then the ones an upgrade fixes, then by id and package: the order of every listing. */
export function compareRows(a: SummaryFinding, b: SummaryFinding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    Number(b.fixable) - Number(a.fixable) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
    (a.packageName < b.packageName ? -1 : a.packageName > b.packageName ? 1 : 0)
  );
}

/** The first `limit` rows in listing order, whatever order the scanner reported them in. */
function firstRows(rows: readonly FindingRow[], limit: number): FindingRow[] {
  return [...rows].sort(compareRows).slice(0, limit);
}

function advisoryUrl(id: string): string | undefined {
  if (/^CVE-\d{4}-\d+$/i.test(id)) return `https://www.cve.org/CVERecord?id=${id.toUpperCase()}`;
  if (/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i.test(id)) return `https://github.com/advisories/${id}`;
  return undefined;
}

function findingId(f: SummaryFinding): string {
  return link(escapeMarkdown(truncate(f.id, 80)), f.url ?? advisoryUrl(f.id));
}

function versions(f: SummaryFinding): string {
  const installed = cellCode(truncate(f.installedVersion || '?', 60));
  if (!f.fixable) return `${installed} → no fix yet`;
  const fixed =
    f.fixedVersions.length > 0 ? cellCode(truncate(f.fixedVersions.join(', '), 80)) : 'a newer version';
  return `${installed} → ${fixed}`;
}

/** Whether findings of this severity fail the gate (when they count). */
function failsGate(severity: Severity, failOn: Severity | 'never'): boolean {
  return failOn !== 'never' && severityRank(severity) >= severityRank(failOn);
}

function reportNote(scan: ScanInput): (n: number) => string {
  return (n) =>
    `${plural(n, 'more row')} not shown; the full report is ${scan.reportFile ? `${code(scan.reportFile)} (the ${code('scan-report')} output)` : `in the ${code('scan-report')} output`}.`;
}

export function findingsBlock(
  scan: ScanInput,
  options: { heading: string; limit: number },
): TableBlock | undefined {
  const { summary } = scan;
  const all = scan.gate ? scan.gate.top.map((f) => rowOf(f)) : summary.top;
  const total = scan.gate ? all.length : Math.max(all.length, summary.counts.total - summary.counts.ignored);
  if (total === 0) return undefined;
  const rows = firstRows(all, options.limit);
  const platforms = summary.platforms.length > 1;
  return {
    kind: 'table',
    before: options.heading,
    header: [
      'Severity',
      'ID',
      'Package',
      'Installed → fixed',
      'Origin',
      ...(platforms ? ['Platforms'] : []),
      'Title',
    ],
    rows: rows.map((f) => [
      `${failsGate(f.severity, summary.failOn) ? '⛔ ' : ''}${SEVERITY_LABEL[f.severity]}`,
      findingId(f),
      cellCode(truncate(f.packageName, 100)),
      versions(f),
      ORIGIN_LABEL[f.origin],
      ...(platforms ? [escapeMarkdown((f.platforms ?? []).join(', '))] : []),
      escapeMarkdown(truncate(f.title ?? '', 80)),
    ]),
    hidden: total - rows.length,
    more: reportNote(scan),
  };
}

export function ignoredBlock(scan: ScanInput, limit: number): TableBlock | undefined {
  const { summary } = scan;
  const all = scan.gate ? scan.gate.ignored.map((i) => rowOf(i.finding, i.reason)) : summary.ignored;
  const total = scan.gate ? all.length : Math.max(all.length, summary.counts.ignored);
  if (total === 0) return undefined;
  const rows = firstRows(all, limit);
  return {
    kind: 'table',
    before: `<details><summary>Ignored findings (${total.toLocaleString('en-US')}): they do not count for the gate</summary>`,
    header: ['Severity', 'ID', 'Package', 'Installed → fixed', 'Why ignored'],
    rows: rows.map((f) => [
      SEVERITY_LABEL[f.severity],
      findingId(f),
      cellCode(truncate(f.packageName, 100)),
      versions(f),
      escapeProse(truncate(f.reason ?? '', 300)),
    ]),
    hidden: total - rows.length,
    more: reportNote(scan),
    after: '</details>',
  };
}

function gateSentence(scan: ScanInput): string {
  const s = scan.summary;
  const unfixed = s.ignoreUnfixed ? ' Findings without a fixed version do not count (`ignore-unfixed`).' : '';
  if (s.failOn === 'never')
    return `**No gate** (${code('fail-on-severity: never')}): findings are reported only.`;
  if (s.passed)
    return `✅ **Gate passed**: nothing that counts at or above ${code(`fail-on-severity: ${s.failOn}`)}.${unfixed}`;
  return `❌ **Gate failed**: ${plural(s.blocking, 'finding')} at or above ${code(`fail-on-severity: ${s.failOn}`)} that ${s.blocking === 1 ? 'is' : 'are'} not ignored, so the image is not signed.${unfixed}`;
}

function databaseSentence(scan: ScanInput): string {
  const db = scan.summary.database;
  const when = db.updatedAt ? `built ${db.updatedAt.replace(/\.\d+Z$/, 'Z')}` : 'age unknown';
  const age = db.ageHours !== undefined ? ` (${Math.round(db.ageHours)} h old)` : '';
  const java = db.java
    ? ` Java index database: ${db.java.updatedAt ? `built ${db.java.updatedAt.replace(/\.\d+Z$/, 'Z')}, ` : ''}${databaseOrigin(db.java.source)}.`
    : '';
  return `Vulnerability database: ${when}${age}, ${databaseOrigin(db.source)}${db.stale ? ' — ⚠️ stale' : ''}.${java}`;
}

function databaseOrigin(source: ScanInput['summary']['database']['source']): string {
  return source === 'download'
    ? 'downloaded'
    : source === 'restored'
      ? 'restored from the Actions cache'
      : 'from the tool cache';
}

export function severityTable(scan: ScanInput): string {
  const s = scan.summary;
  const rows = SEVERITIES.map((sev) => [
    failsGate(sev, s.failOn) ? `⛔ ${SEVERITY_LABEL[sev]}` : SEVERITY_LABEL[sev],
    String(s.counts[sev]),
    String(s.fixableBySeverity[sev] ?? 0),
  ]);
  rows.push(['**Total**', `**${s.counts.total}**`, `**${s.counts.fixable}**`]);
  return table(['Severity', 'Found', 'Fixable'], rows);
}

export function vulnerabilitiesIntro(scan: ScanInput, heading: string): string {
  const s = scan.summary;
  const platforms = s.platforms.length > 1 ? ` (${s.platforms.map((p) => code(p)).join(', ')})` : '';
  const marks = s.failOn === 'never' ? '' : ' ⛔ marks the severities that fail the gate.';
  const counts = `${plural(s.counts.total, 'vulnerability', 'vulnerabilities')} found, ${s.counts.fixable.toLocaleString('en-US')} fixable, ${s.counts.ignored.toLocaleString('en-US')} ignored.${marks}`;
  return [
    `${heading} · ${escapeMarkdown(s.scanner)} ${escapeMarkdown(s.scannerVersion)}${platforms}`,
    '',
    gateSentence(scan),
    '',
    `${counts} ${databaseSentence(scan)}`,
  ].join('\n');
}

function predicateLabel(type: string): string {
  return type in PREDICATE_TYPE_URI ? PREDICATE_TYPE_URI[type as keyof typeof PREDICATE_TYPE_URI] : type;
}

function signedState(sign: SignResult): string {
  if (sign.signed) return '✅ yes, and verified';
  // A signature exists once the stage got past signing; the `signed` output still says false.
  if (sign.phase === 'attest' || sign.phase === 'verify')
    return `❌ signature made, but the ${sign.phase === 'attest' ? 'attestations failed' : 'check after signing failed'}`;
  return '❌ no';
}

export function signatureBlock(sign: SignResult): string {
  const lines: string[] = ['### Signature', ''];
  const rekor = (index: number | undefined, url: string | undefined): string =>
    index === undefined ? 'no Rekor entry' : link(`Rekor log index ${index}`, url);
  lines.push(
    `- **Image:** ${code(sign.reference)}`,
    `- **Signed:** ${signedState(sign)} (${sign.mode === 'keyless' ? 'keyless' : 'key'})`,
  );
  if (sign.identity) {
    lines.push(`- **Signer:** ${code(sign.identity.identity)}, issuer ${code(sign.identity.issuer)}`);
  } else if (sign.keyRef) {
    lines.push(`- **Key:** ${code(sign.keyRef)}`);
  } else {
    lines.push(
      `- **Key:** the key in ${code('cosign-key')}${sign.publicKey && sign.signed ? ' (public key below)' : ''}`,
    );
  }
  lines.push(`- **Transparency log:** ${rekor(sign.rekorLogIndex, sign.rekorUrl)}`);
  const annotations = Object.entries(sign.annotations);
  if (annotations.length > 0) {
    lines.push(
      `- **Annotations:** ${annotations
        .slice(0, 20)
        .map(([k, v]) => code(`${k}=${truncate(v, 200)}`))
        .join(', ')}`,
    );
  }
  const rows = [
    ...sign.attestations.map((a) => [
      code(a.type),
      code(predicateLabel(a.type)),
      a.verified ? '✅ attached and verified' : '❌ not verified',
      rekor(a.rekorLogIndex, a.rekorUrl),
    ]),
    ...sign.skippedAttestations.map((s) => [
      code(s.kind),
      '',
      `⏭️ skipped: ${escapeProse(truncate(s.reason, 200))}`,
      '',
    ]),
  ];
  if (rows.length > 0)
    lines.push('', table(['Attestation', 'Predicate type', 'Result', 'Transparency log'], rows));
  return lines.join('\n');
}

export function verifyBlock(
  sign: SignResult,
  heading: string,
  withAttestations: boolean,
): string | undefined {
  if (!sign.signed || !sign.verifyCommand) return undefined;
  const parts = [
    heading,
    '',
    `Anyone can check that this digest was signed ${sign.mode === 'keyless' ? 'by this workflow' : 'with this key'} (the ${code('verify-command')} output):`,
    '',
    fenced(sign.verifyCommand, 'sh'),
  ];
  if (sign.publicKey) {
    parts.push(
      '',
      '<details><summary>The public key (save it as <code>cosign.pub</code>)</summary>',
      '',
      fenced(sign.publicKey, 'text'),
      '',
      '</details>',
    );
  }
  const attested = sign.attestations.filter((a) => a.verifyCommand);
  if (withAttestations && attested.length > 0) {
    parts.push(
      '',
      '<details><summary>Verify the attestations</summary>',
      '',
      fenced(attested.map((a) => a.verifyCommand).join('\n\n'), 'sh'),
      '',
      '</details>',
    );
  }
  return parts.join('\n');
}

function toolSource(t: ToolReport): string {
  if (t.source === 'provided') return '⚠️ provided, not verified';
  if (t.source === 'cache') return 'tool cache, re-verified';
  return t.url ? link('downloaded', t.url) : 'downloaded';
}

export function toolsBlock(input: SummaryInput): string | undefined {
  const tools = input.tools;
  if (!tools) return undefined;
  const rows = [tools.cosign, tools.verifier, tools.scanner]
    .filter((t): t is ToolReport => t !== undefined)
    .map((t) => [
      escapeMarkdown(t.name),
      escapeMarkdown(t.version),
      toolSource(t),
      escapeProse(truncate(t.verification.join('; ') || t.note || '', 400)),
      formatDuration(t.durationMs),
    ]);
  return ['### Tools', '', table(['Tool', 'Version', 'Source', 'Verification', 'Time'], rows)].join('\n');
}

export function noticesBlock(input: SummaryInput, limit: number): string | undefined {
  const scan = input.scan?.summary;
  const all = [...input.report.notices, ...(scan?.expiredIgnores ?? []), ...(scan?.warnings ?? [])];
  if (all.length === 0) return undefined;
  const items = [...new Set(all)];
  const shown = items.slice(0, limit).map((n) => `- ${escapeProse(truncate(n, 600), false)}`);
  if (items.length > limit) shown.push(`- … ${plural(items.length - limit, 'more notice')} in the step log`);
  return ['### Notices', '', ...shown].join('\n');
}

export function footer(input: SummaryInput, extra?: string): string | undefined {
  const { github } = input;
  if (!github.repository || !github.runId) return extra ? `<sub>${extra}</sub>` : undefined;
  const run = link(`run ${github.runId}`, runUrl(github));
  const commit = github.sha
    ? ` at ${link(code(github.sha.slice(0, 7)), `${github.serverUrl}/${github.repository}/commit/${github.sha}`)}`
    : '';
  return `<sub>secure-image · ${run}${commit}${extra ? ` · ${extra}` : ''}</sub>`;
}

export const DEFAULT_LIMITS: ReportLimits = { findings: 50, ignored: 50, baseImages: 200, notices: 30 };

export function limitsOf(input: SummaryInput, defaults: ReportLimits): ReportLimits {
  return { ...defaults, ...input.limits };
}

export function compact(blocks: ReadonlyArray<Block | undefined>): Block[] {
  return blocks.filter((b): b is Block => b !== undefined);
}
