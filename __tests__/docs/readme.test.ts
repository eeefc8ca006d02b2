// The README and action.yml are the interface a user reads; they must say the same thing, and both
// must keep every name of the interface contract.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderReadme } from '../../scripts/readme-tables.js';
import { validateActionFile, validateWorkflowFile } from '../../scripts/validate-actions.js';
import { PROJECT_ROOT } from '../harness/runner.js';

const read = (...p: string[]): string => readFileSync(join(PROJECT_ROOT, ...p), 'utf8');
const actionYml = read('action.yml');
const action = parse(actionYml) as {
  inputs: Record<string, { default?: string; description?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

// The names in ../shared/design/INTERFACE.md, the contract this action keeps.
const CONTRACT_INPUTS = [
  'image',
  'tags',
  'context',
  'file',
  'build-args',
  'target',
  'platforms',
  'labels',
  'push',
  'build',
  'digest',
  'builder',
  'verify-base-images',
  'trust-policy',
  'pin-base-images',
  'digest-pinning',
  'scanner',
  'fail-on-severity',
  'ignore-unfixed',
  'ignore-file',
  'vex',
  'sign',
  'cosign-key',
  'cosign-password',
  'signature-annotations',
  'attest',
  'cosign-version',
  'scanner-version',
  'cosign-path',
  'scanner-path',
  'tool-mirror',
  'summary',
  'annotate',
  'pr-comment',
  'github-token',
  'registry-username',
  'registry-password',
];
const CONTRACT_OUTPUTS = [
  'digest',
  'image-ref',
  'tags',
  'base-images',
  'vulnerabilities',
  'scan-passed',
  'scan-report',
  'sarif-file',
  'sbom-file',
  'signed',
  'verify-command',
];
const BOOLEAN_INPUTS = [
  'push',
  'build',
  'pin-base-images',
  'ignore-unfixed',
  'sign',
  'summary',
  'annotate',
  'pr-comment',
];

describe('action.yml', () => {
  it('declares every input and output of the interface contract', () => {
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(CONTRACT_INPUTS));
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(CONTRACT_OUTPUTS));
  });

  it('gives every boolean input a default, and every input a description', () => {
    for (const name of BOOLEAN_INPUTS)
      expect([name, action.inputs[name]?.default]).toEqual([name, expect.stringMatching(/^(true|false)$/)]);
    for (const [name, spec] of Object.entries(action.inputs))
      expect([name, (spec.description ?? '').length > 10]).toEqual([name, true]);
  });

  it("runs dist/index.js on node24 and passes GitHub's own action schema", () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(validateActionFile('action.yml', actionYml)).toEqual([]);
  });

  it("every workflow passes GitHub's workflow schema, and pins third-party actions by commit", async () => {
    const dir = join(PROJECT_ROOT, '.github', 'workflows');
    for (const file of readdirSync(dir)) {
      const text = read('.github', 'workflows', file);
      expect([file, await validateWorkflowFile(file, text)]).toEqual([file, []]);
      for (const [, ref] of text.matchAll(/uses:\s*([^\s#]+)/g)) {
        if (ref?.startsWith('./')) continue;
        expect([file, ref]).toEqual([file, expect.stringMatching(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)]);
      }
    }
  });
});

describe('README', () => {
  it('has the input and output tables of action.yml, exactly (npm run docs)', () => {
    const readme = read('README.md');
    expect(renderReadme(readme, actionYml)).toBe(readme);
  });

  it('gives the two commands of a fresh machine, and they exist', () => {
    const readme = read('README.md');
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(readme).toContain('npm run demo');
    expect(readme).toContain('npm test');
    expect(pkg.scripts.demo).toBeDefined();
    expect(read('.ci', 'run')).toMatch(/\nnpm test\n/);
  });
});
