// The offline example's world, shared by end-to-end suites: a real registry holding a busybox base
// image signed by a release workflow's identity, stand-in tools that know about that signature, a
// buildah store of the suite's own, and a workspace with the example copied into it.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOidcServer, type OidcServer } from '../harness/oidc.js';
import { pushBaseImage, startRegistry, type Registry } from '../harness/registry.js';
import { PROJECT_ROOT, runAction, type RunOptions, type RunResult } from '../harness/runner.js';
import { execStandin, installStandins, type Scenario, type Standins } from '../harness/standins.js';

export const BASE_REPO = 'secure-image/busybox';
export const BASE_IDENTITY = 'https://github.com/acme/base/.github/workflows/release.yml@refs/tags/v1.0.0';
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface OfflineWorld {
  registry: Registry;
  /** GitHub's OIDC token endpoint, as a workflow with `id-token: write` has it. */
  oidc: OidcServer;
  base: { ref: string; digest: string };
  standins: Standins;
  dir: string;
  /** Fresh copy of examples/offline as `<workspace>/app`. */
  workspace(policy?: string): string;
  /** The stand-ins' default scenario: the base image signed by BASE_IDENTITY. */
  signedBase(): Scenario;
  run(options: RunOptions & { scenario?: Scenario }): Promise<RunResult>;
  stop(): Promise<void>;
}

export const OFFLINE_POLICY = `unmatched: deny
rules:
  - name: offline base
    images: ["127.0.0.1:*/secure-image/*"]
    keyless:
      issuer: ${GITHUB_ISSUER}
      identity-regexp: ^https://github\\.com/acme/base/\\.github/workflows/release\\.yml@refs/tags/v
`;

/** `selfIssuedOidc`: the OIDC server issues tokens as itself, for a real Fulcio to verify (see startOidcServer). */
export async function startOfflineWorld(options: { selfIssuedOidc?: boolean } = {}): Promise<OfflineWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'secure-image-world-'));
  const registry = await startRegistry();
  const base = await pushBaseImage(registry, BASE_REPO, 'stable');
  const oidc = await startOidcServer({
    claims: {
      repository: 'acme/hello',
      job_workflow_ref: 'acme/hello/.github/workflows/release.yml@refs/heads/main',
    },
    ...(options.selfIssuedOidc ? { selfIssued: true } : {}),
  });
  const signedBase = (): Scenario => ({
    cosign: {
      oidcPublicKeyPem: oidc.publicKeyPem,
      signedImages: [
        {
          image: `${registry.host}/${BASE_REPO}`,
          digest: base.digest,
          identity: BASE_IDENTITY,
          issuer: GITHUB_ISSUER,
        },
      ],
    },
  });
  const standins = await installStandins(join(dir, 'standins'), signedBase());

  // A containers storage of the suite's own, as a self-hosted runner would configure buildah.
  const storage = join(dir, 'containers');
  mkdirSync(storage, { recursive: true });
  const storageConf = join(storage, 'storage.conf');
  writeFileSync(
    storageConf,
    `[storage]\ndriver = "vfs"\ngraphroot = "${join(storage, 'root')}"\nrunroot = "${join(storage, 'runroot')}"\n`,
  );

  let workspaces = 0;
  const workspace = (policy = OFFLINE_POLICY): string => {
    const ws = join(dir, `ws-${++workspaces}`);
    cpSync(join(PROJECT_ROOT, 'examples', 'offline'), join(ws, 'app'), { recursive: true });
    writeFileSync(join(ws, 'app', 'secure-image.yml'), policy);
    return ws;
  };

  return {
    registry,
    oidc,
    base,
    standins,
    dir,
    workspace,
    signedBase,
    async run(options) {
      await standins.setScenario(options.scenario ?? signedBase());
      await standins.clearCalls();
      const ws = options.workspace ?? workspace();
      return runAction({
        ...options,
        workspace: ws,
        inputs: {
          context: 'app',
          'trust-policy': 'app/secure-image.yml',
          'build-args': `REGISTRY=${registry.host}`,
          'cosign-path': standins.cosign,
          'scanner-path': standins.trivy,
          'pr-comment': 'false',
          ...options.inputs,
        },
        env: {
          ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
          CONTAINERS_STORAGE_CONF: storageConf,
          BUILDAH_ISOLATION: 'chroot',
          ...options.env,
        },
      });
    },
    async stop() {
      await oidc.stop();
      await registry.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A world for the calling jest suite: started before its first test (handed to `use`), stopped after its last. Jest's
 * hooks are its globals here, not imports: the benchmark and the demo load this module outside jest.
 */
export function useOfflineWorld(use: (world: OfflineWorld) => void): void {
  const hooks = globalThis as unknown as {
    beforeAll(fn: () => Promise<void>, timeoutMs: number): void;
    afterAll(fn: () => Promise<void>): void;
  };
  let started: OfflineWorld | undefined;
  hooks.beforeAll(async () => {
    started = await startOfflineWorld();
    use(started);
  }, 120_000);
  hooks.afterAll(async () => {
    await started?.stop();
  });
}

/**
 * A rebuilt base image: the base's layers with a new config (`created` changed), so a new digest, which `tag` is
 * made to point at. Resolves to the new digest. For the freshness check: a pinned tag that moved.
 */
export async function pushRebuiltBase(world: OfflineWorld, tag: string, created: string): Promise<string> {
  const base = await world.registry.manifest(BASE_REPO, world.base.digest);
  if (!base) throw new Error('no base image');
  const body = base.body as { config: { digest: string; size: number } };
  const config = JSON.parse(
    (await world.registry.blob(BASE_REPO, body.config.digest))?.toString('utf8') ?? '{}',
  ) as Record<string, unknown>;
  const blob = await world.registry.putBlob(BASE_REPO, Buffer.from(JSON.stringify({ ...config, created })));
  const manifest = JSON.stringify({
    ...body,
    config: { ...body.config, digest: blob.digest, size: blob.size },
  });
  return world.registry.putManifest(BASE_REPO, tag, base.mediaType, manifest);
}

export function baseImagesOf(result: RunResult): Array<Record<string, unknown>> {
  const raw = result.outputs['base-images'];
  if (raw === undefined) throw new Error(`no base-images output; stdout:\n${result.stdout}`);
  return JSON.parse(raw) as Array<Record<string, unknown>>;
}

/** The image config the registry holds for a manifest digest (labels live in config.Labels). */
export async function imageConfig(
  registry: Registry,
  repo: string,
  digest: string,
): Promise<Record<string, unknown>> {
  const manifest = await registry.manifest(repo, digest);
  const body = manifest?.body as { config?: { digest?: string } } | undefined;
  const configDigest = body?.config?.digest;
  if (!configDigest) throw new Error(`no config in manifest ${repo}@${digest}`);
  const blob = await registry.blob(repo, configDigest);
  if (!blob) throw new Error(`config blob ${configDigest} missing`);
  return JSON.parse(blob.toString('utf8')) as Record<string, unknown>;
}

export function explain(result: RunResult): string {
  return `exit ${result.exitCode}\n--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr.slice(-3000)}`;
}

/** A cosign key pair made by the world's stand-in cosign, as `cosign generate-key-pair` makes it, with `password`. */
export async function standinKeyPair(
  world: OfflineWorld,
  password: string,
): Promise<{ dir: string; privatePem: string }> {
  const dir = mkdtempSync(join(world.dir, 'keys-'));
  const made = await execStandin(world.standins.cosign, ['generate-key-pair'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, COSIGN_PASSWORD: password },
    cwd: dir,
    timeoutMs: 30_000,
  });
  if (made.exitCode !== 0) throw new Error(`cosign generate-key-pair: ${made.stderr}`);
  return { dir, privatePem: readFileSync(join(dir, 'cosign.key'), 'utf8') };
}
