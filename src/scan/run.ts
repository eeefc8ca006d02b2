import { rm, stat } from 'node:fs/promises';
import { type ExecRequest, type ExecResult, execTool, tailLines } from '../util/exec.js';
import { UserError, errorMessage } from '../util/errors.js';
import type { Scanner } from './args.js';
import type { ScanReport } from './finding.js';
import { type ByteSource, openFileSource } from './json-deferred.js';
import { parseGrypeReport } from './grype-report.js';
import { parseTrivyReport } from './trivy-report.js';

/**
 * The thin runner: one scanner process from a plan, its JSON report read back with the parsers. The verdict
 * comes from the report, never from the exit code; but the action never asks a scanner to exit non-zero for
 * findings (no `--exit-code`, no `--fail-on`, and the scanners' own variables are stripped), so a process that
 * exits non-zero, is killed, hangs or writes something that is not a report failed: an error that quotes the
 * scanner, and never a pass, even when it left a report that parses.
 */
export interface ScanPlan {
  scanner: Scanner;
  /** The scanner executable. */
  command: string;
  args: string[];
  /** Added to the base environment; nothing else of the runner's environment reaches the scanner. */
  env: Record<string, string>;
  /** Values to redact from what is captured (registry passwords). */
  secrets: string[];
  /** A directory of ours, so trivy.yaml / .trivyignore / .grype.yaml of the workspace are not read. */
  cwd: string;
  timeoutMs: number;
  /** What the timeout message names as the budget; defaults to `timeoutMs`. */
  budgetMs?: number;
  /** The JSON report the scanner writes. */
  reportFile: string;
  /** Other files the same run writes (grype's CycloneDX SBOM). */
  extraFiles?: string[];
  platform?: string;
  /** e.g. `trivy image`, for messages and timings. */
  label: string;
}

export interface ScanRun {
  report: ScanReport;
  exec: ExecResult;
}

export type Exec = (request: ExecRequest) => Promise<ExecResult>;

const STDERR_LINES = 20;

/** `1.5 s`, `900 s`: what a person reads in a timeout message. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`;
}

/**
 * The runner's environment minus the scanners' own variables: a `TRIVY_SEVERITY` or `GRYPE_ONLY_FIXED` left in
 * a workflow would silently drop findings before the gate sees them.
 */
export function withoutScannerVariables(env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!/^(TRIVY|GRYPE|SYFT)_/i.test(name)) out[name] = value;
  }
  return out;
}

function quote(stderr: string, stdout = ''): string {
  const tail = tailLines(stderr, STDERR_LINES) || tailLines(stdout, STDERR_LINES);
  return tail ? `\n${tail}` : ' (it printed nothing)';
}

function what(plan: Pick<ScanPlan, 'label' | 'platform'>): string {
  return plan.platform ? `${plan.label} (${plan.platform})` : plan.label;
}

function exitText(result: ExecResult): string {
  if (result.signal) return `was killed by ${result.signal}`;
  return `exited with code ${result.exitCode}`;
}

async function start(exec: Exec, request: ExecRequest, label: string): Promise<ExecResult> {
  try {
    return await exec(request);
  } catch (error) {
    throw new UserError(
      `Could not run ${label}: ${errorMessage(error)}. Check \`scanner-path\`, or let the action install the scanner.`,
      { cause: error },
    );
  }
}

function timedOut(plan: ScanPlan, result: ExecResult): UserError {
  return new UserError(
    `the scan stage timed out after ${formatSeconds(plan.budgetMs ?? plan.timeoutMs)}: ${what(plan)} did not finish and was stopped. A scan that does not finish is not a pass. Its last output:${quote(result.stderr, result.stdout)}`,
  );
}

/**
 * The report, opened to be read a window at a time (see json-deferred.ts): a report of 100 MB is never in
 * memory whole. Undefined when the scanner wrote none.
 */
function openReport(path: string): (ByteSource & { close(): void }) | undefined {
  try {
    return openFileSource(path);
  } catch {
    return undefined;
  }
}

function isBlank(source: ByteSource): boolean {
  for (let from = 0; from < source.length; from += 1 << 16) {
    for (const c of source.read(from, from + (1 << 16))) {
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
    }
  }
  return true;
}

export function parseReport(
  scanner: Scanner,
  json: string | Buffer | ByteSource,
  baseLayers?: string[],
): ScanReport {
  return scanner === 'trivy'
    ? parseTrivyReport(json, baseLayers ? { baseLayers } : {})
    : parseGrypeReport(json, baseLayers ? { baseLayers } : {});
}

export async function runScan(
  plan: ScanPlan,
  options: { baseLayers?: string[]; exec?: Exec } = {},
): Promise<ScanRun> {
  // A report left by an earlier run must not pass for this run's output.
  for (const file of [plan.reportFile, ...(plan.extraFiles ?? [])]) await rm(file, { force: true });

  const result = await start(
    options.exec ?? execTool,
    {
      command: plan.command,
      args: plan.args,
      env: plan.env,
      secrets: plan.secrets,
      cwd: plan.cwd,
      timeoutMs: plan.timeoutMs,
      label: plan.label,
    },
    plan.label,
  );
  if (result.timedOut) throw timedOut(plan, result);

  const source = openReport(plan.reportFile);
  const failed = result.exitCode !== 0 || result.signal !== null;
  if (source === undefined || isBlank(source)) {
    source?.close();
    const empty = source === undefined ? 'wrote no report' : `wrote an empty report (${plan.reportFile})`;
    throw new UserError(
      failed
        ? `${what(plan)} ${exitText(result)} and ${empty}. Its last output:${quote(result.stderr, result.stdout)}`
        : `${what(plan)} exited with code 0 but ${empty}; expected the JSON report at ${plan.reportFile}. Its last output:${quote(result.stderr, result.stdout)}`,
    );
  }
  if (failed) {
    // What it left may be whole or cut short; either way the scan did not finish, and findings are never asked to
    // make it exit non-zero. Reading the report anyway would pass an image on half a scan.
    source.close();
    throw new UserError(
      `${what(plan)} ${exitText(result)}: the scan failed, so its report (${plan.reportFile}) was not used and the image did not pass. secure-image never asks the scanner to exit non-zero for findings, so this is the scanner's own failure; its last output says why:${quote(result.stderr, result.stdout)}`,
    );
  }

  try {
    return { report: parseReport(plan.scanner, source, options.baseLayers), exec: result };
  } catch (error) {
    throw new UserError(
      `${what(plan)} wrote ${plan.reportFile}, but it is not a ${plan.scanner} JSON report: ${errorMessage(error)}. The scanner's last output:${quote(result.stderr, result.stdout)}`,
      { cause: error },
    );
  } finally {
    source.close();
  }
}

/** A file another command of the scanner writes (`trivy convert`, `grype db status`), with the same error rules. */
export interface ToolStep {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  budgetMs?: number;
  label: string;
  /** The file the step must write; omitted when the step answers on stdout. */
  output?: string;
}

/** Runs a step that must succeed (exit 0, and its output file present and not empty). */
export async function runToolStep(step: ToolStep, exec: Exec = execTool): Promise<ExecResult> {
  if (step.output) await rm(step.output, { force: true });
  const result = await start(
    exec,
    {
      command: step.command,
      args: step.args,
      env: step.env,
      cwd: step.cwd,
      timeoutMs: step.timeoutMs,
      label: step.label,
    },
    step.label,
  );
  if (result.timedOut) {
    throw new UserError(
      `the scan stage timed out after ${formatSeconds(step.budgetMs ?? step.timeoutMs)}: ${step.label} did not finish. Its last output:${quote(result.stderr, result.stdout)}`,
    );
  }
  if (result.exitCode !== 0 || result.signal) {
    throw new UserError(
      `${step.label} ${exitText(result)}. Its last output:${quote(result.stderr, result.stdout)}`,
    );
  }
  if (step.output) {
    const size = await stat(step.output).then(
      (s) => s.size,
      () => -1,
    );
    if (size <= 0) {
      throw new UserError(
        `${step.label} exited with code 0 but wrote ${size < 0 ? 'nothing' : 'an empty file'} at ${step.output}. Its last output:${quote(result.stderr, result.stdout)}`,
      );
    }
  }
  return result;
}
