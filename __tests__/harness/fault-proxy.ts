// A reverse proxy in front of a harness server (the registry), on its own loopback port, that answers
// chosen requests with an error a given number of times before letting them through: registries that
// throttle or fail for a moment, as 429s and 503s do in real life.
import { request as httpRequest } from 'node:http';
import { listenOnLoopback } from './ports.js';

export interface Fault {
  method?: string;
  /** The request path must match this. */
  path: RegExp;
  status: number;
  /** How many matching requests fail before they pass. */
  times: number;
}

export interface FaultProxy {
  host: string;
  url: string;
  /** `METHOD /path -> status` for every request, faulted or forwarded. */
  log(): string[];
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string, faults: Fault[]): Promise<FaultProxy> {
  const remaining = faults.map((f) => ({ ...f }));
  const log: string[] = [];
  const targetUrl = new URL(target);
  const server = await listenOnLoopback((req, res) => {
    const fault = remaining.find(
      (f) => f.times > 0 && (!f.method || f.method === req.method) && f.path.test(req.url ?? ''),
    );
    if (fault) {
      fault.times -= 1;
      log.push(`${req.method} ${req.url} -> ${fault.status} (injected)`);
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected by the test proxy' }] }));
      return;
    }
    const headers = { ...req.headers, host: targetUrl.host };
    const upstream = httpRequest(
      { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers },
      (up) => {
        log.push(`${req.method} ${req.url} -> ${up.statusCode}`);
        // Locations the registry hands out must come back through the proxy.
        const location = up.headers.location?.replace(targetUrl.host, `127.0.0.1:${server.port}`);
        res.writeHead(up.statusCode ?? 502, { ...up.headers, ...(location ? { location } : {}) });
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return {
    host: `127.0.0.1:${server.port}`,
    url: server.url,
    log: () => [...log],
    stop: () => server.close(),
  };
}
