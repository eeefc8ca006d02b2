// Build secrets through dist/index.js with real buildah: a `RUN --mount=type=secret` step reads each of
// `secrets`, `secret-files` and `secret-envs` (the build fails unless it finds the value), and then no spelling of
// any of them is anywhere a person, a later step or a verifier can read: the image's layers (unpacked), its config
// and history, the build log, the summary, the outputs, the SARIF and every signature and attestation, nor any file
// left under RUNNER_TEMP or the workspace. buildah's argv carries the secret files' paths only.
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { flagValues, loggingBuildah, secretsInFiles, secretsInTexts } from './adversity.js';
import { visibleStdout } from './expectations.js';
import { explain, useOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;
useOfflineWorld((started) => (world = started));

const canary = (what: string): string => `S3CR3T-${what}-${randomBytes(6).toString('hex')}-CANARY`;

/** Every layer of the pushed image, unpacked, and its config (with the history), as text. */
async function imageTexts(repo: string, digest: string): Promise<Record<string, string>> {
  const manifest = await world.registry.manifest(repo, digest);
  const body = manifest?.body as { config: { digest: string }; layers: Array<{ digest: string }> };
  const texts: Record<string, string> = {};
  const config = await world.registry.blob(repo, body.config.digest);
  texts['image config and history'] = config?.toString('utf8') ?? '';
  for (const layer of body.layers) {
    const blob = (await world.registry.blob(repo, layer.digest)) ?? Buffer.alloc(0);
    const tar = blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob;
    texts[`layer ${layer.digest}`] = tar.toString('latin1');
  }
  return texts;
}

describe('build secrets', () => {
  it('secrets, secret-files and secret-envs reach RUN --mount=type=secret and nothing else', async () => {
    const inline = canary('INLINE');
    const fromFile = canary('FILE');
    const fromEnv = canary('ENV');
    const ws = world.workspace();
    // The secret file lives outside the workspace and RUNNER_TEMP, both of which the audit reads.
    const secretFile = join(world.dir, `secret-${randomBytes(4).toString('hex')}.txt`);
    writeFileSync(secretFile, `${fromFile}\n`, { mode: 0o600 });
    const dockerfile = join(ws, 'app', 'Dockerfile');
    writeFileSync(
      dockerfile,
      readFileSync(dockerfile, 'utf8').replace(
        'USER 65532',
        [
          'RUN --mount=type=secret,id=token,required=true --mount=type=secret,id=file,required=true \\',
          '    --mount=type=secret,id=env,required=true \\',
          '    grep -q CANARY /run/secrets/token && grep -q CANARY /run/secrets/file && grep -q CANARY /run/secrets/env',
          'USER 65532',
        ].join('\n'),
      ),
    );
    const buildah = loggingBuildah(join(world.dir, 'buildah-secrets'));
    const repo = 'secrets/app';
    const result = await world.run({
      workspace: ws,
      inputs: {
        image: `${world.registry.host}/${repo}`,
        tags: 'v1',
        secrets: `token=${inline}`,
        'secret-files': `file=${secretFile}`,
        'secret-envs': 'env=BUILD_TOKEN',
      },
      env: { BUILD_TOKEN: fromEnv, PATH: `${buildah.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    expect({ exitCode: result.exitCode, explain: result.exitCode === 0 ? '' : explain(result) }).toEqual({
      exitCode: 0,
      explain: '',
    });
    expect(result.outputs.signed).toBe('true');
    const digest = result.outputs.digest ?? '';

    // What buildah was told: ids and file paths, the written ones under RUNNER_TEMP and gone now.
    const build = buildah.calls().find((argv) => argv[0] === 'build') ?? [];
    const mounts = flagValues(build, '--secret');
    expect(mounts.map((m) => m.replace(/,src=.*/, ''))).toEqual(['id=token', 'id=env', 'id=file']);
    expect(mounts[2]).toBe(`id=file,src=${secretFile}`);
    const written = [mounts[0], mounts[1]].map((m) => (m ?? '').replace(/^id=\w+,src=/, ''));
    for (const path of written) {
      expect(path.startsWith(result.runnerTemp)).toBe(true);
      expect(existsSync(path)).toBe(false);
    }
    expect(statSync(secretFile).isFile()).toBe(true);

    const secrets = { secrets: inline, 'secret-files': fromFile, 'secret-envs': fromEnv };
    for (const value of Object.values(secrets)) expect(result.masks).toContain(value);
    const sarif = readFileSync(result.outputs['sarif-file'] ?? '', 'utf8');
    expect(JSON.parse(sarif)).toEqual(expect.objectContaining({ version: '2.1.0' }));
    const texts = {
      ...(await imageTexts(repo, digest)),
      'build log (stdout)': visibleStdout(result),
      stderr: result.stderr,
      summary: result.summary,
      outputs: JSON.stringify(result.outputs),
      SARIF: sarif,
      'buildah argv': JSON.stringify(buildah.calls()),
      'cosign calls': JSON.stringify(world.standins.calls('cosign')),
      'signatures and attestations': JSON.stringify(world.standins.signatures()),
    };
    // The audit reads what it should: the image's layers hold the app the build copied in.
    expect(Object.entries(texts).some(([k, t]) => k.startsWith('layer') && t.includes('hello'))).toBe(true);
    expect(secretsInTexts(texts, secrets)).toEqual([]);
    expect(
      secretsInFiles(
        [result.dir, ws, join(world.registry.dataDir, 'storage'), world.standins.stateDir],
        secrets,
      ),
    ).toEqual([]);
  }, 180_000);

  it('ssh: the runner’s agent (default) and a key file reach RUN --mount=type=ssh, and the key is nowhere else', async () => {
    const dir = mkdtempSync(join(world.dir, 'ssh-'));
    const key = join(dir, 'deploy_key');
    const tools = { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } };
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'deploy', '-f', key], tools);
    const privateKey = readFileSync(key, 'utf8');
    const agentKey = join(dir, 'agent_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'agent', '-f', agentKey], tools);
    // The runner's agent (webfactory/ssh-agent starts one and exports SSH_AUTH_SOCK), holding another key.
    const socket = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { ...tools, stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
      execFileSync('ssh-add', ['-q', agentKey], { env: { ...tools.env, SSH_AUTH_SOCK: socket } });
      const ws = world.workspace();
      const dockerfile = join(ws, 'app', 'Dockerfile');
      // Each RUN fails unless the builder mounted an agent socket for that id (busybox has no ssh-add: test -S).
      writeFileSync(
        dockerfile,
        readFileSync(dockerfile, 'utf8').replace(
          'USER 65532',
          [
            'RUN --mount=type=ssh,id=default,required=true test -S "$SSH_AUTH_SOCK"',
            'RUN --mount=type=ssh,id=deploy,required=true test -S "$SSH_AUTH_SOCK"',
            'USER 65532',
          ].join('\n'),
        ),
      );
      const buildah = loggingBuildah(join(world.dir, 'buildah-ssh'));
      const repo = 'secrets/ssh';
      const result = await world.run({
        workspace: ws,
        inputs: { image: `${world.registry.host}/${repo}`, tags: 'v1', ssh: `default\ndeploy=${key}` },
        env: { SSH_AUTH_SOCK: socket, PATH: `${buildah.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
      });
      expect({ exitCode: result.exitCode, explain: result.exitCode === 0 ? '' : explain(result) }).toEqual({
        exitCode: 0,
        explain: '',
      });
      // buildah got the agent by name and the key by its path; the socket through the environment.
      const build = buildah.calls().find((argv) => argv[0] === 'build') ?? [];
      expect(flagValues(build, '--ssh')).toEqual(['default', `deploy=${key}`]);
      const texts = {
        ...(await imageTexts(repo, result.outputs.digest ?? '')),
        'build log (stdout)': visibleStdout(result),
        stderr: result.stderr,
        summary: result.summary,
        outputs: JSON.stringify(result.outputs),
        'buildah argv': JSON.stringify(buildah.calls()),
        'signatures and attestations': JSON.stringify(world.standins.signatures()),
      };
      // The private keys' bodies (their base64 lines) appear in none of them.
      const secrets = {
        'deploy key': privateKey.split('\n')[2] ?? '',
        'agent key': readFileSync(agentKey, 'utf8').split('\n')[2] ?? '',
      };
      expect(Object.values(secrets).every((v) => v.length > 20)).toBe(true);
      expect(secretsInTexts(texts, secrets)).toEqual([]);
    } finally {
      agent.kill();
    }
  }, 180_000);

  it('a malformed secrets line is reported by its number, without its text; a missing env or file by name', async () => {
    const value = canary('MALFORMED');
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/secrets/bad`,
        secrets: `ok=1234\n${value}`,
        'secret-envs': 'env=NOT_SET_ANYWHERE',
        'secret-files': 'file=missing/secret.txt',
      },
    });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors.join('\n')).toMatch(/Input `secrets`, line 2 is not id=value \(the line is not shown/);
    expect(errors.join('\n')).toMatch(
      /Input `secret-envs`, line 1: the environment variable NOT_SET_ANYWHERE is not set/,
    );
    expect(errors.join('\n')).toMatch(
      /Input `secret-files`, line 1: file "missing\/secret.txt" does not exist/,
    );
    expect(secretsInTexts({ log: visibleStdout(result), summary: result.summary }, { value })).toEqual([]);
    expect(await world.registry.tags('secrets/bad')).toEqual([]);
  });
});
