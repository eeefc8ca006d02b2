// What every stand-in shares: where its scenario and log live (baked into the wrapper that
// installStandins writes), the call log, the scenario rules (canned answers, delays, hangs,
// fail-N-then-succeed with a counter that survives across processes), and state under a lock.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CliError } from './flags.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_UPSTREAM_DIR = resolve(here, '../../fixtures/upstream');

// Same as STANDIN_DEFAULT_VERSIONS in __tests__/harness/standins.ts.
export const DEFAULT_VERSIONS = { cosign: 'v3.0.6', trivy: '0.74.0', grype: '0.116.0' };

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * @param {string} tool
 * @param {{ stateDir?: string, upstreamDir?: string }} config
 */
export function createRuntime(tool, config = {}) {
  const stateDir = config.stateDir;
  const upstreamDir = config.upstreamDir ?? DEFAULT_UPSTREAM_DIR;
  const cliDir = join(upstreamDir, 'cli');
  let scenario = {};
  if (stateDir && existsSync(join(stateDir, 'scenario.json'))) {
    scenario = JSON.parse(readFileSync(join(stateDir, 'scenario.json'), 'utf8'));
  }
  const section = scenario[tool] ?? {};
  let stdout = '';

  /** Runs `fn` holding the state dir's lock: stand-ins of one test may run in parallel. */
  function withLock(fn) {
    if (!stateDir) return fn();
    const lock = join(stateDir, '.lock');
    const deadline = Date.now() + 10000;
    for (;;) {
      try {
        mkdirSync(lock);
        break;
      } catch (error) {
        if (error.code !== 'EEXIST') throw error;
        // A holder that died leaves the lock behind: take it over after 5 s.
        try {
          if (Date.now() - statSync(lock).mtimeMs > 5000) rmSync(lock, { recursive: true, force: true });
        } catch {
          // Released meanwhile.
        }
        if (Date.now() > deadline) throw new Error(`stand-in: could not take ${lock}`, { cause: error });
        sleepSync(3);
      }
    }
    try {
      return fn();
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }

  function readJson(name, fallback) {
    if (!stateDir) return fallback;
    const file = join(stateDir, name);
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : fallback;
  }

  function writeJson(name, value) {
    if (!stateDir) return;
    const file = join(stateDir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value, null, 2));
    renameSync(tmp, file);
  }

  return {
    tool,
    stateDir,
    upstreamDir,
    cliDir,
    scenario: section,
    version: section.version ?? DEFAULT_VERSIONS[tool],
    withLock,
    readJson,
    writeJson,

    /** Increments and returns the named counter. */
    bump(name) {
      return withLock(() => {
        const counters = readJson('counters.json', {});
        counters[name] = (counters[name] ?? 0) + 1;
        writeJson('counters.json', counters);
        return counters[name];
      });
    },

    /** Appends one call to `calls/<tool>.jsonl`: argv, env NAMES (never values), cwd, stdin if read. */
    logCall(argv, extra = {}) {
      if (!stateDir) return;
      const record = {
        tool,
        argv,
        envNames: Object.keys(process.env).sort(),
        cwd: process.cwd(),
        pid: process.pid,
        time: new Date().toISOString(),
        ...extra,
      };
      withLock(() => {
        mkdirSync(join(stateDir, 'calls'), { recursive: true });
        appendFileSync(join(stateDir, 'calls', `${tool}.jsonl`), JSON.stringify(record) + '\n');
      });
    },

    /** A fixture path from a scenario: absolute, or relative to the tool's upstream fixtures. */
    fixture(path) {
      if (isAbsolute(path)) return path;
      const inTool = join(upstreamDir, tool, path);
      return existsSync(inTool) ? inTool : resolve(upstreamDir, path);
    },

    out(text) {
      stdout += text;
    },
    err(text) {
      process.stderr.write(text);
    },
    /** What was written with out(); `--output-file` style redirections read it at the end. */
    takeStdout() {
      const text = stdout;
      stdout = '';
      return text;
    },
  };
}

/** The first rule of the tool's scenario that matches `command` and the arguments. */
export function findRule(rt, command, args) {
  const rules = rt.scenario.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule.command !== undefined && rule.command !== command) continue;
    if (rule.match !== undefined && !args.some((arg) => arg.includes(rule.match))) continue;
    if (rule.matchRegexp !== undefined) {
      const re = new RegExp(rule.matchRegexp);
      if (!args.some((arg) => re.test(arg))) continue;
    }
    return {
      ...rule,
      key: rule.id ?? `${index}:${rule.command ?? '*'}:${rule.match ?? rule.matchRegexp ?? ''}`,
    };
  }
  return undefined;
}

function ruleText(rt, rule, literal, file) {
  if (file !== undefined) return readFileSync(rt.fixture(file), 'utf8');
  return literal ?? '';
}

/**
 * Applies the scenario rule for this call: delay, hang, canned answer, or fail-the-first-N.
 * Returns an exit code when the rule answered, or undefined to run the default behaviour.
 * (`durationMs` is applied at the end, in finish: it pads the whole call rather than adding to it.)
 */
export async function applyRule(rt, rule) {
  if (!rule) return undefined;
  if (rule.delayMs) await sleep(rule.delayMs);
  if (rule.hang) {
    // Sleep until killed: the caller's timeout is what the test is about.
    await new Promise(() => setInterval(() => {}, 60000));
  }
  const canned =
    rule.exitCode !== undefined ||
    rule.stdout !== undefined ||
    rule.stdoutFile !== undefined ||
    rule.stderr !== undefined;
  if (rule.failFirst !== undefined) {
    const count = rt.bump(`rule:${rule.key}`);
    if (count > rule.failFirst) return undefined;
    rt.out(ruleText(rt, rule, rule.stdout, rule.stdoutFile));
    rt.err(rule.stderr ?? `stand-in ${rt.tool}: injected failure ${count} of ${rule.failFirst}\n`);
    return rule.exitCode ?? 1;
  }
  if (!canned) return undefined;
  rt.out(ruleText(rt, rule, rule.stdout, rule.stdoutFile));
  if (rule.stderr) rt.err(rule.stderr);
  return rule.exitCode ?? 0;
}

export function readStdin() {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Reads stdin to its end through a hash, as cosign reads a blob (a hasher over the stream): the bytes are not kept,
 * so a blob of tens of MB costs neither a copy nor the memory for it.
 */
export function digestStdin() {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let bytes = 0;
  for (;;) {
    let n;
    try {
      n = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      // A non-blocking stdin with nothing yet: wait for it as a blocking read would.
      if (error.code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (error.code === 'EOF' || error.code === 'EBADF' || error.code === 'ENXIO') break;
      throw error;
    }
    if (n === 0) break;
    hash.update(buffer.subarray(0, n));
    bytes += n;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export function sha256Hex(data) {
  return createHash('sha256').update(data).digest('hex');
}

async function drain(stream) {
  await new Promise((done) => stream.write('', () => done()));
}

/**
 * The common life of a stand-in process: parse argv (bad flags are the tool's own errors), log the
 * call, apply the scenario, run the default behaviour, exit with its code.
 *
 * spec: { tool, parse(argv, rt) → invocation, handlers: { [command]: (inv, rt, rule) → code },
 *         fail(rt, message, invocation?) → writes the tool's error rendering, redirectStdout?(inv) }
 */
export async function runTool(spec, config) {
  const rt = createRuntime(spec.tool, config);
  const argv = process.argv.slice(2);
  let code;
  let invocation;
  try {
    invocation = spec.parse(argv, rt);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    rt.logCall(argv, { rejected: error.message });
    spec.fail(rt, error.message, undefined);
    await finish(rt, undefined, error.exitCode, spec);
    return;
  }
  // A blob on stdin (`verify-blob … -`) is read as cosign v3 reads it: only once the command gets that far (after
  // fetching the trust root and loading the bundle), so a scenario's delay or canned answer comes first, and the
  // call is logged with the blob's hash when it was read, without it when it was not.
  const blobLater = invocation.readsStdin && invocation.stdinIsBlob;
  const extra = {};
  if (invocation.readsStdin && !blobLater) {
    invocation.stdin = readStdin();
    if (invocation.stdinIsSecret) extra.stdinSha256 = sha256Hex(invocation.stdin);
    else extra.stdin = invocation.stdin;
  }
  if (!blobLater) rt.logCall(argv, { command: invocation.command, ...extra });
  let rule;
  try {
    if (invocation.help) {
      if (blobLater) rt.logCall(argv, { command: invocation.command });
      rt.out(invocation.usage ?? '');
      await finish(rt, invocation, 0, spec);
      return;
    }
    rule = findRule(rt, invocation.command, invocation.args ?? argv);
    if (blobLater && rule?.hang) rt.logCall(argv, { command: invocation.command });
    code = await applyRule(rt, rule);
    if (code === undefined && blobLater) {
      const blob = digestStdin();
      invocation.stdinSha256 = blob.sha256;
      rt.logCall(argv, {
        command: invocation.command,
        stdinSha256: blob.sha256,
        stdinBytes: blob.bytes,
      });
    } else if (blobLater) {
      rt.logCall(argv, { command: invocation.command });
    }
    if (code === undefined) {
      const handler = spec.handlers[invocation.command];
      if (!handler) throw new CliError(`stand-in ${spec.tool} has no behaviour for "${invocation.command}"`);
      code = await handler(invocation, rt, rule);
    }
  } catch (error) {
    if (!(error instanceof CliError)) {
      rt.err(`stand-in ${spec.tool} crashed: ${error.stack ?? error}\n`);
      code = 70;
    } else {
      spec.fail(rt, error.message, invocation);
      code = error.exitCode;
    }
  }
  await finish(rt, invocation, code ?? 0, spec, rule?.durationMs);
}

/**
 * Milliseconds since this process started: Node's time origin is taken as the process starts, before the
 * stand-in's modules load, so this counts the stand-in's own start-up too.
 */
export function sinceProcessStart() {
  return performance.now();
}

async function finish(rt, invocation, code, spec, durationMs) {
  // `durationMs`: the call lasts that long in all, from the process start, whatever its start-up and its work
  // took; the answer (stdout, exit code) comes at the end, as a tool's would. A call already longer is not cut.
  if (durationMs) await sleep(Math.max(0, durationMs - sinceProcessStart()));
  const text = rt.takeStdout();
  const target = invocation && spec.stdoutFile ? spec.stdoutFile(invocation) : undefined;
  if (target) writeFileSync(target, text);
  else process.stdout.write(text);
  await drain(process.stdout);
  await drain(process.stderr);
  process.exit(code);
}
