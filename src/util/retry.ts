import { errorMessage } from './errors.js';

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Whether a failure may pass if tried again. A verification that said no is never transient. */
  isTransient: (err: unknown) => boolean;
  /** What is being tried, for the log and the final error ("download of https://…"). */
  what: string;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** The last failure of an operation that was tried `attempts` times. */
export class RetriesExhaustedError extends Error {
  readonly attempts: number;
  constructor(what: string, attempts: number, last: unknown) {
    super(`${what} failed after ${attempts} ${attempts === 1 ? 'try' : 'tries'}: ${errorMessage(last)}`, {
      cause: last,
    });
    this.name = 'RetriesExhaustedError';
    this.attempts = attempts;
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter; the delay before try n+1 is at most base·2^(n-1), capped. */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!options.isTransient(error)) throw error;
      if (attempt >= options.attempts) throw new RetriesExhaustedError(options.what, attempt, error);
      const delayMs = backoffDelay(attempt, options.baseDelayMs, options.maxDelayMs);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

/** HTTP statuses worth another try: throttling and server-side failures. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

// What registries, Fulcio, Rekor and the network say when trying again may help. Matched against a
// tool's stderr, so it stays specific: "no signatures found" or "none of the expected identities" must
// never match.
const TRANSIENT_TEXT = [
  /\b(429|500|502|503|504)\b[^\n]*(too many requests|internal server error|bad gateway|service unavailable|gateway time-?out)/i,
  /too many requests/i,
  /service unavailable/i,
  /connection reset by peer/i,
  /connection refused/i,
  /\bECONNRESET\b|\bECONNREFUSED\b|\bETIMEDOUT\b|\bEPIPE\b|\bEAI_AGAIN\b/,
  /i\/o timeout/i,
  /TLS handshake timeout/i,
  /context deadline exceeded/i,
  /unexpected EOF/i,
  /timed? ?out/i,
];

export function isTransientText(text: string): boolean {
  return TRANSIENT_TEXT.some((re) => re.test(text));
}
