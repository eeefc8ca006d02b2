import type { GithubContext } from '../github-context.js';
import type { BaseImageEntry } from '../pipeline/base-images.js';
import type { RunReport, StageStatus } from '../pipeline/report.js';
import type { InstallResult } from '../tools/install.js';
import { code, escapeCell, escapeMarkdown, formatDuration, table } from './markdown.js';

const STATUS_LABEL: Record<StageStatus, string> = {
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

export interface SummaryInput {
  report: RunReport;
  /** What the run is about: the pushed reference, or the local name. */
  subject: string;
  baseImages?: readonly BaseImageEntry[];
  tools?: InstallResult;
  dockerfile: string;
  github: GithubContext;
}

/** A link to a line of the Dockerfile at the commit that was built. */
function lineLink(input: SummaryInput, line: number): string {
  const { github } = input;
  if (!github.repository || !github.sha || input.dockerfile.startsWith('/')) return String(line);
  return `[${line}](${github.serverUrl}/${github.repository}/blob/${github.sha}/${input.dockerfile.split('/').map(encodeURIComponent).join('/')}#L${line})`;
}

function shortDigest(digest: string | null): string {
  return digest ? code(`${digest.slice(0, 19)}…`) : '';
}

/** The job summary as markdown. Pure: the writer decides where it goes. */
export function renderSummary(input: SummaryInput): string {
  const { report, subject } = input;
  const failed = report.failure !== undefined;
  const failedStage = report.failure?.stage ? report.stages.get(report.failure.stage)?.title : undefined;
  const verdict = failed
    ? `❌ **Failed**${failedStage ? ` at ${escapeMarkdown(failedStage)}` : ''}`
    : '✅ **Passed**';
  const parts: string[] = [`## secure-image: ${code(subject)}`, '', verdict, ''];
  if (report.failure) parts.push('```text', report.failure.message.replace(/```/g, "'''"), '```', '');

  parts.push(
    table(
      ['Stage', 'Result', 'Time', 'Details'],
      report
        .list()
        .map((s) => [s.title, STATUS_LABEL[s.status], formatDuration(s.durationMs), escapeCell(s.detail)]),
    ),
  );

  if (input.baseImages && input.baseImages.length > 0) {
    parts.push(
      '',
      `### Base images (${escapeMarkdown(input.dockerfile)})`,
      '',
      table(
        ['Stage', 'Line', 'Image', 'Digest', 'Rule', 'Signer', 'Status'],
        input.baseImages.map((e) => [
          escapeMarkdown(e.stage ?? (e.kind === 'syntax' ? '# syntax' : '')),
          lineLink(input, e.line),
          code(e.image ?? e.ref),
          shortDigest(e.digest),
          escapeMarkdown(e.rule ?? ''),
          e.signer ? escapeMarkdown(`${e.signer.identity} (${e.signer.issuer})`) : '',
          `${BASE_STATUS[e.status]}${e.reason && e.status !== 'verified' ? `: ${escapeCell(e.reason)}` : ''}`,
        ]),
      ),
    );
  }

  if (input.tools) {
    const rows = [input.tools.cosign, input.tools.verifier, input.tools.scanner]
      .filter((t) => t !== undefined)
      .map((t) => [
        escapeMarkdown(t.name),
        escapeMarkdown(t.version),
        t.source === 'provided'
          ? '⚠️ provided, not verified'
          : t.source === 'cache'
            ? 'tool cache (re-verified)'
            : 'downloaded',
        escapeMarkdown(t.verification.join('; ') || t.note || ''),
        formatDuration(t.durationMs),
      ]);
    parts.push('', '### Tools', '', table(['Tool', 'Version', 'Source', 'Verification', 'Time'], rows));
  }

  if (report.notices.length > 0) {
    parts.push('', '**Notices**', '', ...report.notices.map((n) => `- ${escapeCell(n)}`));
  }
  return parts.join('\n') + '\n';
}
