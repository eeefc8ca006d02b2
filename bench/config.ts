// A Config for benchmarks, read the way the action reads it: action.yml's defaults, the inputs given here, and a
// GitHub context for a workspace on this machine.
import { tmpdir } from 'node:os';
import { actionDefaults } from '../__tests__/harness/runner.js';
import { readConfig, type Config } from '../src/config/index.js';
import type { GithubContext } from '../src/github-context.js';

export function benchConfig(workspace: string, inputs: Record<string, string>): Config {
  const github: GithubContext = {
    repository: 'acme/hello',
    sha: '0123456789abcdef0123456789abcdef01234567',
    ref: 'refs/heads/main',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    runId: '1',
    runAttempt: '1',
    eventName: 'push',
    eventPath: '',
    workspace,
    runnerOs: 'Linux',
    runnerArch: 'X64',
    runnerTemp: tmpdir(),
    toolCache: tmpdir(),
  };
  const values: Record<string, string> = { ...actionDefaults(), 'github-token': 'ghs_bench', ...inputs };
  return readConfig(
    (name) => values[name] ?? '',
    github,
    () => undefined,
    workspace,
  );
}
