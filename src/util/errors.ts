/**
 * An error the user can fix. Its message is shown as is by `core.setFailed`, so it must say what was
 * wrong and what to change; `cause` carries the underlying error for the debug log.
 */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** Several input problems found in one pass, reported together instead of one per run. */
export class ConfigErrors extends UserError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      problems.length === 1
        ? (problems[0] ?? '')
        : `${problems.length} problems with the inputs:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
    this.name = 'ConfigErrors';
    this.problems = problems;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
