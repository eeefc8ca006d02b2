import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import * as core from '@actions/core';
import type { Config } from '../config/index.js';
import { renderInputErrorSummary, type InputProblem } from '../report/input-errors.js';
import { ConfigErrors, errorMessage, UserError } from '../util/errors.js';
import { logInfo } from '../util/log.js';

/**
 * Input errors, before anything runs: each as an error annotation (on its line, for the policy file), a job summary
 * that lists them and says nothing was built, and the failed step. Kept apart from the report stage so that a run
 * that stops at its inputs loads nothing else (startup is measured in `npm run bench:startup`).
 */
export function reportInputError(error: unknown, config?: Config): void {
  const problems = (error as { problems?: ReadonlyArray<{ line: number; key: string; message: string }> })
    .problems;
  const listed: InputProblem[] = [];
  if (error instanceof UserError && problems && config?.trustPolicy) {
    const file = policyPath(config, config.trustPolicy);
    for (const p of problems) {
      core.error(`${p.key}: ${p.message}`, {
        title: 'secure-image: invalid trust policy',
        file,
        startLine: p.line,
      });
      listed.push({ message: `${p.key}: ${p.message}`, file, line: p.line });
    }
  }
  if (error instanceof ConfigErrors && error.problems.length > 1) {
    for (const problem of error.problems) core.error(problem, { title: 'secure-image: invalid input' });
    writeInputErrorSummary(
      error.problems.map((message) => ({ message })),
      config,
    );
    core.setFailed(`${error.problems.length} problems with the inputs; see the errors above.`);
    return;
  }
  if (error instanceof Error && error.cause !== undefined) logInfo(`Cause: ${describeCause(error.cause)}`);
  writeInputErrorSummary(listed.length > 0 ? listed : [{ message: errorMessage(error) }], config);
  core.setFailed(errorMessage(error));
}

function writeInputErrorSummary(problems: InputProblem[], config: Config | undefined): void {
  if (!process.env.GITHUB_STEP_SUMMARY || config?.summary === false) return;
  try {
    // Synchronous: the step ends with this run, and a summary written after it would be lost.
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderInputErrorSummary(problems));
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorMessage(error)}`);
  }
}

export function describeCause(cause: unknown): string {
  return cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
}

/** The policy file as the repository names it. */
/** The trust policy file as the repository names it. */
export function policyPath(config: Config, path: string): string {
  return relative(config.github.workspace || process.cwd(), path) || path;
}
