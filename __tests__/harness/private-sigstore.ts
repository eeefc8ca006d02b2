// A private Sigstore instance for keyless signing with the real cosign: the real Fulcio (an ephemeral CA, no CT log)
// trusting the harness's OIDC server as a GitHub Actions issuer, and the real timestamp authority (an in-memory
// signer), both built by scripts/install-real-tools.sh; then the trusted root and the signing config that describe
// them, made by the real `cosign trusted-root create` and `cosign signing-config create`. No transparency log: Rekor
// v1 needs Trillian and MySQL; cosign 3 takes the authority's signed timestamp instead of a log entry.
//
// Both servers run in a network namespace of their own (`unshare --net`, root): each also serves Prometheus metrics
// on every interface (the timestamp server on :2112, fixed, and it exits when that port is taken), which must not
// reach the machine's network nor collide with another run's. A relay joins the two namespaces through unix sockets:
// the servers' HTTP ports reach the harness's loopback, and the OIDC issuer's port reaches the servers' loopback at
// the same address, so the issuer URL in the tokens is the one Fulcio fetches.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OidcServer } from './oidc.js';
import { LOOPBACK, waitUntil } from './ports.js';
import { startDaemon, type Daemon, type RealTools } from './real-tools.js';

const run = promisify(execFile);

export interface PrivateSigstore {
  /** Fulcio and the timestamp authority, as the harness's loopback reaches them. */
  fulcioUrl: string;
  tsaUrl: string;
  /** `cosign trusted-root create`'s output: Fulcio's chain and the authority's, nothing of the public instance. */
  trustedRoot: string;
  /** `cosign signing-config create`'s output: that Fulcio, that authority, no transparency log. */
  signingConfig: string;
  /** The OIDC issuer Fulcio trusts: the harness OIDC server's own URL. */
  issuer: string;
  /** The PEM chains the servers answered with (Fulcio's ephemeral CA, the authority's), as put in the trusted root. */
  chains: { fulcio: string; tsa: string };
  /** The servers' last lines of output, for a failing test's message. */
  logs(): string;
  stop(): Promise<void>;
}

// Inside the namespace, where the servers listen on fixed ports of its own loopback.
const FULCIO_PORT = 5555;
const FULCIO_GRPC_PORT = 5554;
const FULCIO_METRICS_PORT = 2113;
const TSA_PORT = 3000;

type End = { path: string } | { port: number };
interface Relay {
  from: End;
  to: End;
}

const endpoint = (end: End): Socket => ('path' in end ? connect(end.path) : connect(end.port, LOOPBACK));

function pipe(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
}

/** A relay in this process: connections to `from` are piped to `to`. */
async function relay({ from, to }: Relay): Promise<{ server: Server; port: number }> {
  const server = createServer((client) => pipe(client, endpoint(to)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('path' in from) server.listen(from.path, () => resolve());
    else server.listen(from.port, LOOPBACK, () => resolve());
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

// The same relay as a script for `node -e` in the namespace; it prints `ready` once every end listens.
const NAMESPACE_RELAY = `
const net = require('node:net');
const relays = JSON.parse(process.argv[1]);
const end = (e) => (e.path ? net.connect(e.path) : net.connect(e.port, '${LOOPBACK}'));
let waiting = relays.length;
const ready = () => { if (--waiting === 0) process.stdout.write('ready\\n'); };
for (const { from, to } of relays) {
  const server = net.createServer((client) => {
    const target = end(to);
    client.pipe(target); target.pipe(client);
    client.on('error', () => target.destroy()); target.on('error', () => client.destroy());
  });
  if (from.path) server.listen(from.path, ready); else server.listen(from.port, '${LOOPBACK}', ready);
}
`;

/** Starts the relay in a new network namespace (its loopback up); resolves once it listens. */
async function startNamespace(relays: Relay[], dir: string): Promise<ChildProcess> {
  // unshare and sh exec in turn, so the child's pid is the relay's, in the new namespace: /proc/<pid>/ns/net.
  const child = spawn(
    'unshare',
    [
      '--net',
      '--',
      'sh',
      '-c',
      'ip link set lo up && exec "$@"',
      'sh',
      process.execPath,
      '-e',
      NAMESPACE_RELAY,
      JSON.stringify(relays),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('ready')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(
        new Error(
          `the network namespace for the private Sigstore did not start (unshare --net needs root; exit ${code}): ${output.trim()}`,
        ),
      ),
    );
  });
  return child;
}

async function fetchText(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url);
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts Fulcio and the timestamp authority for `oidc` (started with `selfIssued`, so its tokens' issuer is its own
 * URL), and writes the trusted root and signing config for them with `tools`' cosign.
 */
export async function startPrivateSigstore(tools: RealTools, oidc: OidcServer): Promise<PrivateSigstore> {
  const issuer = oidc.issuer;
  const oidcPort = Number(new URL(issuer).port);
  if (!issuer.startsWith(`http://${LOOPBACK}:`) || !oidcPort)
    throw new Error(`the OIDC server's issuer is ${issuer}: start it with selfIssued for a private Fulcio`);
  const dir = mkdtempSync(join(tmpdir(), 'secure-image-sigstore-'));
  const socket = (name: string): string => join(dir, `${name}.sock`);
  const servers: Server[] = [];
  const daemons: Daemon[] = [];
  let namespace: ChildProcess | undefined;

  const stop = async (): Promise<void> => {
    await Promise.all(daemons.map((d) => d.stop()));
    if (namespace?.pid) {
      try {
        process.kill(-namespace.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    rmSync(dir, { recursive: true, force: true });
  };
  const logs = (): string =>
    daemons
      .map((d, i) => `--- ${['fulcio', 'timestamp-server'][i]}\n${d.log.slice(-20).join('\n')}`)
      .join('\n');

  try {
    // The issuer, from the namespace's loopback to this one's; the servers, from this loopback to the namespace's.
    servers.push((await relay({ from: { path: socket('oidc') }, to: { port: oidcPort } })).server);
    const fulcio = await relay({ from: { port: 0 }, to: { path: socket('fulcio') } });
    const tsa = await relay({ from: { port: 0 }, to: { path: socket('tsa') } });
    servers.push(fulcio.server, tsa.server);
    namespace = await startNamespace(
      [
        { from: { port: oidcPort }, to: { path: socket('oidc') } },
        { from: { path: socket('fulcio') }, to: { port: FULCIO_PORT } },
        { from: { path: socket('tsa') }, to: { port: TSA_PORT } },
      ],
      dir,
    );
    const relayPid = namespace.pid;
    process.once('exit', () => {
      try {
        if (relayPid) process.kill(-relayPid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    });
    const netns = `--net=/proc/${relayPid}/ns/net`;
    const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: dir };

    // A GitHub Actions issuer: the certificate's identity is https://github.com/<job_workflow_ref>, its issuer the
    // token's `iss`, as for GitHub's own tokens; the audience is cosign's.
    const config = join(dir, 'fulcio.json');
    writeFileSync(
      config,
      JSON.stringify({
        OIDCIssuers: { [issuer]: { IssuerURL: issuer, ClientID: 'sigstore', Type: 'github-workflow' } },
      }),
    );
    daemons.push(
      startDaemon(
        'nsenter',
        [
          netns,
          '--',
          tools.path('fulcio'),
          'serve',
          '--ca',
          'ephemeralca',
          '--ct-log-url',
          '',
          '--config-path',
          config,
          '--host',
          LOOPBACK,
          '--port',
          String(FULCIO_PORT),
          '--grpc-host',
          LOOPBACK,
          '--grpc-port',
          String(FULCIO_GRPC_PORT),
          '--metrics-port',
          String(FULCIO_METRICS_PORT),
          '--legacy-unix-domain-socket',
          socket('fulcio-legacy'),
          '--log_type',
          'prod',
        ],
        env,
        dir,
      ),
    );
    daemons.push(
      startDaemon(
        'nsenter',
        [
          netns,
          '--',
          tools.path('timestamp-server'),
          'serve',
          '--host',
          LOOPBACK,
          '--port',
          String(TSA_PORT),
          '--scheme',
          'http',
          '--timestamp-signer',
          'memory',
          '--disable-ntp-monitoring',
          '--log-type',
          'prod',
        ],
        env,
        dir,
      ),
    );
    const fulcioUrl = `http://${LOOPBACK}:${fulcio.port}`;
    const tsaUrl = `http://${LOOPBACK}:${tsa.port}`;
    let fulcioChain: string | undefined;
    let tsaChain: string | undefined;
    await waitUntil(
      async () => {
        const gone = daemons.find((d) => d.exited());
        if (gone) throw new Error(`a private Sigstore server exited at start:\n${logs()}`);
        fulcioChain ??= await fetchText(`${fulcioUrl}/api/v1/rootCert`);
        tsaChain ??= await fetchText(`${tsaUrl}/api/v1/timestamp/certchain`);
        return fulcioChain !== undefined && tsaChain !== undefined;
      },
      60_000,
      'Fulcio and the timestamp authority',
    );
    const chains = { fulcio: join(dir, 'fulcio-chain.pem'), tsa: join(dir, 'tsa-chain.pem') };
    writeFileSync(chains.fulcio, fulcioChain ?? '');
    writeFileSync(chains.tsa, tsaChain ?? '');

    const trustedRoot = join(dir, 'trusted_root.json');
    const signingConfig = join(dir, 'signing_config.json');
    const tsaApi = `${tsaUrl}/api/v1/timestamp`;
    // A service of the signing config is chosen when its start is past; a minute ago is.
    const since = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const cosign = (args: string[]) => run(tools.path('cosign'), args, { env, cwd: dir });
    await cosign([
      'trusted-root',
      'create',
      '--fulcio',
      `url=${fulcioUrl},certificate-chain=${chains.fulcio}`,
      '--tsa',
      `url=${tsaApi},certificate-chain=${chains.tsa}`,
      '--out',
      trustedRoot,
    ]);
    await cosign([
      'signing-config',
      'create',
      '--fulcio',
      `url=${fulcioUrl},api-version=1,start-time=${since},operator=secure-image-tests`,
      '--tsa',
      `url=${tsaApi},api-version=1,start-time=${since},operator=secure-image-tests`,
      '--tsa-config',
      'EXACT:1',
      '--out',
      signingConfig,
    ]);
    return { fulcioUrl, tsaUrl, trustedRoot, signingConfig, issuer, chains, logs, stop };
  } catch (error) {
    const said = logs();
    await stop();
    if (error instanceof Error && daemons.length > 0) error.message += `\n${said}`;
    throw error;
  }
}
