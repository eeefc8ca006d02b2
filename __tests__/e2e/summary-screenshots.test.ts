// The job summaries of real end-to-end runs, rendered as GitHub would and photographed in headless
// Chromium into test-artifacts/, so a person can look at what a maintainer sees after a pass and a fail.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, renderSummaryPng } from '../../scripts/render-summary.js';
import { PROJECT_ROOT } from '../harness/runner.js';
import { startOfflineWorld, type OfflineWorld } from './offline-world.js';

const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts');
const chromium = existsSync(CHROMIUM);
const maybe = chromium ? it : it.skip;
if (!chromium)
  process.stderr.write(`NOTE: ${CHROMIUM} is not installed: the e2e summary screenshots are skipped.\n`);

let world: OfflineWorld;

beforeAll(async () => {
  world = await startOfflineWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('e2e job summaries, as a maintainer sees them', () => {
  maybe('a release that passes every stage', async () => {
    const result = await world.run({
      inputs: { image: `${world.registry.host}/acme/shot-pass`, tags: '1.0.0' },
    });
    expect(result.exitCode).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    const out = join(ARTIFACTS, 'e2e-summary-pass.png');
    const html = join(ARTIFACTS, 'e2e-summary-pass.html');
    const { height } = await renderSummaryPng(result.summary, out, { htmlOut: html });
    expect(height).toBeGreaterThan(1000);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Verify it yourself');
    // Only the page's own measuring script: nothing from the summary became a script.
    expect(page.match(/<script/g)).toHaveLength(1);
  });

  maybe('a release stopped by an unsigned base image', async () => {
    const result = await world.run({
      inputs: { image: `${world.registry.host}/acme/shot-fail` },
      scenario: { cosign: { signedImages: [] } },
    });
    expect(result.exitCode).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    const out = join(ARTIFACTS, 'e2e-summary-unsigned-base.png');
    const html = join(ARTIFACTS, 'e2e-summary-unsigned-base.html');
    await renderSummaryPng(result.summary, out, { htmlOut: html });
    expect(readFileSync(html, 'utf8')).toMatch(/Failed<\/strong> at Base images/);
  });
});
