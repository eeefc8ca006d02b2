// `npm test` stays short: the action's log (core.info, ::debug::, the dist runs' output) is printed only
// for a failing test, and ::debug:: lines only in debug mode, as on GitHub.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../harness/runner.js';

function jestOnFixture(env: Record<string, string>): string {
  const result = spawnSync(
    process.execPath,
    [
      join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--testMatch',
      '**/harness-selftest/fixtures/action-log.fixture.ts',
      '--reporters',
      'default',
      '--ci',
    ],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning',
        ...env,
      },
    },
  );
  expect(result.status).toBe(1);
  return `${result.stdout}${result.stderr}`;
}

describe('the action log in test output', () => {
  it("prints the failing test's log only, without ::debug:: lines, its commands defused", () => {
    const out = jestOnFixture({});
    expect(out).toContain(
      [
        '── the action\'s log of "a failing test" ──',
        'log of the failing test',
        '[test] ::error::an error of the failing test',
        'console of the failing test',
        '── end of that log ──',
      ].join('\n'),
    );
    expect(out).not.toContain('log of the passing test');
    expect(out).not.toContain('console of the passing test');
    expect(out).not.toContain('::debug::');
  });

  it('with RUNNER_DEBUG=1 everything goes through, ::debug:: lines included', () => {
    const out = jestOnFixture({ RUNNER_DEBUG: '1' });
    expect(out).toContain('log of the passing test');
    expect(out).toContain('[test] ::debug::debug of the passing test');
    expect(out).toContain('[test] ::debug::debug of the failing test');
  });
});
