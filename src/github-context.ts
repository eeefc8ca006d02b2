/** What the runner tells every step about the run, read once from its environment. */
export interface GithubContext {
  repository: string;
  sha: string;
  ref: string;
  serverUrl: string;
  apiUrl: string;
  runId: string;
  runAttempt: string;
  eventName: string;
  eventPath: string;
  workspace: string;
  runnerOs: string;
  runnerArch: string;
  runnerTemp: string;
  toolCache: string;
  /** The pull request number on pull_request events, from the event payload. */
  pullRequest?: number;
}

/** Node's names for the platforms GitHub runners come in, spelled as RUNNER_OS and RUNNER_ARCH spell them. */
const RUNNER_OS_OF: Partial<Record<string, string>> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };
const RUNNER_ARCH_OF: Partial<Record<string, string>> = {
  x64: 'X64',
  arm64: 'ARM64',
  arm: 'ARM',
  ia32: 'X86',
};

export function readGithubContext(
  env: NodeJS.ProcessEnv,
  readEvent: (path: string) => unknown,
  cwd: string,
  machine: { platform: string; arch: string } = process,
): GithubContext {
  const eventPath = env.GITHUB_EVENT_PATH ?? '';
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let pullRequest: number | undefined;
  if (eventPath !== '' && eventName.startsWith('pull_request')) {
    const payload = readEvent(eventPath);
    if (isRecord(payload)) {
      const pr = payload.pull_request;
      const n = isRecord(pr) ? pr.number : payload.number;
      if (typeof n === 'number') pullRequest = n;
    }
  }
  return {
    repository: env.GITHUB_REPOSITORY ?? '',
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    eventName,
    eventPath,
    workspace: env.GITHUB_WORKSPACE ?? cwd,
    // A runner always sets both; run by hand (the README's local run), the machine's own are meant.
    runnerOs: env.RUNNER_OS || (RUNNER_OS_OF[machine.platform] ?? machine.platform),
    runnerArch: env.RUNNER_ARCH || (RUNNER_ARCH_OF[machine.arch] ?? machine.arch),
    runnerTemp: env.RUNNER_TEMP ?? '',
    toolCache: env.RUNNER_TOOL_CACHE ?? '',
    ...(pullRequest !== undefined ? { pullRequest } : {}),
  };
}

export function runUrl(ctx: GithubContext): string {
  return `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
