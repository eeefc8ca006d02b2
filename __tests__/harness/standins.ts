import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stand-in cosign, trivy and grype for end-to-end tests. Each is a Node script under
 * __tests__/standins/ that follows the upstream CLI reference pages (unknown flags fail as
 * upstream), answers in the upstream formats, and logs every call. installStandins writes small
 * executables into `<dir>/bin` that carry the location of their scenario and log, because the
 * action runs tools with a clean environment: nothing a test puts in env vars would reach them.
 */
export type StandinTool = 'cosign' | 'trivy' | 'grype';

/**
 * One behaviour override. Rules are tried in order; the first whose `command` and `match` fit the
 * call decides. A rule with `exitCode`/`stdout`/`stdoutFile`/`stderr` answers with exactly that;
 * `failFirst: n` answers so for the first n matching calls (counted across processes) and then
 * lets the default behaviour run; `delayMs` waits first; `durationMs` makes the whole call last that long;
 * `hang` never answers; `report` only picks the scan report fixture (trivy image, grype).
 */
export interface StandinRule {
  /** Subcommand: cosign `verify`, `sign`, `attest`, `verify-attestation`, `verify-blob`,
   *  `generate-key-pair`, `version`; trivy `image`, `convert`, `version`, `registry login`;
   *  grype `scan` (the root command), `version`, `db update`, `db status`, `db check`.
   *  Omitted: any subcommand. */
  command?: string;
  /** The call matches when some argument contains this text (e.g. the image reference). */
  match?: string;
  /** …or when some argument matches this regular expression (JavaScript syntax). */
  matchRegexp?: string;
  exitCode?: number;
  stdout?: string;
  /** Path of a file whose content is the stdout (absolute, or relative to the tool's fixtures). */
  stdoutFile?: string;
  stderr?: string;
  delayMs?: number;
  /** The call lasts this long in all, counted from the stand-in's process start: it does its work (or gives
   *  the rule's answer), then waits for what remains before it answers and exits, so its own Node start-up
   *  and work are inside the figure, not added to it (a fixed-duration tool, for benchmarks). A call that
   *  already took longer is not cut short. Side effects (files written, signatures recorded) happen before the
   *  wait. */
  durationMs?: number;
  hang?: boolean;
  failFirst?: number;
  /** Scan report fixture for this call (absolute, or a name in fixtures/upstream/<tool>/). */
  report?: string;
  /** Counter name for failFirst; defaults to the rule's position and content. */
  id?: string;
}

/** An image the registry world already holds signatures for (base images, typically). */
export interface SignedImage {
  /** Repository, `repo:tag` or `repo@digest`, e.g. `gcr.io/distroless/static:nonroot`. */
  image: string;
  /** The signed digest. Omitted (and not in `image`): every digest of the repository is signed. */
  digest?: string;
  /** Tag → digest, for resolving tags of registries the stand-in cannot reach. `image: 'r:t'` +
   *  `digest` declares that tag too. */
  tags?: Record<string, string>;
  /** Keyless signer: certificate identity (SAN) and OIDC issuer. */
  identity?: string;
  issuer?: string;
  /** Key signer: PEM public key (or certificate), or a KMS URI. */
  publicKey?: string;
  /** `legacy` (.sig tags, exit codes 10/11/12, default) or `bundle` (v3 bundles, exit code 1). */
  format?: 'legacy' | 'bundle';
  annotations?: Record<string, string>;
  /** GitHub workflow claims in the certificate (for --certificate-github-workflow-* checks). */
  github?: { trigger?: string; sha?: string; name?: string; repository?: string; ref?: string };
  attestations?: Array<{ predicateType: string; predicate?: unknown }>;
}

/** A blob signature `cosign verify-blob` knows, matched by a substring of the blob or bundle path. */
export interface SignedBlob {
  match?: string;
  identity?: string;
  issuer?: string;
  /** Fail every verification of this blob with this answer (a tampered download, say). */
  fail?: { stderr?: string; exitCode?: number };
}

export interface Scenario {
  cosign?: {
    version?: string;
    rules?: StandinRule[];
    signedImages?: SignedImage[];
    /** Repository tags → digests, as `SignedImage.tags` but for unsigned images. */
    tags?: Record<string, string>;
    blobs?: SignedBlob[];
    /** When set, `sign`/`attest` check the identity token's RS256 signature with it, as Fulcio would. */
    oidcPublicKeyPem?: string;
    /** Layout `cosign sign` records (default `bundle`, cosign v3's default). */
    signFormat?: 'legacy' | 'bundle';
  };
  trivy?: { version?: string; rules?: StandinRule[]; report?: string };
  grype?: { version?: string; rules?: StandinRule[]; report?: string };
}

export interface StandinCall {
  argv: string[];
  /** Names of the environment variables the tool saw; values are never logged. */
  envNames: string[];
  cwd: string;
  /** What the tool read from stdin, when it reads stdin (e.g. `--predicate -`). */
  stdin?: string;
  /** For secrets and blobs read from stdin (passwords, `verify-blob … -`): only their SHA-256. */
  stdinSha256?: string;
  /** For a blob read from stdin: how many bytes it was. */
  stdinBytes?: number;
  /** The subcommand the stand-in recognised. */
  command?: string;
  /** The tool's error, when it rejected the command line. */
  rejected?: string;
  pid: number;
  time: string;
}

/** A signature or attestation `cosign sign`/`attest` recorded. */
export interface RecordedSignature {
  kind: 'signature' | 'attestation';
  /** Repository as cosign normalises it (index.docker.io/library/… for Docker Hub). */
  name: string;
  digest: string;
  identity?: string;
  issuer?: string;
  /** Base64 SPKI of the signing key, for key signatures. */
  spki?: string;
  uri?: string;
  format: 'legacy' | 'bundle';
  annotations: Record<string, string>;
  predicateType?: string;
  predicate?: unknown;
  logIndex?: number;
  github?: { trigger?: string; sha?: string; name?: string; repository?: string; ref?: string };
}

export interface Standins {
  binDir: string;
  cosign: string;
  trivy: string;
  grype: string;
  /** Where scenario.json, calls/<tool>.jsonl, counters.json and signatures.json live. */
  stateDir: string;
  calls(tool: StandinTool): StandinCall[];
  clearCalls(): Promise<void>;
  /** Replaces the scenario and resets the failFirst counters (recorded signatures stay). */
  setScenario(scenario: Scenario): Promise<void>;
  signatures(): RecordedSignature[];
}

const here = dirname(fileURLToPath(import.meta.url));
export const STANDIN_SOURCES = resolve(here, '..', 'standins');
export const UPSTREAM_FIXTURES = resolve(here, '..', 'fixtures', 'upstream');
export const STANDIN_DEFAULT_VERSIONS = { cosign: 'v3.0.6', trivy: '0.74.0', grype: '0.116.0' } as const;

/**
 * The executable for one tool: a node script (absolute interpreter, so the clean PATH of the action
 * does not matter) that imports the stand-in with its state dir baked in. It is valid both as
 * CommonJS and as an ES module, whatever package.json lies above the directory it is copied to.
 */
function wrapperSource(tool: StandinTool, stateDir: string): string {
  const module = pathToFileURL(join(STANDIN_SOURCES, `${tool}.mjs`)).href;
  const config = { stateDir, upstreamDir: UPSTREAM_FIXTURES };
  return [
    `#!${process.execPath}`,
    `// secure-image test stand-in for ${tool}; see __tests__/harness/standins.ts`,
    `import(${JSON.stringify(module)}).then((m) => m.main(${JSON.stringify(config)})).catch((e) => {`,
    `  process.stderr.write('stand-in ${tool} failed to start: ' + (e && e.stack ? e.stack : e) + '\\n');`,
    `  process.exit(70);`,
    `});`,
    '',
  ].join('\n');
}

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(value, null, 2));
  await rename(tmp, path);
}

// Synchronous on purpose: calls() is read in assertions, right after a tool exits.
function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export async function installStandins(dir: string, scenario: Scenario = {}): Promise<Standins> {
  const binDir = join(dir, 'bin');
  const stateDir = join(dir, 'standin-state');
  await mkdir(binDir, { recursive: true });
  await mkdir(join(stateDir, 'calls'), { recursive: true });
  await writeJsonAtomic(join(stateDir, 'scenario.json'), scenario);
  const paths = {} as Record<StandinTool, string>;
  for (const tool of ['cosign', 'trivy', 'grype'] as const) {
    const path = join(binDir, tool);
    await writeFile(path, wrapperSource(tool, stateDir));
    await chmod(path, 0o755);
    paths[tool] = path;
  }
  return {
    binDir,
    stateDir,
    ...paths,
    calls: (tool) => readJsonLines<StandinCall>(join(stateDir, 'calls', `${tool}.jsonl`)),
    async clearCalls() {
      await rm(join(stateDir, 'calls'), { recursive: true, force: true });
      await mkdir(join(stateDir, 'calls'), { recursive: true });
    },
    async setScenario(next) {
      await writeJsonAtomic(join(stateDir, 'scenario.json'), next);
      // failFirst counts belong to the rules they counted for; the Rekor log index goes on.
      const countersPath = join(stateDir, 'counters.json');
      if (existsSync(countersPath)) {
        const counters = JSON.parse(await readFile(countersPath, 'utf8')) as Record<string, number>;
        for (const key of Object.keys(counters)) if (key.startsWith('rule:')) delete counters[key];
        await writeJsonAtomic(countersPath, counters);
      }
    },
    signatures: () => {
      const path = join(stateDir, 'signatures.json');
      return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RecordedSignature[]) : [];
    },
  };
}

/** Reads the scenario currently installed (for debugging a failing test). */
export async function readScenario(standins: Pick<Standins, 'stateDir'>): Promise<Scenario> {
  return JSON.parse(await readFile(join(standins.stateDir, 'scenario.json'), 'utf8')) as Scenario;
}

export interface StandinRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * Runs an executable (a stand-in, typically) with an explicit environment, closing stdin after
 * `stdin`, and kills it (whole process group) after `timeoutMs`.
 */
export function execStandin(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; stdin?: string; timeoutMs?: number } = {},
): Promise<StandinRun> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
      cwd: options.cwd,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            try {
              process.kill(-(child.pid ?? 0), 'SIGTERM');
            } catch {
              // Gone already.
            }
          }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ exitCode, signal, stdout, stderr, durationMs: Date.now() - started });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}
