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

async function main(): Promise<void> {
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
    const result = await world.run({
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
    if (result.exitCode !== 0) process.exitCode = result.exitCode;
  } finally {
    await world.stop();
  }
}

await main();
