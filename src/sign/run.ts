import { cosignReason } from '../cosign/verify.js';
import { execTool, type ExecRequest, type ExecResult } from '../util/exec.js';
import { isTransientText, retry } from '../util/retry.js';

/**
 * One cosign call of the signing stage, tried again when Fulcio, Rekor or the registry had a passing
 * problem. The signing material (identity token, key password) is asked for on every try, so a retry
 * after a slow failure gets a token that is still valid.
 */
export interface CosignSession {
  cosign: string;
  /** The clean environment every call starts from (no COSIGN_*, no SIGSTORE_*). */
  env: Record<string, string>;
  /** The variables and secrets of the signing material, fresh for each try. */
  material: () => Promise<{ env: Record<string, string>; secrets: string[] }>;
  timeoutMs: number;
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (message: string) => void;
  exec?: (request: ExecRequest) => Promise<ExecResult>;
}

/** cosign failed; `transient` says whether trying again could help. The reason is redacted text. */
export class CosignCallFailed extends Error {
  constructor(
    readonly label: string,
    readonly reason: string,
    readonly transient: boolean,
    readonly stderr: string,
  ) {
    super(`${label} failed: ${reason}`);
    this.name = 'CosignCallFailed';
  }
}

// Fulcio and Rekor errors as cosign prints them ("[503]", "status code 503"), on top of the shared list.
const SIGSTORE_TRANSIENT = [/\[(408|429|5\d\d)\]/, /\bstatus(?: code)?:? (408|429|5\d\d)\b/i];

export function isTransientCosignFailure(stderr: string): boolean {
  return isTransientText(stderr) || SIGSTORE_TRANSIENT.some((re) => re.test(stderr));
}

export async function runCosign(
  session: CosignSession,
  step: { args: string[]; label: string; what: string },
): Promise<ExecResult> {
  const exec = session.exec ?? execTool;
  return retry(
    async () => {
      const material = await session.material();
      const result = await exec({
        command: session.cosign,
        args: step.args,
        env: { ...session.env, ...material.env },
        secrets: material.secrets,
        timeoutMs: session.timeoutMs,
        label: step.label,
      });
      // A hung cosign is not tried again: each try would wait the whole `stage-timeout` once more.
      if (result.timedOut) {
        throw new CosignCallFailed(
          step.label,
          `did not finish within ${Math.round(session.timeoutMs / 1000)} s (\`stage-timeout\`) and was stopped`,
          false,
          result.stderr,
        );
      }
      if (result.exitCode !== 0) {
        throw new CosignCallFailed(
          step.label,
          cosignReason(result.stderr),
          isTransientCosignFailure(result.stderr),
          result.stderr,
        );
      }
      return result;
    },
    {
      attempts: session.attempts,
      baseDelayMs: session.baseDelayMs,
      maxDelayMs: session.maxDelayMs,
      what: step.what,
      isTransient: (e) => e instanceof CosignCallFailed && e.transient,
      ...(session.sleep ? { sleep: session.sleep } : {}),
      onRetry: ({ attempt, delayMs, error }) =>
        session.onRetry?.(
          `${step.what}: try ${attempt} failed (${error instanceof CosignCallFailed ? error.reason : String(error)}); trying again in ${Math.round(delayMs / 100) / 10} s`,
        ),
    },
  );
}
