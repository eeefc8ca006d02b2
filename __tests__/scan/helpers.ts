import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/scan/finding.js';

export const UPSTREAM = fileURLToPath(new URL('../fixtures/upstream/', import.meta.url));

export function readUpstream(relative: string): string {
  return readFileSync(join(UPSTREAM, relative), 'utf8');
}

export const TRIVY_FIXTURES = readdirSync(join(UPSTREAM, 'trivy'))
  .filter((f) => f.endsWith('.json.golden'))
  .sort();
export const GRYPE_FIXTURES = readdirSync(join(UPSTREAM, 'grype'))
  .filter((f) => f.endsWith('.json'))
  .sort();

/** A finding with every field set to something plain; tests override what they are about. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'CVE-2000-0001',
    aliases: [],
    severity: 'high',
    packageName: 'pkg',
    installedVersion: '1.0.0',
    fixedVersions: ['1.0.1'],
    fixState: 'fixed',
    origin: 'unknown',
    cvss: [],
    ...overrides,
  };
}
