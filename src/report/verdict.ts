import type { RunReport } from '../report/run-report.js';
import type { ScanSummary } from '../scan/scan-target.js';
import type { SignResult } from '../sign/signing.js';
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
}

/** The one-line answer a maintainer reads first: did it pass, where did it stop, what is true of the image. */
export function overallVerdict(input: VerdictInput): Verdict {
  const { report, scan, sign } = input;
  const stage = (id: Parameters<RunReport['stages']['get']>[0]) => report.stages.get(id);
  const facts: string[] = [];

  const base = stage('base-images');
  if (base?.status === 'passed') facts.push('base images verified');
  else if (base?.status === 'warning') facts.push('base images checked, with warnings');
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
    // A message of several lines is shown whole under the headline; one line fits in it.
    const said = lines.length > 1 ? '' : ` ${escapeProse(truncate(lines[0] ?? '', 300), false)}`;
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
  return {
    level,
    icon,
    word,
    facts,
    line: `**${word}**${facts.length > 0 ? `: ${facts.join('; ')}.` : ''}`,
  };
}
