import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

/**
 * The `fetch` for the action's own requests (release downloads, registry reads). Node's built-in fetch ignores
 * HTTP(S)_PROXY, so on a self-hosted runner behind a proxy, where tool-cache and the toolkit's HTTP client get
 * through, it would not; with one of those variables set, requests go through undici's EnvHttpProxyAgent, which
 * honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY as curl does.
 */
export function proxyAwareFetch(env: NodeJS.ProcessEnv = process.env): typeof fetch {
  if (!PROXY_VARIABLES.some((name) => (env[name] ?? '') !== '')) return globalThis.fetch;
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: env.HTTP_PROXY ?? env.http_proxy,
    httpsProxy: env.HTTPS_PROXY ?? env.https_proxy,
    noProxy: env.NO_PROXY ?? env.no_proxy,
  });
  // undici's fetch and the global one differ only in the nominal types of their request and response classes.
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as typeof fetch;
}
