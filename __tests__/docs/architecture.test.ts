// The layering docs/architecture.md describes, checked on the source: no import from a lower layer to a higher
// one, no stage glue imported by a domain folder, and every folder of src/ named on the page.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../harness/runner.js';

const SRC = join(PROJECT_ROOT, 'src');
const DOMAIN = ['dockerfile', 'policy', 'registry', 'cosign', 'tools', 'build', 'scan', 'sign', 'report'];
const LAYER: Record<string, number> = {
  util: 0,
  image: 1,
  'github-context.ts': 1,
  ...Object.fromEntries(DOMAIN.map((d) => [d, 2])),
  config: 3,
  stages: 4,
  'main.ts': 5,
  'index.ts': 5,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level part of src/ a file is in: its folder, or the file itself. */
function unitOf(path: string): string {
  return relative(SRC, path).split('/')[0] ?? '';
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
    resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts')),
  );
}

describe('src/ layering', () => {
  const edges = files(SRC).flatMap((file) =>
    importsOf(file).map((target) => ({ from: unitOf(file), to: unitOf(target), file: relative(SRC, file) })),
  );

  it('every part of src/ has a layer', () => {
    expect(readdirSync(SRC).filter((name) => LAYER[name] === undefined)).toEqual([]);
  });

  it('no import runs from a lower layer to a higher one', () => {
    const upward = edges.filter((e) => (LAYER[e.to] ?? 0) > (LAYER[e.from] ?? 0));
    expect(upward.map((e) => `${e.file} → ${e.to}`)).toEqual([]);
  });

  it('domain folders import no stage, no config and no main', () => {
    const bad = edges.filter(
      (e) => DOMAIN.includes(e.from) && ['stages', 'config', 'main.ts'].includes(e.to),
    );
    expect(bad.map((e) => `${e.file} → ${e.to}`)).toEqual([]);
  });

  it('docs/architecture.md names every folder of src/', () => {
    const page = readFileSync(join(PROJECT_ROOT, 'docs', 'architecture.md'), 'utf8');
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    expect(folders.filter((f) => !page.includes(`\`${f}/\``))).toEqual([]);
  });

  it('main.ts is the schedule only', () => {
    const main = readFileSync(join(SRC, 'main.ts'), 'utf8');
    expect(main.split('\n').length).toBeLessThan(150);
    expect(readdirSync(join(SRC, 'stages')).sort()).toEqual(
      expect.arrayContaining([
        'attest.ts',
        'base-images.ts',
        'build.ts',
        'publish.ts',
        'scan.ts',
        'sign.ts',
        'tools.ts',
        'verify.ts',
        'report.ts',
      ]),
    );
  });
});
