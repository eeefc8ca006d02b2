// Every input error through dist/index.js, as a workflow author meets it: exit code 1, an `::error::`
// that names the input and what is accepted, no outputs, nothing built or pushed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, runAction, type RunResult } from '../harness/runner.js';
import { startRegistry, type Registry } from '../harness/registry.js';

let registry: Registry;
let workspace: string;

beforeAll(async () => {
  registry = await startRegistry();
  workspace = mkdtempSync(join(tmpdir(), 'secure-image-ws-'));
  cpSync(join(PROJECT_ROOT, 'examples', 'offline'), join(workspace, 'app'), { recursive: true });
});

afterAll(async () => {
  await registry.stop();
  rmSync(workspace, { recursive: true, force: true });
});

const errorsOf = (r: RunResult): string[] =>
  r.annotations.filter((a) => a.level === 'error').map((a) => a.message);

async function expectRejected(inputs: Record<string, string>, ...expected: RegExp[]): Promise<RunResult> {
  const image = `${registry.host}/acme/app`;
  const result = await runAction({ workspace, inputs: { context: 'app', image, ...inputs } });
  expect(result.exitCode).toBe(1);
  const errors = errorsOf(result).join('\n');
  for (const e of expected) expect(errors).toMatch(e);
  expect(result.outputs).toEqual({});
  expect(await registry.tags('acme/app')).toEqual([]);
  // The job summary says the same, and that nothing ran.
  expect(result.summary).toMatch(
    /^## ❌ secure-image: (an input is not valid|\d+ problems with the inputs)\n/,
  );
  expect(result.summary).toContain('nothing was built, pushed, scanned or signed');
  for (const e of expected) expect(result.summary.replace(/\\(.)/g, '$1')).toMatch(e);
  return result;
}

describe('input validation through dist/index.js', () => {
  it('names an unknown scanner and the accepted values', async () => {
    await expectRejected(
      { scanner: 'snyk' },
      /Input `scanner` must be one of `trivy`, `grype`, `none`; got "snyk"/,
    );
  });

  it('rejects unknown values of every enum input', async () => {
    await expectRejected(
      {
        builder: 'kaniko',
        'verify-base-images': 'maybe',
        'digest-pinning': 'strict',
        'fail-on-severity': 'severe',
      },
      /`builder` must be one of `auto`, `docker`, `buildah`, `podman`; got "kaniko"/,
      /`verify-base-images` must be one of `enforce`, `warn`, `off`; got "maybe"/,
      /`digest-pinning` must be one of `warn`, `off`, `enforce`; got "strict"/,
      /`fail-on-severity` must be one of `high`, `critical`, `medium`, `low`, `never`; got "severe"/,
    );
  });

  it('rejects a boolean input that is not true or false', async () => {
    await expectRejected({ push: 'yes' }, /Input `push` must be `true` or `false`; got "yes"/);
  });

  it('points at the malformed line of build-args and labels', async () => {
    await expectRejected(
      { 'build-args': 'GREETING=hi\nJUSTAKEY', labels: '=nokey' },
      /Input `build-args`, line 2: "JUSTAKEY" is not KEY=VALUE/,
      /Input `labels`, line 1: "=nokey" is not KEY=VALUE/,
    );
  });

  it('rejects tags that are not valid references', async () => {
    await expectRejected(
      { tags: '-leading-dash\nGHCR.IO/Acme/App:1\nghcr.io/acme/app@sha256:' + 'a'.repeat(64) },
      /Input `tags`: "-leading-dash" is not a valid tag/,
      /Input `tags`: "GHCR.IO\/Acme\/App:1" is not a valid image reference/,
      /has a digest; tags name what is pushed/,
    );
  });

  it('rejects an image input that carries a tag or a digest', async () => {
    await expectRejected({ image: `${'ghcr.io/acme/app'}:1.0` }, /Input `image`: .*tag/);
    await expectRejected({ image: `ghcr.io/acme/app@sha256:${'b'.repeat(64)}` }, /Input `image`: .*digest/);
  });

  it('asks for image when pushing, and says how to build without it', async () => {
    const result = await runAction({ workspace, inputs: { context: 'app' } });
    expect(result.exitCode).toBe(1);
    expect(errorsOf(result).join('\n')).toMatch(/Input `image` is required to push: .* or set `push: false`/);
    expect(result.outputs).toEqual({});
  });

  it('rejects a digest that is not sha256 and 64 hex characters', async () => {
    await expectRejected(
      { digest: 'sha256:1234' },
      /Input `digest`: "sha256:1234" is not `sha256:` followed by 64/,
    );
  });

  it('says which path it tried for a missing context and a missing Dockerfile', async () => {
    await expectRejected(
      { context: 'nowhere' },
      /Input `context`: directory "nowhere" does not exist \(looked for .*nowhere\)/,
    );
    await expectRejected(
      { file: 'app/Containerfile' },
      /Input `file`: "app\/Containerfile" does not exist \(looked for .*app\/Containerfile\)/,
    );
  });

  it('rejects a password without its key or username', async () => {
    await expectRejected(
      { 'cosign-password': 'hunter22', 'registry-password': 's3cret-value' },
      /`cosign-password` is set but `cosign-key` is empty/,
      /`registry-password` is set but `registry-username` is empty/,
    );
  });

  it('rejects a trust policy file that does not exist', async () => {
    await expectRejected(
      { 'trust-policy': '.github/nope.yml' },
      /Input `trust-policy`: file ".github\/nope.yml" does not exist/,
    );
  });

  it('reports several problems in one run, each as its own error', async () => {
    const result = await expectRejected(
      { scanner: 'snyk', digest: 'nope', 'cosign-password': 'pw-value-1' },
      /`scanner`/,
      /`digest`/,
      /`cosign-password`/,
    );
    expect(errorsOf(result).length).toBeGreaterThanOrEqual(4);
    expect(errorsOf(result).at(-1)).toMatch(/3 problems with the inputs/);
  });

  it('masks secrets the moment they are read, even when the inputs are invalid', async () => {
    const result = await expectRejected(
      { 'cosign-password': 'pw-very-secret-1', scanner: 'snyk' },
      /`scanner`/,
    );
    expect(result.masks).toContain('pw-very-secret-1');
  });
});
