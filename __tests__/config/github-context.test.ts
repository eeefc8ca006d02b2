import { describe, expect, it } from '@jest/globals';
import { readGithubContext } from '../../src/github-context.js';
import { resolvePlatform } from '../../src/tools/platform.js';

const noEvent = (): unknown => ({});

describe('readGithubContext: the runner platform', () => {
  it('takes RUNNER_OS and RUNNER_ARCH as the runner sets them', () => {
    const ctx = readGithubContext({ RUNNER_OS: 'macOS', RUNNER_ARCH: 'ARM64' }, noEvent, '/w', {
      platform: 'linux',
      arch: 'x64',
    });
    expect([ctx.runnerOs, ctx.runnerArch]).toEqual(['macOS', 'ARM64']);
  });

  it.each([
    ['linux', 'x64', 'Linux', 'X64'],
    ['linux', 'arm64', 'Linux', 'ARM64'],
    ['darwin', 'arm64', 'macOS', 'ARM64'],
    ['win32', 'x64', 'Windows', 'X64'],
  ])(
    'run by hand on %s/%s (no RUNNER_OS, RUNNER_ARCH): %s %s, as a runner there would say',
    (platform, arch, os, cpu) => {
      const ctx = readGithubContext({ RUNNER_OS: '', RUNNER_ARCH: '' }, noEvent, '/w', { platform, arch });
      expect([ctx.runnerOs, ctx.runnerArch]).toEqual([os, cpu]);
    },
  );

  it('a machine no runner comes in is named as it is, and the tool install refuses it by that name', () => {
    const ctx = readGithubContext({}, noEvent, '/w', { platform: 'freebsd', arch: 'riscv64' });
    expect([ctx.runnerOs, ctx.runnerArch]).toEqual(['freebsd', 'riscv64']);
    expect(() => resolvePlatform(ctx.runnerOs, ctx.runnerArch)).toThrow(/freebsd/);
  });
});
