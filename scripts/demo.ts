// `npm run demo`: the action's main job on the bundled offline example, on this machine. A real
// registry on 127.0.0.1, a base image built and pushed to it, the committed dist/index.js run exactly
// as GitHub's runner runs it, and the job summary printed at the end.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_IDENTITY, startOfflineWorld } from '../__tests__/e2e/offline-world.js';
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
  const realCosign = which('cosign');
  const realTrivy = which('trivy');
  say('Tools');
  say(
    github
      ? '- github.com answers: the action could install cosign and trivy itself; this demo still uses what is below, so it runs the same everywhere.'
      : '- github.com does not answer from here, so the action cannot download cosign or trivy (it would refuse anything it cannot verify).',
  );

  const world = await startOfflineWorld();
  try {
    const cosign = realCosign ?? world.standins.cosign;
    const trivy = realTrivy ?? world.standins.trivy;
    say(
      realCosign
        ? `- cosign: ${realCosign} (installed on this machine; passed as cosign-path, "provided, not verified")`
        : '- cosign: the test stand-in, which follows the upstream CLI reference but checks signatures it was told about (skipped: real Sigstore verification)',
    );
    say(
      realTrivy
        ? `- trivy: ${realTrivy} (installed on this machine)`
        : "- trivy: the test stand-in, which answers with trivy's own report fixtures (skipped: a real vulnerability scan)",
    );
    say(`- registry: Debian's docker-registry on ${world.registry.url}`);
    say(`- base image: ${world.base.ref} (busybox, built with buildah), signed by ${BASE_IDENTITY}`);

    // No OIDC outside GitHub: sign with a key pair made for this run, as `cosign generate-key-pair` makes it.
    const keyDir = join(world.dir, 'keys');
    mkdirSync(keyDir, { recursive: true });
    const password = randomBytes(12).toString('hex');
    execFileSync(cosign, ['generate-key-pair'], {
      cwd: keyDir,
      env: { PATH: process.env.PATH, HOME: keyDir, COSIGN_PASSWORD: password },
      stdio: 'ignore',
    });
    say(`- signing key: a fresh cosign key pair in ${keyDir} (keyless signing needs GitHub's OIDC token)`);
    say();

    const image = `${world.registry.host}/demo/hello`;
    if (scenario === 'failing-base')
      say(
        'Scenario failing-base: the registry holds no signature for the base image, so the run stops before the build.',
      );
    const result = await world.run({
      ...(scenario === 'failing-base' ? { scenario: { cosign: { signedImages: [] } } } : {}),
      inputs: {
        image,
        tags: 'demo',
        'cosign-path': cosign,
        'scanner-path': trivy,
        'cosign-key': readFileSync(join(keyDir, 'cosign.key'), 'utf8'),
        'cosign-password': password,
      },
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' },
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
      if (verdict.includes('not pinned'))
        say(
          "- the example's ARG BASE default is not pinned: the base image is built on this machine, so its digest is known only at run time (the annotation gives the pinned ARG line).",
        );
    }
    if (result.exitCode !== 0) process.exitCode = result.exitCode;
  } finally {
    await world.stop();
  }
}

await main();
