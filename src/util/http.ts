import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

/** A variable's value, lower-case spelling first (as curl and undici read them); empty counts as unset. */
function setting(env: NodeJS.ProcessEnv, name: string): string {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

/**
 * undici marks EnvHttpProxyAgent experimental with a process warning on first use ("expect them to change at any
 * time"): a note on its API, which is bundled here at a pinned version. In a job log it reads as a fault of the
 * proxy setup, which the user cannot act on, so that warning (and only it) is not passed on.
 */
const UNDICI_EXPERIMENTAL_PROXY = 'UNDICI-EHPA';

function withoutWarning<T>(code: string, make: () => T): T {
  const emit = process.emitWarning;
  const filtered = (warning: string | Error, ...rest: unknown[]): void => {
    // emitWarning(warning, { code }) or emitWarning(warning, type, code).
    const [first, second] = rest;
    const given = typeof first === 'object' && first !== null ? (first as { code?: unknown }).code : second;
    if (given === code) return;
    (emit as (warning: string | Error, ...rest: unknown[]) => void).call(process, warning, ...rest);
  };
  process.emitWarning = filtered as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * The `fetch` for the action's own requests (release downloads, registry reads). Node's built-in fetch ignores
 * HTTP(S)_PROXY, so on a self-hosted runner behind a proxy, where tool-cache and the toolkit's HTTP client get
 * through, it would not; with a proxy set, requests go through undici's EnvHttpProxyAgent, with undici's rules:
 * `https_proxy` for https (else `http_proxy`), `http_proxy` for http, `no_proxy` to go direct.
 */
export function proxyAwareFetch(env: NodeJS.ProcessEnv = process.env): typeof fetch {
  const httpProxy = setting(env, 'http_proxy');
  const httpsProxy = setting(env, 'https_proxy');
  if (!httpProxy && !httpsProxy) return globalThis.fetch;
  // Every value given, so that the agent does not read process.env behind the caller's back.
  const dispatcher = withoutWarning(
    UNDICI_EXPERIMENTAL_PROXY,
    () => new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy: setting(env, 'no_proxy') }),
  );
  // undici's fetch and the global one differ only in the nominal types of their request and response classes.
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as typeof fetch;
}
