import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { proxyAwareFetch } from '../../src/util/http.js';
import { startForwardProxy, type ForwardProxy } from '../harness/forward-proxy.js';
import { listenOnLoopback, type LoopbackServer } from '../harness/ports.js';
import { PROJECT_ROOT } from '../harness/runner.js';

let servers: Array<LoopbackServer | ForwardProxy> = [];
afterEach(async () => {
  for (const server of servers) await ('stop' in server ? server.stop() : server.close());
  servers = [];
});

async function origin(): Promise<LoopbackServer> {
  const server = await listenOnLoopback((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`served ${req.url}`);
  });
  servers.push(server);
  return server;
}

describe('proxyAwareFetch', () => {
  it('is the built-in fetch when no proxy is set, or only an empty one', () => {
    expect(proxyAwareFetch({ PATH: '/usr/bin' })).toBe(globalThis.fetch);
    expect(proxyAwareFetch({ HTTP_PROXY: '', https_proxy: '' })).toBe(globalThis.fetch);
  });

  it('reads only the environment it is given', async () => {
    const server = await origin();
    const proxy = await startForwardProxy();
    servers.push(proxy);
    const saved = process.env.NO_PROXY;
    // A NO_PROXY in the process's own environment must not decide for an env that sets none.
    process.env.NO_PROXY = '127.0.0.1';
    try {
      const fetch = proxyAwareFetch({ HTTP_PROXY: proxy.url });
      expect(await (await fetch(`${server.url}/y`)).text()).toBe('served /y');
    } finally {
      if (saved === undefined) delete process.env.NO_PROXY;
      else process.env.NO_PROXY = saved;
    }
    expect(proxy.log()).toHaveLength(1);
  });

  it("does not print undici's experimental warning into the job log, and lets other warnings through", () => {
    // A fresh process: undici warns once per process, and the job log is its stderr.
    const script = [
      `const { proxyAwareFetch } = await import(${JSON.stringify(join(PROJECT_ROOT, 'src/util/http.ts'))});`,
      "proxyAwareFetch({ HTTPS_PROXY: 'http://127.0.0.1:9' });",
      "process.emitWarning('a warning of our own', { code: 'OTHER' });",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    });
    expect(child.status).toBe(0);
    expect(child.stderr).not.toContain('EnvHttpProxyAgent');
    expect(child.stderr).toContain('a warning of our own');
  });

  it('goes through HTTP_PROXY, as curl and tool-cache do', async () => {
    const server = await origin();
    const proxy = await startForwardProxy();
    servers.push(proxy);
    const fetch = proxyAwareFetch({ HTTP_PROXY: proxy.url });
    const response = await fetch(`${server.url}/release/file`);
    expect(await response.text()).toBe('served /release/file');
    expect(proxy.log()).toHaveLength(1);
    expect(proxy.log()[0]).toContain(`127.0.0.1:${server.port}`);
  });

  it('leaves the hosts in NO_PROXY alone', async () => {
    const server = await origin();
    const proxy = await startForwardProxy();
    servers.push(proxy);
    const fetch = proxyAwareFetch({ http_proxy: proxy.url, no_proxy: '127.0.0.1' });
    expect(await (await fetch(`${server.url}/x`)).text()).toBe('served /x');
    expect(proxy.log()).toEqual([]);
  });
});
