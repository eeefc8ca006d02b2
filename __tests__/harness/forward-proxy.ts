// A forward HTTP proxy on loopback, as a self-hosted runner's network would have: it tunnels CONNECT requests
// and forwards absolute-form requests, and records which origins each went to. `hosts` maps names that resolve
// nowhere to loopback servers: a request that does not go through the proxy cannot reach them at all.
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { listenOnLoopback } from './ports.js';

export interface ForwardProxy {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `CONNECT host:port` or `GET http://host/path`, in the order they came. */
  log(): string[];
  stop(): Promise<void>;
}

export async function startForwardProxy(hosts: Record<string, string> = {}): Promise<ForwardProxy> {
  const log: string[] = [];
  const tunnels = new Set<Socket>();
  const route = (hostPort: string): [string, number] => {
    const [host = '', port = ''] = (hosts[hostPort] ?? hostPort).split(':');
    return [host, Number(port)];
  };
  const proxy = await listenOnLoopback((req, res) => {
    const target = new URL(req.url ?? '');
    log.push(`${req.method} ${target.href}`);
    const [host, port] = route(`${target.hostname}:${target.port || '80'}`);
    const upstream = httpRequest(
      {
        host,
        port,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  proxy.server.on('connect', (req, client: Socket, head: Buffer) => {
    log.push(`CONNECT ${req.url ?? ''}`);
    const [host, port] = route(req.url ?? '');
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on('close', () => tunnels.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  return {
    url: proxy.url,
    log: () => [...log],
    async stop() {
      for (const socket of tunnels) socket.destroy();
      await proxy.close();
    },
  };
}
