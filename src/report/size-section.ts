import { formatBytes, type PlatformSize } from '../registry/image-size.js';
import { cellCode, code, escapeProse, table, truncate } from './markdown.js';

/** What the summary shows of the image's size: the `image-size` output, and the budget it was held to. */
export interface SizeReport {
  platforms: readonly PlatformSize[];
  /** `size-budget` as given, when one was. */
  budget?: string;
  /** The platforms over the budget, one sentence each. */
  over: readonly string[];
}

/**
 * `### Image size`: per platform the compressed image, its final base image and what the build added; then the
 * largest added layers of each platform with the instruction that made them.
 */
export function sizeBlock(size: SizeReport, heading = '### Image size'): string | undefined {
  if (size.platforms.length === 0) return undefined;
  const rows = size.platforms.map((p) => [
    cellCode(p.platform || 'unknown'),
    formatBytes(p.size),
    p.base ? `${cellCode(truncate(p.base.image, 80))} ${formatBytes(p.base.size)}` : 'unknown',
    p.base ? `+${formatBytes(p.added)}` : formatBytes(p.added),
  ]);
  const parts = [
    heading,
    '',
    'Compressed, as the registry holds it.',
    '',
    table(['platform', 'image', 'base image', 'added by the build'], rows),
  ];
  if (size.over.length > 0) {
    parts.push('', ...size.over.map((o) => `- ⚠️ ${escapeProse(o, false)}`));
  } else if (size.budget !== undefined) {
    parts.push('', `Within the size budget of ${code(size.budget)}.`);
  }
  for (const p of size.platforms) {
    if (p.largestAdded.length === 0) continue;
    parts.push(
      '',
      `Largest layers the build added${size.platforms.length > 1 ? ` (${code(p.platform)})` : ''}:`,
      '',
      table(
        ['size', 'instruction'],
        p.largestAdded.map((l) => [
          formatBytes(l.size),
          l.instruction ? cellCode(truncate(l.instruction, 120)) : 'unknown (no history)',
        ]),
      ),
    );
  }
  return parts.join('\n');
}
