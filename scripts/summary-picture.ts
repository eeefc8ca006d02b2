// `npm run picture`: docs/summary.png, the README's picture, from the full-pass golden (the recommended
// path: keyless signing, tools downloaded and verified), and beside it the SHA-256 of the markdown it
// shows, so a test can tell when the golden changed and the picture did not.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSummaryPng } from './render-summary.js';

export const PICTURE = join('docs', 'summary.png');
export const PICTURE_SOURCE = join('__tests__', 'report', 'golden', 'full-pass.md');
export const PICTURE_STAMP = join('docs', 'summary.png.sha256');

/** What the stamp says for a markdown source: its SHA-256 and its path. */
export function stampOf(markdown: string): string {
  return `${createHash('sha256').update(markdown).digest('hex')}  ${PICTURE_SOURCE}\n`;
}

async function main(): Promise<void> {
  const markdown = readFileSync(PICTURE_SOURCE, 'utf8');
  const { width, height } = await renderSummaryPng(markdown, PICTURE, {
    title: 'secure-image job summary',
    width: 1280,
  });
  writeFileSync(PICTURE_STAMP, stampOf(markdown));
  console.log(`${PICTURE}: ${width}×${height}, from ${PICTURE_SOURCE}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
