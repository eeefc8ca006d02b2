// `npm run demo`: the action's main job on the bundled offline example, on this machine. A real
// registry on 127.0.0.1, a base image built and pushed to it, the committed dist/index.js run exactly
// as GitHub's runner runs it, and the job summary printed at the end.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_IDENTITY, BASE_REPO, startOfflineWorld } from '../__tests__/e2e/offline-world.js';
import { startPrivateSigstore } from '../__tests__/harness/private-sigstore.js';
import { keyRulePolicy, publisherSignArgs, realTools } from '../__tests__/harness/real-tools.js';
import { DIST_ENTRY } from '../__tests__/harness/runner.js';

function which(tool: string): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}

/** `--scenario=NAME`: `passing` (the default) or `failing-base` (the base image is not signed). */
const SCENARIOS = ['passing', 'failing-base'] as const;
type DemoScenario = (typeof SCENARIOS)[number];

function scenarioOf(argv: readonly string[]): DemoScenario {
  const given = argv.find((a) => a.startsWith('--scenario='))?.slice('--scenario='.length) ?? 'passing';
  if ((SCENARIOS as readonly string[]).includes(given)) return given as DemoScenario;
  throw new Error(`--scenario=${given}: accepted scenarios are ${SCENARIOS.join(', ')}`);
}

async function main(): Promise<void> {
  const scenario = scenarioOf(process.argv.slice(2));
  if (!existsSync(DIST_ENTRY)) throw new Error('dist/index.js is missing: run `npm run bundle` first');
  const say = (line = ''): void => void process.stdout.write(`${line}\n`);

  say('secure-image demo: the offline example, end to end, on this machine');
  say();
  const github = await reachable('https://github.com');
  // The real cosign that scripts/install-real-tools.sh builds, when it is there; else one on PATH; else the stand-in.
  const builtCosign = realTools(['cosign']).tools?.path('cosign');
  const realCosign = builtCosign ?? which('cosign');
  const realTrivy = which('trivy');
  say('Tools');
  say(
    github
      ? '- github.com answers: the action could install cosign and trivy itself; this demo still uses what is below, so it runs the same everywhere.'
      : '- github.com does not answer from here, so the action cannot download cosign or trivy (it would refuse anything it cannot verify).',
  );

  // Keyless, the recommended path, where the harness can start a private Sigstore for it: the real Fulcio and
  // timestamp authority (built by scripts/install-real-tools.sh), trusting this run's OIDC token endpoint. They run in
  // a network namespace of their own, which needs root; else the demo signs with a key.
  const sigstoreTools =
    builtCosign && process.getuid?.() === 0
      ? realTools(['cosign', 'fulcio', 'timestamp-server']).tools
      : undefined;
  const world = await startOfflineWorld(sigstoreTools ? { selfIssuedOidc: true } : {});
  const sigstore = sigstoreTools ? await startPrivateSigstore(sigstoreTools, world.oidc) : undefined;
  try {
    const cosign = realCosign ?? world.standins.cosign;
    const trivy = realTrivy ?? world.standins.trivy;
    say(
      realCosign
        ? `- cosign: ${realCosign} (the real cosign, built from source on this machine; passed as cosign-path, "provided, not verified")`
        : '- cosign: the test stand-in, which follows the upstream CLI reference but checks signatures it was told about (skipped: real Sigstore verification; `bash scripts/install-real-tools.sh` builds the real one)',
    );
    say(
      realTrivy
        ? `- trivy: ${realTrivy} (installed on this machine)`
        : "- trivy: the test stand-in, which answers with trivy's own report fixtures (skipped: a real vulnerability scan)",
    );
    say(`- registry: Debian's docker-registry on ${world.registry.url}`);

    // No OIDC outside GitHub: sign with key pairs made for this run, as `cosign generate-key-pair` makes them.
    const password = randomBytes(12).toString('hex');
    const keyPair = (name: string): { dir: string; privatePem: string; publicPem: string } => {
      const dir = join(world.dir, name);
      mkdirSync(dir, { recursive: true });
      execFileSync(cosign, ['generate-key-pair'], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir, COSIGN_PASSWORD: password },
        stdio: 'ignore',
      });
      return {
        dir,
        privatePem: readFileSync(join(dir, 'cosign.key'), 'utf8'),
        publicPem: readFileSync(join(dir, 'cosign.pub'), 'utf8'),
      };
    };
    const keys = keyPair('keys');
    // With the real cosign there is no Sigstore to check a keyless base image against: the base image's publisher
    // signs it with a key of its own, without a transparency-log entry (none can be reached), and the policy
    // trusts that key (`tlog: false`). The stand-in knows the keyless signature it was told about.
    let policy: string | undefined;
    if (realCosign) {
      const publisher = keyPair('publisher');
      if (scenario === 'passing')
        execFileSync(
          cosign,
          publisherSignArgs(
            join(publisher.dir, 'cosign.key'),
            `${world.registry.host}/${BASE_REPO}@${world.base.digest}`,
          ),
          {
            env: { PATH: process.env.PATH, HOME: publisher.dir, COSIGN_PASSWORD: password },
            stdio: 'ignore',
          },
        );
      policy = keyRulePolicy(
        'offline base',
        `127.0.0.1:*/${BASE_REPO.split('/')[0] ?? ''}/*`,
        publisher.publicPem,
      );
      say(
        scenario === 'passing'
          ? `- base image: ${world.base.ref} (busybox, built with buildah), signed by its publisher's key (${join(publisher.dir, 'cosign.pub')}) without a transparency-log entry`
          : `- base image: ${world.base.ref} (busybox, built with buildah), not signed; the policy trusts only its publisher's key (${join(publisher.dir, 'cosign.pub')})`,
      );
    } else {
      say(`- base image: ${world.base.ref} (busybox, built with buildah), signed by ${BASE_IDENTITY}`);
    }
    say(
      sigstore
        ? `- signing: keyless, with this run's OIDC token (as a workflow with \`id-token: write\` has it), against a private Sigstore started here: the real Fulcio (${sigstore.fulcioUrl}) and timestamp authority (${sigstore.tsaUrl}), given to the action as \`sigstore-trusted-root\` and \`sigstore-signing-config\``
        : `- signing key: a fresh cosign key pair in ${keys.dir} (keyless signing needs GitHub's OIDC token and Fulcio)`,
    );
    say();
    // The example's ARG BASE default pinned to the digest just pushed, as the first run's annotation tells a
    // maintainer to do (the example in the repository cannot carry it: the digest is made on this machine).
    const workspace = world.workspace(policy);
    const dockerfile = join(workspace, 'app', 'Dockerfile');
    const unpinned = readFileSync(dockerfile, 'utf8');
    const pinned = unpinned.replace(
      /^ARG BASE=(\S+)$/m,
      (_line, ref: string) => `ARG BASE=${ref}@${world.base.digest}`,
    );
    if (pinned === unpinned) throw new Error(`${dockerfile}: no ARG BASE line to pin`);
    writeFileSync(dockerfile, pinned);
    say(`- the example's ARG BASE pinned to ${world.base.digest} in the demo's copy of it`);
    say();

    const image = `${world.registry.host}/demo/hello`;
    if (scenario === 'failing-base')
      say(
        'Scenario failing-base: the registry holds no signature for the base image, so the run stops before the build.',
      );
    if (sigstore) {
      mkdirSync(join(workspace, 'sigstore'));
      copyFileSync(sigstore.trustedRoot, join(workspace, 'sigstore', 'trusted_root.json'));
      copyFileSync(sigstore.signingConfig, join(workspace, 'sigstore', 'signing_config.json'));
    }
    const signing: { inputs: Record<string, string>; env: Record<string, string> } = sigstore
      ? {
          inputs: {
            'sigstore-trusted-root': 'sigstore/trusted_root.json',
            'sigstore-signing-config': 'sigstore/signing_config.json',
          },
          env: {},
        }
      : {
          inputs: {
            'cosign-key': keys.privatePem,
            'cosign-password': password,
            // The real cosign cannot reach the public transparency log from here.
            ...(realCosign ? { 'tlog-upload': 'false' } : {}),
          },
          // No OIDC token: the key signs.
          env: { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' },
        };
    const result = await world.run({
      ...(scenario === 'failing-base' ? { scenario: { cosign: { signedImages: [] } } } : {}),
      workspace,
      inputs: { image, tags: 'demo', 'cosign-path': cosign, 'scanner-path': trivy, ...signing.inputs },
      env: signing.env,
    });

    say(`The action exited with ${result.exitCode}. Its outputs:`);
    for (const [name, value] of Object.entries(result.outputs)) {
      const shown = name === 'base-images' ? JSON.stringify(JSON.parse(value), null, 2) : value;
      say(`  ${name}: ${shown.split('\n').join('\n    ')}`);
    }
    say();
    say('Annotations:');
    for (const a of result.annotations) {
      say(
        `  ${a.level}${a.file ? ` ${a.file}:${a.line ?? ''}` : ''}: ${a.title ? `${a.title}: ` : ''}${a.message.split('\n').join(' / ')}`,
      );
    }
    say();
    say('The job summary (markdown, as GitHub renders it on the run page):');
    say('-'.repeat(100));
    say(result.summary);
    say('-'.repeat(100));
    const saved = join(process.cwd(), 'demo-summary.md');
    writeFileSync(saved, result.summary);
    say(`Saved to ${saved}.`);
    const verdict = result.summary.split('\n')[2] ?? '';
    if (scenario === 'passing' && !verdict.startsWith('**Passed**')) {
      // What keeps this machine's run from a clean pass, so nobody reads the warning as a defect of the example.
      say();
      say('Why not a clean pass here:');
      if (verdict.includes('provided, not verified'))
        say(
          '- cosign and trivy are passed as cosign-path/scanner-path, which the action reports as not verified: a verified install downloads them from GitHub releases and checks their Sigstore signatures, which needs github.com.',
        );
    }
    if (result.exitCode !== 0) process.exitCode = result.exitCode;
  } finally {
    await sigstore?.stop();
    await world.stop();
  }
}

await main();
