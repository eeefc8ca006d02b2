import { describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig, type Config } from '../../src/config/index.js';
import type { GithubContext } from '../../src/github-context.js';
import { planStages } from '../../src/stages/plan.js';
import { ConfigErrors } from '../../src/util/errors.js';
import { actionDefaults, PROJECT_ROOT } from '../harness/runner.js';

const workspace = mkdtempSync(join(tmpdir(), 'secure-image-config-'));
cpSync(join(PROJECT_ROOT, 'examples', 'offline'), workspace, { recursive: true });

const github: GithubContext = {
  repository: 'acme/hello',
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  runId: '1',
  runAttempt: '1',
  eventName: 'push',
  eventPath: '',
  workspace,
  runnerOs: 'Linux',
  runnerArch: 'X64',
  runnerTemp: tmpdir(),
  toolCache: tmpdir(),
};

function configWith(inputs: Record<string, string>, secrets: string[] = []): Config {
  const values: Record<string, string> = { ...actionDefaults(), 'github-token': 'ghs_token', ...inputs };
  return readConfig(
    (name) => values[name] ?? '',
    github,
    (s) => secrets.push(s),
    workspace,
  );
}

function problems(inputs: Record<string, string>): string[] {
  try {
    configWith(inputs);
  } catch (error) {
    if (error instanceof ConfigErrors) return [...error.problems];
    throw error;
  }
  return [];
}

describe('readConfig', () => {
  it('joins short tags to image and keeps full references in its repository, defaulting to sha-<7>', () => {
    expect(configWith({ image: 'ghcr.io/acme/app' }).tags).toEqual(['ghcr.io/acme/app:sha-0123456']);
    expect(
      configWith({ image: 'ghcr.io/acme/app', tags: '1.2.3, latest\nghcr.io/acme/app:edge' }).tags,
    ).toEqual(['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest', 'ghcr.io/acme/app:edge']);
  });

  it('refuses tags that are not tags: a ref name with "/", another repository, a reference without a host', () => {
    const found = problems({
      image: 'ghcr.io/acme/app',
      tags: 'feature/login\nghcr.io/acme/other:edge\nnode:22\nlocalhost:5000/acme/app:x',
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^Input `tags`: "feature\/login" is not a tag: a tag cannot contain `\/`.*docker\/metadata-action/,
      ),
      expect.stringMatching(
        /"ghcr.io\/acme\/other:edge" is in ghcr.io\/acme\/other, not in `image` \(ghcr.io\/acme\/app\)/,
      ),
      expect.stringMatching(/"node:22" is not a valid tag.*a full reference starts with the registry host/),
      expect.stringMatching(/"localhost:5000\/acme\/app:x" is in localhost:5000\/acme\/app, not in `image`/),
    ]);
  });

  it('refuses platforms that are not OCI platforms, and repeats', () => {
    expect(
      problems({
        image: 'ghcr.io/acme/app',
        platforms: 'linux/amd46, linux/arm64/v7, linux/arm/v7, linux/arm/v7',
      }),
    ).toEqual([
      expect.stringMatching(/"linux\/amd46" names the architecture "amd46", which is not an OCI platform/),
      expect.stringMatching(/"linux\/arm64\/v7" names the variant "v7", which arm64 does not have/),
      'Input `platforms`: "linux/arm/v7" is listed twice.',
    ]);
  });

  it('merge and push-by-digest: each in its own job, every leg a digest in image, none twice', () => {
    const d = (c: string): string => `sha256:${c.repeat(64)}`;
    expect(
      problems({ image: 'ghcr.io/acme/app', 'push-by-digest': 'true', merge: `ghcr.io/acme/app@${d('a')}` }),
    ).toContainEqual(expect.stringMatching(/`push-by-digest` and `merge` belong to different jobs/));
    expect(
      problems({
        image: 'ghcr.io/acme/app',
        merge: `ghcr.io/acme/app@${d('a')}\nghcr.io/acme/app:1\nghcr.io/acme/other@${d('b')}\nghcr.io/acme/app@${d('a')}`,
      }),
    ).toEqual([
      expect.stringMatching(/^Input `merge`, line 2: "ghcr.io\/acme\/app:1" is not `repository@sha256/),
      expect.stringMatching(/^Input `merge`, line 3: .* is in ghcr.io\/acme\/other, not in `image`/),
      expect.stringMatching(/^Input `merge`, line 4: sha256:a{64} is listed twice/),
    ]);
    const merged = configWith({
      image: 'ghcr.io/acme/app',
      build: 'false',
      merge: `ghcr.io/acme/app@${d('a')}\nghcr.io/acme/app@${d('b')}`,
    });
    expect(merged.merge.map((l) => l.digest)).toEqual([d('a'), d('b')]);
    expect(merged.build).toBe(false);
  });

  it('signature-format takes bundle or legacy, and names them otherwise', () => {
    expect(configWith({ push: 'false' }).signatureFormat).toBe('bundle');
    expect(configWith({ push: 'false', 'signature-format': 'legacy' }).signatureFormat).toBe('legacy');
    expect(problems({ push: 'false', 'signature-format': 'both' })).toEqual([
      'Input `signature-format` must be one of `bundle`, `legacy`; got "both".',
    ]);
  });

  it('names a local image when nothing is pushed and no image is given', () => {
    const c = configWith({ push: 'false' });
    expect(c.tags).toEqual(['localhost/hello:sha-0123456']);
    expect(c.image).toBeUndefined();
  });

  it('reads KEY=VALUE lists, keeping = inside values and skipping comments', () => {
    const c = configWith({ push: 'false', 'build-args': 'A=1\n# note\n\nB=x=y' });
    expect(c.buildArgs).toEqual([
      { key: 'A', value: '1' },
      { key: 'B', value: 'x=y' },
    ]);
  });

  it('takes a full repo@digest and a bare digest with image', () => {
    const d = `sha256:${'c'.repeat(64)}`;
    expect(configWith({ digest: `ghcr.io/acme/app@${d}` }).digest).toEqual({
      repository: 'ghcr.io/acme/app',
      digest: d,
    });
    expect(configWith({ image: 'ghcr.io/acme/app', digest: d }).digest).toEqual({
      repository: 'ghcr.io/acme/app',
      digest: d,
    });
    expect(problems({ digest: d })).toEqual([expect.stringMatching(/bare digest, so `image` is needed/)]);
  });

  it('tells a KMS URI from a PEM key and masks the key line by line', () => {
    const secrets: string[] = [];
    const pem =
      '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAABBBBCCCCDDDD\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----';
    expect(configWith({ image: 'ghcr.io/a/b', 'cosign-key': pem }, secrets).cosignKey).toEqual({
      kind: 'pem',
      pem,
    });
    expect(secrets).toEqual(expect.arrayContaining([pem, 'AAAABBBBCCCCDDDD', 'ghs_token']));
    expect(configWith({ image: 'ghcr.io/a/b', 'cosign-key': 'gcpkms://projects/p/key' }).cosignKey).toEqual({
      kind: 'kms',
      uri: 'gcpkms://projects/p/key',
    });
    expect(problems({ image: 'ghcr.io/a/b', 'cosign-key': 'not a key' })).toEqual([
      expect.stringMatching(/neither a PEM private key .* nor a KMS URI/),
    ]);
  });

  it('tlog-upload: true by default; false only with cosign-key, since keyless trust rests on the log', () => {
    const pem =
      '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAABBBBCCCCDDDD\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----';
    expect(configWith({ image: 'ghcr.io/a/b' }).tlogUpload).toBe(true);
    expect(configWith({ image: 'ghcr.io/a/b', 'cosign-key': pem, 'tlog-upload': 'false' }).tlogUpload).toBe(
      false,
    );
    expect(problems({ image: 'ghcr.io/a/b', 'tlog-upload': 'false' })).toEqual([
      expect.stringMatching(/^Input `tlog-upload: false` needs `cosign-key`/),
    ]);
    expect(problems({ image: 'ghcr.io/a/b', 'tlog-upload': 'no' })).toEqual([
      'Input `tlog-upload` must be `true` or `false`; got "no".',
    ]);
  });

  it('reads stage-timeout as a duration and refuses what is not one', () => {
    expect(configWith({ push: 'false' }).stageTimeoutMs).toBe(15 * 60_000);
    expect(configWith({ push: 'false', 'stage-timeout': '90s' }).stageTimeoutMs).toBe(90_000);
    expect(configWith({ push: 'false', 'stage-timeout': '2h' }).stageTimeoutMs).toBe(7_200_000);
    expect(problems({ push: 'false', 'stage-timeout': '10 minutes' })).toEqual([
      expect.stringMatching(/`stage-timeout`: "10 minutes" is not a duration like `90s`/),
    ]);
  });

  it('takes a stage name as target, and refuses what no FROM … AS line could name', () => {
    expect(configWith({ push: 'false', target: 'build-env.v2' }).target).toBe('build-env.v2');
    expect(configWith({ push: 'false' }).target).toBeUndefined();
    for (const bad of ['2nd', 'a b', '--target=x', 'stage/one', '$STAGE']) {
      expect(problems({ push: 'false', target: bad })).toEqual([
        `Input \`target\`: ${JSON.stringify(bad)} is not a stage name. Give the name after \`AS\` in a \`FROM … AS <name>\` line of the Dockerfile: a letter, then letters, digits, \`_\`, \`.\` or \`-\`.`,
      ]);
    }
  });

  it('wants registry-username and registry-password together, and masks the password', () => {
    const masked: string[] = [];
    const both = configWith(
      { image: 'ghcr.io/a/b', 'registry-username': 'octo', 'registry-password': 'p4ss word' },
      masked,
    );
    expect(both.registryAuth).toEqual({ username: 'octo', password: 'p4ss word' });
    expect(masked).toContain('p4ss word');
    expect(configWith({ image: 'ghcr.io/a/b' }).registryAuth).toBeUndefined();
    expect(problems({ image: 'ghcr.io/a/b', 'registry-password': 'secret' })).toEqual([
      'Input `registry-password` is set but `registry-username` is empty. Set both, or neither.',
    ]);
    expect(problems({ image: 'ghcr.io/a/b', 'registry-username': 'octo' })).toEqual([
      'Input `registry-username` is set but `registry-password` is empty. Set both, or neither.',
    ]);
  });

  it('refuses a user name or token with white space inside, without repeating the value', () => {
    const pasted = 'ghp_first\nghp_second';
    const found = problems({
      image: 'ghcr.io/a/b',
      'registry-username': 'octo cat',
      'registry-password': 'x',
      'github-token': pasted,
    });
    expect(found).toEqual([
      'Input `registry-username` holds white space or a control character (a line break?) inside it, but a registry user name is one word. Check the secret or expression that sets it.',
      'Input `github-token` holds white space or a control character (a line break?) inside it, but a token is one word. Check the secret or expression that sets it.',
    ]);
    expect(found.join('\n')).not.toContain('ghp_first');
    expect(problems({ image: 'ghcr.io/a/b', 'github-token': 'ghs_tab\there' })).toHaveLength(1);
  });

  it('collects every problem of a run together', () => {
    const found = problems({
      scanner: 'snyk',
      attest: 'sbom,slsa',
      platforms: 'linux',
      'tool-mirror': 'ftp://x',
    });
    expect(found).toHaveLength(5);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/`platforms`: "linux" is not os\/arch/),
        expect.stringMatching(/`attest`: "slsa" is not one of/),
        expect.stringMatching(/`tool-mirror`: "ftp:\/\/x" is not an http\(s\) URL/),
        expect.stringMatching(/`image` is required to push/),
        expect.stringMatching(/`scanner` must be one of/),
      ]),
    );
  });
});

describe('sigstore-trusted-root and sigstore-signing-config: a private Sigstore instance', () => {
  const TRUSTED_ROOT = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';
  const SIGNING_CONFIG = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';
  const service = { url: 'https://sigstore.internal.example', majorApiVersion: 1, operator: 'example' };
  // As `cosign trusted-root create` / `signing-config create` write them for a Fulcio without a CT log, a timestamp
  // authority and no transparency log (the fields of sigstore's protobuf-specs, in their JSON names).
  const root = { mediaType: TRUSTED_ROOT, certificateAuthorities: [{}], timestampAuthorities: [{}] };
  const signing = { mediaType: SIGNING_CONFIG, caUrls: [service], tsaUrls: [service], tsaConfig: {} };
  mkdirSync(join(workspace, 'sigstore'), { recursive: true });
  const file = (name: string, content: unknown): string => {
    writeFileSync(
      join(workspace, 'sigstore', name),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
    return `sigstore/${name}`;
  };
  const pem =
    '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAABBBBCCCCDDDD\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----';
  const both = (r: unknown, c: unknown, more: Record<string, string> = {}) => ({
    image: 'ghcr.io/a/b',
    'sigstore-trusted-root': file('root.json', r),
    'sigstore-signing-config': file('signing.json', c),
    ...more,
  });

  it('reads both: the paths, the trusted root as the repository has it, and the checks the instance cannot give', () => {
    expect(configWith({ image: 'ghcr.io/a/b' }).sigstore).toBeUndefined();
    expect(configWith(both(root, signing)).sigstore).toEqual({
      trustedRoot: join(workspace, 'sigstore', 'root.json'),
      signingConfig: join(workspace, 'sigstore', 'signing.json'),
      trustedRootShown: 'sigstore/root.json',
      ignoreSct: true,
      ignoreTlog: true,
      signedTimestamps: true,
    });
    // With a CT log and a transparency log, as the public instance has, nothing is relaxed.
    const full = configWith(
      both(
        { ...root, ctlogs: [{}], tlogs: [{}] },
        { mediaType: SIGNING_CONFIG, caUrls: [service], rekorTlogUrls: [service] },
      ),
    ).sigstore;
    expect(full).toMatchObject({ ignoreSct: false, ignoreTlog: false, signedTimestamps: false });
  });

  it('needs both, each a JSON file of its media type', () => {
    expect(problems({ image: 'ghcr.io/a/b', 'sigstore-signing-config': file('s.json', signing) })).toEqual([
      expect.stringMatching(
        /^Input `sigstore-signing-config` needs `sigstore-trusted-root` too: .* Set both/,
      ),
    ]);
    expect(problems({ image: 'ghcr.io/a/b', 'sigstore-trusted-root': file('r.json', root) })).toEqual([
      expect.stringMatching(/^Input `sigstore-trusted-root` needs `sigstore-signing-config` too/),
    ]);
    expect(
      problems({
        image: 'ghcr.io/a/b',
        'sigstore-trusted-root': 'nope.json',
        'sigstore-signing-config': 'x.json',
      }),
    ).toEqual([
      expect.stringMatching(/^Input `sigstore-trusted-root`: file "nope.json" does not exist/),
      expect.stringMatching(/^Input `sigstore-signing-config`: file "x.json" does not exist/),
    ]);
    expect(problems(both('{"mediaType":', signing))).toEqual([
      expect.stringMatching(/^Input `sigstore-trusted-root`: sigstore\/root.json is not JSON \(/),
    ]);
    expect(problems(both(signing, root))).toEqual([
      `Input \`sigstore-trusted-root\`: sigstore/root.json is not a Sigstore trusted root (its mediaType is "${SIGNING_CONFIG}", cosign reads "${TRUSTED_ROOT}"). Make it with \`cosign trusted-root create\`.`,
      `Input \`sigstore-signing-config\`: sigstore/signing.json is not a Sigstore signing config (its mediaType is "${TRUSTED_ROOT}", cosign reads "${SIGNING_CONFIG}"). Make it with \`cosign signing-config create\`.`,
    ]);
  });

  it('refuses what keyless signing cannot do with them: no Fulcio, no CA, nothing that dates the signature', () => {
    expect(problems(both({ mediaType: TRUSTED_ROOT }, { mediaType: SIGNING_CONFIG }))).toEqual([
      expect.stringMatching(/`sigstore-signing-config`: .* names no Fulcio \(`caUrls`\)/),
      expect.stringMatching(/`sigstore-trusted-root`: .* has no certificate authority/),
      expect.stringMatching(/neither a transparency log \(`rekorTlogUrls`\) nor a timestamp authority/),
    ]);
    // A key needs no Fulcio; a log the root has no key for is refused either way.
    expect(
      problems(
        both(
          { mediaType: TRUSTED_ROOT },
          { mediaType: SIGNING_CONFIG, rekorTlogUrls: [service] },
          { 'cosign-key': pem },
        ),
      ),
    ).toEqual([expect.stringMatching(/`sigstore-trusted-root`: .* has no transparency log key \(`tlogs`\)/)]);
    expect(problems(both({ ...root, timestampAuthorities: [] }, signing))).toEqual([
      expect.stringMatching(/`sigstore-trusted-root`: .* has no timestamp authority/),
    ]);
  });

  it('refuses what cosign refuses next to a signing config: tlog-upload: false, signature-format: legacy', () => {
    expect(problems(both(root, signing, { 'cosign-key': pem, 'tlog-upload': 'false' }))).toEqual([
      expect.stringMatching(
        /^Input `tlog-upload: false` does not go with `sigstore-signing-config`: .* Leave out `rekorTlogUrls`/,
      ),
    ]);
    expect(problems(both(root, signing, { 'signature-format': 'legacy' }))).toEqual([
      expect.stringMatching(/^Input `signature-format: legacy` does not go with `sigstore-signing-config`/),
    ]);
  });
});

describe('planStages: a default never causes an error', () => {
  const cases: Array<[string, Record<string, string>, Partial<Record<string, string | true>>]> = [
    [
      'release with every default',
      { image: 'ghcr.io/acme/app' },
      { build: true, push: true, scan: true, sign: true, attest: true, verify: true },
    ],
    [
      'pull request: push false',
      { push: 'false' },
      {
        build: true,
        push: '`push: false`: the image stays on this machine',
        scan: true,
        sign: 'nothing was pushed, so there is no digest to sign',
        attest: 'nothing is signed',
      },
    ],
    [
      'no scanner',
      { image: 'ghcr.io/acme/app', scanner: 'none' },
      { scan: '`scanner: none`', sign: true, attest: 'there is no scan to attest' },
    ],
    [
      'sign off',
      { image: 'ghcr.io/acme/app', sign: 'false' },
      { sign: '`sign: false`', verify: 'nothing is signed' },
    ],
    [
      'digest given',
      { digest: `ghcr.io/acme/app@sha256:${'d'.repeat(64)}` },
      {
        build: '`digest` names an image that is already pushed',
        push: 'nothing is built',
        scan: true,
        sign: true,
      },
    ],
    [
      'build false, no digest',
      { build: 'false' },
      {
        build: '`build: false`',
        scan: 'there is no image to scan',
        sign: 'nothing was pushed, so there is no digest to sign',
      },
    ],
    ['attest none', { image: 'ghcr.io/acme/app', attest: 'none' }, { attest: '`attest: none`' }],
  ];
  it.each(cases)('%s', (_name, inputs, expected) => {
    const plan = planStages(configWith(inputs));
    for (const [stage, want] of Object.entries(expected)) {
      const got = plan[stage as keyof typeof plan];
      if (want === true) expect(got).toEqual({ run: true });
      else expect(got).toEqual({ run: false, reason: want });
    }
  });
});
