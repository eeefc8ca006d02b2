import { renderWithin } from './budget.js';
import type { SummaryInput } from './input.js';
import {
  DEFAULT_LIMITS,
  baseImagesBlock,
  compact,
  findingsBlock,
  footer,
  headline,
  ignoredBlock,
  limitsOf,
  noticesBlock,
  severityTable,
  signatureBlock,
  stageTable,
  toolsBlock,
  verifyBlock,
  vulnerabilitiesIntro,
} from './sections.js';
import { baseUpdatesBlock } from './base-updates-section.js';
import { sizeBlock } from './size-section.js';
import { verdictOf } from './verdict.js';

export type { ReportLimits, ScanInput, SummaryInput } from './input.js';

/** GitHub refuses a step summary over 1 MiB; 64 KiB stay free for anything else the step appends. */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 64 * 1024;

/**
 * The job summary as markdown. Pure: the writer decides where it goes. Every value a user or a tool
 * controls is escaped or in a code span; the result is at most `maxBytes` whatever the report holds.
 */
export function renderSummary(input: SummaryInput): string {
  const limits = limitsOf(input, DEFAULT_LIMITS);
  const verdict = verdictOf(input);
  const scan = input.scan;
  const blocks = compact([
    headline(input, verdict, '##', 40),
    stageTable(input.report),
    baseImagesBlock(input, { heading: '### Base images', onlyProblems: false, limit: limits.baseImages }),
    input.baseUpdates ? baseUpdatesBlock(input.baseUpdates) : undefined,
    input.size ? sizeBlock(input.size) : undefined,
    scan ? vulnerabilitiesIntro(scan, '### Vulnerabilities') : undefined,
    scan ? severityTable(scan) : undefined,
    scan ? findingsBlock(scan, { heading: '#### Top findings', limit: limits.findings }) : undefined,
    scan ? ignoredBlock(scan, limits.ignored) : undefined,
    input.sign ? signatureBlock(input.sign) : undefined,
    input.sign ? verifyBlock(input.sign, '### Verify it yourself', true) : undefined,
    toolsBlock(input),
    noticesBlock(input, limits.notices),
    footer(input),
  ]);
  return renderWithin(blocks, input.maxBytes ?? SUMMARY_MAX_BYTES);
}
