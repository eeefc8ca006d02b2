// The README's picture is the full-pass summary as it is rendered now: when the golden changes, the
// stamp beside docs/summary.png no longer matches and this fails until `npm run picture` is run.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PICTURE_SOURCE, PICTURE_STAMP, stampOf } from '../../scripts/summary-picture.js';
import { PROJECT_ROOT } from '../harness/runner.js';

const read = (path: string): string => readFileSync(join(PROJECT_ROOT, path), 'utf8');

describe('docs/summary.png', () => {
  it('was made from the full-pass golden as it is now (else: npm run picture)', () => {
    expect(read(PICTURE_STAMP)).toBe(stampOf(read(PICTURE_SOURCE)));
  });

  it('shows a clean pass, and the README shows it as such', () => {
    expect(read(PICTURE_SOURCE).split('\n')[2]).toMatch(/^\*\*Passed\*\*: /);
    expect(read('README.md')).toContain('![The job summary of a run that passed');
    const png = readFileSync(join(PROJECT_ROOT, 'docs', 'summary.png'));
    expect(png.readUInt32BE(16)).toBe(1280);
  });
});
