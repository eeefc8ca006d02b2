import { renderWithin } from './budget.js';
import type { SummaryInput } from './input.js';
import { plural } from './markdown.js';
import {
  baseImagesBlock,
  compact,
  findingsBlock,
  footer,
  headline,
  isProblem,
  limitsOf,
  severityTable,
  stageTable,
  verifyBlock,
  vulnerabilitiesIntro,
} from './sections.js';
import { verdictOf } from './verdict.js';

/**
 * GitHub refuses a comment over 65,536 characters. Bytes are never fewer than UTF-16 characters, so a
 * byte budget under that keeps the comment under it, with room for the marker `postPrComment` adds.
 */
export const COMMENT_MAX_BYTES = 60_000;

/**
 * The PR comment: the summary condensed to what a reviewer acts on (verdict, stages, the base images
 * that need a change, the vulnerability counts and the top few findings, the verify command), with a
 * link to the job summary for the rest. Pure, like the summary.
 */
export function renderPrComment(input: SummaryInput): string {
  const limits = limitsOf(input, { findings: 5, ignored: 0, baseImages: 20, notices: 0 });
  const verdict = verdictOf(input);
  const scan = input.scan;
  const problems = (input.baseImages ?? []).filter(isProblem);
  const blocks = compact([
    headline(input, verdict, '###', 15),
    stageTable(input.report),
    baseImagesBlock(input, {
      heading: `#### ${problems.length === 1 ? 'A base image needs' : `${plural(problems.length, 'base image')} need`} attention`,
      onlyProblems: true,
      limit: limits.baseImages,
    }),
    scan ? vulnerabilitiesIntro(scan, '#### Vulnerabilities') : undefined,
    scan ? severityTable(scan) : undefined,
    scan ? findingsBlock(scan, { heading: '**Top findings**', limit: limits.findings }) : undefined,
    input.sign ? verifyBlock(input.sign, '#### Verify it yourself', false) : undefined,
    footer(input, "the run's job summary has the full report"),
  ]);
  return renderWithin(blocks, input.maxBytes ?? COMMENT_MAX_BYTES);
}
