// The summary as a maintainer sees it: a golden rendered to a page like GitHub's and photographed by
// headless Chromium into test-artifacts/, where CI keeps it for a person to look at.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, renderSummaryPng, summaryPage } from '../../scripts/render-summary.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(HERE, '..', '..', 'test-artifacts');
const golden = (name: string): string => readFileSync(join(HERE, 'golden', name), 'utf8');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('summaryPage', () => {
  it('is a page that loads nothing and runs only its own measuring script', () => {
    const page = summaryPage(golden('gate-failure.md'), 'image <summary>');
    expect(page).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/=]+'">/,
    );
    expect(page).toContain('<title>image &lt;summary&gt;</title>');
    expect(page).not.toMatch(/<[a-z][^>]*\ssrc=/i);
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).toContain('<table>');
  });
});

const chromium = existsSync(CHROMIUM);
const maybe = chromium ? it : it.skip;
if (!chromium) {
  process.stderr.write(`NOTE: ${CHROMIUM} is not installed: the summary screenshot test is skipped.\n`);
}

describe('summary screenshot', () => {
  maybe(
    `renders the full-pass golden to test-artifacts/summary-full-pass.png${chromium ? '' : ` (skipped: no ${CHROMIUM})`}`,
    async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const out = join(ARTIFACTS, 'summary-full-pass.png');
      const html = join(ARTIFACTS, 'summary-full-pass.html');
      const { width, height } = await renderSummaryPng(golden('full-pass.md'), out, { htmlOut: html });
      expect(pngSize(out)).toEqual({ width, height });
      expect(width).toBe(1200);
      // The whole summary, not the first screenful: eight stages, five tables and the verify block.
      expect(height).toBeGreaterThan(1500);
      expect(readFileSync(html, 'utf8')).toContain('Verify it yourself');
    },
  );
});
