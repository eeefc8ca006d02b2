// What a user needs to pin a release: the license, the changelog of the version, the pin line, and a
// release workflow that publishes only after its checks and moves the major tag last.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { pinLine, releaseNotes, repositoryOf } from '../../scripts/release-info.js';
import { PROJECT_ROOT } from '../harness/runner.js';

const read = (...p: string[]): string => readFileSync(join(PROJECT_ROOT, ...p), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; license: string };
const SHA = 'a'.repeat(40);

describe('the pin line', () => {
  it('names the owner of a GitHub origin, the commit and the version', () => {
    expect(pinLine('1.2.3', SHA, 'https://github.com/octo-org/secure-image.git')).toEqual({
      line: `uses: octo-org/secure-image@${SHA} # v1.2.3`,
    });
    expect(repositoryOf('git@github.com:octo-org/secure-image.git')).toBe('octo-org/secure-image');
    expect(repositoryOf('ssh://git@github.com/octo-org/fork/')).toBe('octo-org/fork');
  });

  it('uses a placeholder owner without a GitHub origin, and says so', () => {
    const none = pinLine('1.0.0', SHA, undefined);
    expect(none.line).toBe(`uses: <owner>/secure-image@${SHA} # v1.0.0`);
    expect(none.note).toMatch(/No git remote "origin": <owner> is a placeholder/);
    expect(pinLine('1.0.0', SHA, '/srv/git/secure-image').note).toMatch(
      /\(\/srv\/git\/secure-image\) is not a GitHub repository/,
    );
  });

  it('`npm run pin-line` prints the line for HEAD of a checkout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pin-line-'));
    try {
      const git = (...args: string[]): string =>
        execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
      git('init', '-q');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '3.4.5' }));
      git('add', '.');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'x');
      git('remote', 'add', 'origin', 'https://github.com/someone/secure-image');
      const out = execFileSync(
        join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
        [join(PROJECT_ROOT, 'scripts', 'release-info.ts')],
        { cwd: dir, encoding: 'utf8' },
      );
      expect(out).toBe(`uses: someone/secure-image@${git('rev-parse', 'HEAD')} # v3.4.5\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('release notes', () => {
  it('CHANGELOG.md has a non-empty section for the version in package.json', () => {
    const notes = releaseNotes(read('CHANGELOG.md'), pkg.version);
    expect(notes.length).toBeGreaterThan(100);
    expect(notes).not.toMatch(/^## /m);
  });

  it('a version without a section is refused with what to add', () => {
    expect(() => releaseNotes('# Changelog\n\n## [1.0.0]\n\n- first\n', '1.1.0')).toThrow(
      'CHANGELOG.md has no section "## [1.1.0]": add one before tagging v1.1.0.',
    );
    expect(releaseNotes('## [1.1.0]\n- b\n## [1.0.0]\n- a\n', '1.0.0')).toBe('- a\n');
  });
});

describe('LICENSE', () => {
  it('is the full Apache-2.0 text that package.json names', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = read('LICENSE');
    expect(text).toContain('Apache License');
    expect(text).toContain('Version 2.0, January 2004');
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });
});

describe('the release workflow', () => {
  const workflow = parse(read('.github', 'workflows', 'release.yml')) as {
    on: { push: { tags: string[] } };
    jobs: Record<string, { needs?: string; steps: Array<{ run?: string; if?: string }> }>;
  };

  it('runs on a v* tag and releases only after the checks job', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    const check = workflow.jobs.check?.steps.map((s) => s.run ?? '').join('\n') ?? '';
    expect(check).toContain('bash .ci/run');
    expect(check).toContain('npm run -s release-notes -- "$TAG"');
    expect(workflow.jobs.release?.needs).toBe('check');
    const runs = workflow.jobs.release?.steps.map((s) => s.run ?? '') ?? [];
    const create = runs.findIndex((r) => r.includes('gh release create'));
    const move = runs.findIndex((r) => r.includes('refs/tags/$major'));
    expect(create).toBeGreaterThan(-1);
    expect(move).toBeGreaterThan(create);
  });

  it('.ci/run checks that dist/ is a fresh bundle', () => {
    expect(read('.ci', 'run')).toContain("dist/ differs from a fresh 'npm run bundle'");
  });
});

describe('README', () => {
  it('shows the pinned form of uses and no tag-only use of this action', () => {
    const readme = read('README.md');
    expect(readme).toContain('uses: <owner>/secure-image@<sha> # v1.x.y');
    expect(readme).not.toMatch(/uses: [\w-]+\/secure-image@v\d/);
    expect(readme).toContain('npm run pin-line');
  });
});
