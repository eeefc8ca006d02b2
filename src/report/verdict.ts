import type { BaseImageEntry } from '../policy/entries.js';
import type { RunReport } from '../report/run-report.js';
import type { ScanSummary } from '../scan/scan-target.js';
import type { SignResult } from '../sign/signing.js';
import type { InstallResult } from '../tools/install.js';
import type { SummaryInput } from './input.js';
import { escapeMarkdown, escapeProse, plural, truncate } from './markdown.js';

export type VerdictLevel = 'passed' | 'warning' | 'failed';

export interface Verdict {
  level: VerdictLevel;
  icon: string;
  /** `Passed`, `Passed with warnings`, `Failed`. */
  word: string;
  /** What the run established, one short phrase per stage that said something (markdown). */
  facts: string[];
  /** The line under the heading (which has the icon): bold word, where it failed or what it established (markdown). */
  line: string;
}

export interface VerdictInput {
  report: RunReport;
  scan?: Pick<ScanSummary, 'passed' | 'failOn' | 'blocking' | 'counts'>;
  sign?: Pick<SignResult, 'signed' | 'attestations'>;
  /** With these, a warning names its reasons: the unpinned lines, the images no rule matched, the unverified tools. */
  baseImages?: readonly BaseImageEntry[];
  tools?: InstallResult;
  digestPinning?: 'off' | 'warn' | 'enforce';
}

/** The verdict of what the summary and the comment show. */
export function verdictOf(input: SummaryInput): Verdict {
  return overallVerdict({
    report: input.report,
    ...(input.scan ? { scan: input.scan.summary } : {}),
    ...(input.sign ? { sign: input.sign } : {}),
    ...(input.baseImages ? { baseImages: input.baseImages } : {}),
    ...(input.tools ? { tools: input.tools } : {}),
    ...(input.digestPinning ? { digestPinning: input.digestPinning } : {}),
  });
}

const KIND_NAME: Record<BaseImageEntry['kind'], [string, string]> = {
  from: ['FROM line', 'FROM lines'],
  'copy-from': ['COPY --from image', 'COPY --from images'],
  'mount-from': ['RUN --mount image', 'RUN --mount images'],
  syntax: ['# syntax image', '# syntax images'],
  context: ['build-contexts image', 'build-contexts images'],
};

/** Why a run that passed has warnings, one short phrase each, in the order a reader fixes them. */
export function warningReasons(input: VerdictInput): string[] {
  const reasons: string[] = [];
  const entries = input.baseImages ?? [];
  const failedHere = entries.filter((e) => e.status === 'failed' || e.status === 'unresolved');
  if (failedHere.length > 0 && !input.report.failure)
    reasons.push(`${plural(failedHere.length, 'base image')} not trusted (\`verify-base-images: warn\`)`);
  const unmatched = entries.filter((e) => e.status === 'unmatched');
  if (unmatched.length > 0)
    reasons.push(`${plural(unmatched.length, 'base image matches', 'base images match')} no policy rule`);
  if (input.digestPinning !== 'off') {
    const unpinned = entries.filter((e) => !e.pinned && e.status !== 'unresolved');
    for (const kind of Object.keys(KIND_NAME) as Array<BaseImageEntry['kind']>) {
      const n = unpinned.filter((e) => e.kind === kind).length;
      const [one, many] = KIND_NAME[kind];
      if (n > 0) reasons.push(`${plural(n, one, many)} not pinned`);
    }
  }
  const fromBaseImages = reasons.length;
  for (const t of [input.tools?.cosign, input.tools?.scanner]) {
    if (t?.source === 'provided') reasons.push(`${t.name} provided, not verified`);
  }
  const fromTools = reasons.length - fromBaseImages;
  // A stage that warned for a reason the lists above do not know says it in its own words.
  for (const s of input.report.list()) {
    if (s.status !== 'warning') continue;
    if (s.id === 'base-images' && fromBaseImages > 0) continue;
    if (s.id === 'tools' && fromTools > 0) continue;
    reasons.push(`${s.title}: ${truncate(s.detail.split('; ')[0] ?? s.detail, 120)}`);
  }
  return reasons.map((r) => escapeProse(r, false));
}

/** The one-line answer a maintainer reads first: did it pass, where did it stop, what is true of the image. */
export function overallVerdict(input: VerdictInput): Verdict {
  const { report, scan, sign } = input;
  const stage = (id: Parameters<RunReport['stages']['get']>[0]) => report.stages.get(id);
  const facts: string[] = [];

  const base = stage('base-images');
  if (base?.status === 'passed') facts.push('base images verified');
  else if (base?.status === 'warning') facts.push('base images checked');
  else if (base?.status === 'skipped') facts.push('base images not checked');

  if (scan) {
    if (scan.failOn === 'never')
      facts.push(`${plural(scan.counts.total, 'vulnerability', 'vulnerabilities')} (no gate)`);
    else if (scan.passed) facts.push(`no vulnerability at or above ${scan.failOn} that counts`);
    else
      facts.push(`${plural(scan.blocking, 'vulnerability', 'vulnerabilities')} at or above ${scan.failOn}`);
  } else if (stage('scan')?.status === 'skipped') {
    facts.push('not scanned');
  }

  if (stage('push')?.status === 'skipped' && !sign?.signed) facts.push('not pushed');
  if (sign?.signed) {
    const n = sign.attestations.length;
    facts.push(`signed${n > 0 ? ` with ${plural(n, 'attestation')}` : ''}, and verified`);
  } else if (stage('sign')?.status === 'skipped' && stage('push')?.status !== 'skipped') {
    facts.push('not signed');
  }

  if (report.failure) {
    const where = report.failure.stage ? report.stages.get(report.failure.stage)?.title : undefined;
    const lines = report.failure.message.split('\n');
    // A message of several lines is shown whole under the headline; one line fits in it. The base images that
    // failed are listed from their entries (each with its next step), so the line keeps only the count.
    const first = (lines[0] ?? '').replace(/:$/, '');
    const said =
      lines.length > 1 && !(report.failure.stage === 'base-images' && failingBaseImages(input).length > 0)
        ? ''
        : ` ${escapeProse(truncate(first, 300), false)}${lines.length > 1 ? '.' : ''}`;
    return {
      level: 'failed',
      icon: '❌',
      word: 'Failed',
      facts,
      line: `**Failed**${where ? ` at ${escapeMarkdown(where)}` : ''}:${said}`,
    };
  }
  const warned = report.list().some((s) => s.status === 'warning' || s.status === 'failed');
  const level: VerdictLevel = warned ? 'warning' : 'passed';
  const icon = warned ? '⚠️' : '✅';
  const word = warned ? 'Passed with warnings' : 'Passed';
  const reasons = warned ? warningReasons(input) : [];
  const established = facts.length > 0 ? `${facts.join('; ')}.` : '';
  const line =
    reasons.length > 0
      ? `**${word}**: ${reasons.join('; ')}.${established ? ` Otherwise: ${established}` : ''}`
      : `**${word}**${established ? `: ${established}` : ''}`;
  return { level, icon, word, facts, line };
}

/** The base images that made the base-image stage fail: not trusted, not resolved, or matched by no rule under `deny`. */
export function failingBaseImages(input: Pick<VerdictInput, 'report' | 'baseImages'>): BaseImageEntry[] {
  if (input.report.failure?.stage !== 'base-images') return [];
  return (input.baseImages ?? []).filter(
    (e) =>
      e.status === 'failed' ||
      e.status === 'unresolved' ||
      (e.status === 'unmatched' && (e.reason ?? '').includes('unmatched: deny')),
  );
}
