import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { verifyAttestationArgs, type Signer } from '../../src/cosign/args.js';
import type { GithubContext } from '../../src/github-context.js';
import {
  ANNOTATION_REVISION,
  ANNOTATION_RUN,
  ANNOTATION_SOURCE,
  PREDICATE_SHORTHAND,
  annotationFlagValue,
  assertDigestReference,
  attestArgs,
  parseRekorLogIndex,
  publicKeyArgs,
  rekorSearchUrl,
  shellQuote,
  signArgs,
  signatureAnnotations,
  verifyCommand,
} from '../../src/sign/args.js';
import { UPSTREAM_FIXTURES } from '../harness/standins.js';
import { loadPage, parseArgs } from '../standins/lib/flags.mjs';

const cliDir = join(UPSTREAM_FIXTURES, 'cli');
const DIGEST = `sha256:${'a'.repeat(64)}`;
const REF = `ghcr.io/acme/app@${DIGEST}`;
const LOCAL_REF = `127.0.0.1:5000/acme/app@${DIGEST}`;
const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const KEYLESS: Signer = { kind: 'keyless', identity: IDENTITY, issuer: ISSUER };
/** A private Sigstore like the test harness's: Fulcio without a CT log, a timestamp authority, no transparency log. */
const PRIVATE_TRUST = {
  trustedRoot: '/w/sigstore/trusted_root.json',
  ignoreSct: true,
  ignoreTlog: true,
  signedTimestamps: true,
};

/** Parses argv the way cosign would, with the flag table of the subcommand's reference page. */
function asCosignParses(argv: string[]): {
  command: string;
  positionals: string[];
  all: (f: string) => string[];
} {
  const [command, ...rest] = argv;
  const page = loadPage(cliDir, 'cosign', [command ?? '']);
  if (!page) throw new Error(`no reference page for cosign ${command}`);
  const flags = parseArgs(rest, page.flags);
  return { command: command ?? '', positionals: flags.positionals, all: (f) => flags.all(f) };
}

const github: GithubContext = {
  repository: 'acme/app',
  sha: 'f3a1c2d4e5b60718293a4b5c6d7e8f9012345678',
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  runId: '9000000001',
  runAttempt: '1',
  eventName: 'push',
  eventPath: '',
  workspace: '/w',
  runnerOs: 'Linux',
  runnerArch: 'X64',
  runnerTemp: '/tmp',
  toolCache: '/opt/hostedtoolcache',
};

describe('assertDigestReference', () => {
  it.each([REF, LOCAL_REF, `registry.example.com:8443/team/app/sub@${DIGEST}`])('accepts %s', (ref) => {
    expect(() => assertDigestReference(ref)).not.toThrow();
  });

  it.each([
    ['a tag', 'ghcr.io/acme/app:1.0'],
    ['a tag and a digest', `ghcr.io/acme/app:1.0@${DIGEST}`],
    ['white space', `ghcr.io/acme/app @${DIGEST}`],
    ['a short digest', 'ghcr.io/acme/app@sha256:abc'],
    ['an upper-case digest', `ghcr.io/acme/app@sha256:${'A'.repeat(64)}`],
    ['another algorithm', `ghcr.io/acme/app@sha512:${'a'.repeat(128)}`],
    ['a bare digest', DIGEST],
    ['nothing', ''],
  ])('refuses %s', (_what, ref) => {
    expect(() => assertDigestReference(ref)).toThrow(/only a digest reference/);
  });
});

describe('signArgs, checked against cosign_sign.md', () => {
  const annotations = [
    { key: ANNOTATION_SOURCE, value: 'https://github.com/acme/app' },
    { key: 'team', value: 'payments, core' },
  ];
  it.each([
    [
      'keyless',
      { reference: REF, recursive: false, annotations: [], insecure: false },
      ['sign', '--yes', REF],
    ],
    [
      'keyless, index, annotations',
      { reference: REF, recursive: true, annotations, insecure: false },
      [
        'sign',
        '--yes',
        '--recursive',
        '--annotations',
        `${ANNOTATION_SOURCE}=https://github.com/acme/app`,
        '--annotations',
        '"team=payments, core"',
        REF,
      ],
    ],
    [
      'key file, loopback registry',
      {
        reference: LOCAL_REF,
        keyRef: '/tmp/k/cosign.key',
        recursive: false,
        annotations: [],
        insecure: true,
      },
      [
        'sign',
        '--yes',
        '--key',
        '/tmp/k/cosign.key',
        '--allow-http-registry',
        '--allow-insecure-registry',
        LOCAL_REF,
      ],
    ],
    [
      'KMS',
      {
        reference: REF,
        keyRef: 'awskms:///alias/release',
        recursive: false,
        annotations: [],
        insecure: false,
      },
      ['sign', '--yes', '--key', 'awskms:///alias/release', REF],
    ],
    [
      'key file, tlog-upload: false',
      {
        reference: REF,
        keyRef: '/tmp/k/cosign.key',
        recursive: false,
        annotations: [],
        insecure: false,
        tlogUpload: false,
      },
      [
        'sign',
        '--yes',
        '--key',
        '/tmp/k/cosign.key',
        '--tlog-upload=false',
        '--use-signing-config=false',
        REF,
      ],
    ],
    [
      'keyless, a private Sigstore: its signing config instead of the TUF one, its trusted root to check against',
      {
        reference: LOCAL_REF,
        recursive: false,
        annotations: [],
        insecure: true,
        sigstore: {
          signingConfig: '/w/sigstore/signing_config.json',
          trustedRoot: '/w/sigstore/trusted_root.json',
        },
      },
      [
        'sign',
        '--yes',
        '--signing-config',
        '/w/sigstore/signing_config.json',
        '--trusted-root',
        '/w/sigstore/trusted_root.json',
        '--allow-http-registry',
        '--allow-insecure-registry',
        LOCAL_REF,
      ],
    ],
  ])('%s', (_name, request, expected) => {
    const argv = signArgs(request);
    expect(argv).toEqual(expected);
    const parsed = asCosignParses(argv);
    expect(parsed.positionals).toEqual([request.reference]);
    // pflag reads each --annotations value as CSV: one key=value per flag, commas kept.
    expect(parsed.all('annotations')).toEqual(request.annotations.map((a) => `${a.key}=${a.value}`));
  });

  it('a private Sigstore never gets --use-signing-config, which cosign refuses next to --signing-config', () => {
    const argv = signArgs({
      reference: REF,
      keyRef: '/tmp/k/cosign.key',
      recursive: true,
      annotations: [],
      insecure: false,
      sigstore: { signingConfig: 'sc.json', trustedRoot: 'tr.json' },
    });
    expect(argv.some((a) => a.startsWith('--use-signing-config'))).toBe(false);
    const parsed = asCosignParses(argv);
    expect(parsed.all('signing-config')).toEqual(['sc.json']);
    expect(parsed.all('trusted-root')).toEqual(['tr.json']);
    expect(parsed.all('key')).toEqual(['/tmp/k/cosign.key']);
  });

  it('refuses a tag', () => {
    expect(() =>
      signArgs({ reference: 'ghcr.io/acme/app:1', recursive: false, annotations: [], insecure: false }),
    ).toThrow(/only a digest reference/);
  });
});

describe('annotationFlagValue', () => {
  it.each([
    ['plain', { key: 'a', value: 'b' }, 'a=b'],
    ['comma', { key: 'team', value: 'x,y' }, '"team=x,y"'],
    ['quote', { key: 'note', value: 'say "hi"' }, '"note=say ""hi"""'],
    ['equals in value', { key: 'q', value: 'a=b' }, 'q=a=b'],
  ])('%s', (_name, kv, expected) => {
    expect(annotationFlagValue(kv)).toBe(expected);
    expect(asCosignParses(['sign', '--annotations', expected, REF]).all('annotations')).toEqual([
      `${kv.key}=${kv.value}`,
    ]);
  });
});

describe('signatureAnnotations', () => {
  it('puts the repository, commit and run first, then the user lines', () => {
    const { annotations, dropped } = signatureAnnotations(github, [{ key: 'team', value: 'payments' }]);
    expect(annotations).toEqual([
      { key: ANNOTATION_SOURCE, value: 'https://github.com/acme/app' },
      { key: ANNOTATION_REVISION, value: github.sha },
      { key: ANNOTATION_RUN, value: 'https://github.com/acme/app/actions/runs/9000000001' },
      { key: 'team', value: 'payments' },
    ]);
    expect(dropped).toEqual([]);
  });

  it('drops user lines that would replace the action own keys, and keeps the last of a repeated key', () => {
    const { annotations, dropped } = signatureAnnotations(github, [
      { key: ANNOTATION_REVISION, value: 'forged' },
      { key: 'env', value: 'staging' },
      { key: 'env', value: 'prod' },
    ]);
    expect(dropped).toEqual([ANNOTATION_REVISION]);
    expect(annotations.filter((a) => a.key === ANNOTATION_REVISION)).toEqual([
      { key: ANNOTATION_REVISION, value: github.sha },
    ]);
    expect(annotations.filter((a) => a.key === 'env')).toEqual([{ key: 'env', value: 'prod' }]);
  });

  it('leaves out what the runner did not say', () => {
    const { annotations } = signatureAnnotations({ ...github, sha: '', runId: '' }, []);
    expect(annotations.map((a) => a.key)).toEqual([ANNOTATION_SOURCE]);
  });
});

describe('attestArgs, checked against cosign_attest.md', () => {
  const attestPage = readFileSync(join(cliDir, 'cosign', 'cosign_attest.md'), 'utf8');
  const typeLine = /--type string\s+specify a predicate type \(([^)]*)\)/.exec(attestPage)?.[1] ?? '';

  it.each(Object.entries(PREDICATE_SHORTHAND))('%s uses --type %s, a type the page lists', (_kind, type) => {
    expect(typeLine.split('|')).toContain(type);
    const argv = attestArgs({ reference: REF, type, predicateFile: '/tmp/p.json', insecure: false });
    expect(argv).toEqual(['attest', '--yes', '--type', type, '--predicate', '/tmp/p.json', REF]);
    expect(asCosignParses(argv).positionals).toEqual([REF]);
  });

  it('with a key and a loopback registry', () => {
    const argv = attestArgs({
      reference: LOCAL_REF,
      keyRef: 'env://SECURE_IMAGE_COSIGN_PRIVATE_KEY',
      type: 'vuln',
      predicateFile: '/tmp/v.json',
      insecure: true,
    });
    expect(argv.slice(0, 4)).toEqual(['attest', '--yes', '--key', 'env://SECURE_IMAGE_COSIGN_PRIVATE_KEY']);
    expect(asCosignParses(argv).positionals).toEqual([LOCAL_REF]);
  });

  it('tlog-upload: false, a flag the binary takes though the page no longer lists it', () => {
    const argv = attestArgs({
      reference: REF,
      keyRef: '/tmp/k/cosign.key',
      type: 'cyclonedx',
      predicateFile: '/tmp/s.json',
      insecure: false,
      tlogUpload: false,
    });
    expect(argv.slice(0, 5)).toEqual([
      'attest',
      '--yes',
      '--key',
      '/tmp/k/cosign.key',
      '--tlog-upload=false',
    ]);
    expect(asCosignParses(argv).all('tlog-upload')).toEqual([false]);
  });

  it('a private Sigstore: its signing config and trusted root, as for the signature', () => {
    const argv = attestArgs({
      reference: REF,
      type: 'vuln',
      predicateFile: '/tmp/v.json',
      insecure: false,
      sigstore: { signingConfig: '/w/sc.json', trustedRoot: '/w/tr.json' },
    });
    expect(argv).toEqual([
      'attest',
      '--yes',
      '--signing-config',
      '/w/sc.json',
      '--trusted-root',
      '/w/tr.json',
      '--type',
      'vuln',
      '--predicate',
      '/tmp/v.json',
      REF,
    ]);
    expect(asCosignParses(argv).positionals).toEqual([REF]);
  });
});

describe('publicKeyArgs and verifyAttestationArgs, checked against their pages', () => {
  it('public-key --key <file>', () => {
    const argv = publicKeyArgs('/tmp/k/cosign.key');
    expect(argv).toEqual(['public-key', '--key', '/tmp/k/cosign.key']);
    expect(asCosignParses(argv).positionals).toEqual([]);
  });

  it.each([
    ['keyless', KEYLESS, ['--certificate-identity', IDENTITY, '--certificate-oidc-issuer', ISSUER]],
    ['key', { kind: 'key', key: '/tmp/cosign.pub' } as Signer, ['--key', '/tmp/cosign.pub']],
    [
      'keyless, a private Sigstore without CT log and transparency log, with a timestamp authority',
      { ...KEYLESS, trust: PRIVATE_TRUST } as Signer,
      [
        '--certificate-identity',
        IDENTITY,
        '--certificate-oidc-issuer',
        ISSUER,
        '--trusted-root',
        '/w/sigstore/trusted_root.json',
        '--insecure-ignore-sct=true',
        '--insecure-ignore-tlog=true',
        '--use-signed-timestamps=true',
      ],
    ],
    [
      'key, a private Sigstore: no SCT flag, a key has no certificate',
      { kind: 'key', key: '/tmp/cosign.pub', trust: PRIVATE_TRUST } as Signer,
      [
        '--key',
        '/tmp/cosign.pub',
        '--trusted-root',
        '/w/sigstore/trusted_root.json',
        '--insecure-ignore-tlog=true',
        '--use-signed-timestamps=true',
      ],
    ],
    [
      'key without a log entry, a private Sigstore with a log: --insecure-ignore-tlog once',
      {
        kind: 'key',
        key: '/tmp/cosign.pub',
        ignoreTlog: true,
        trust: { trustedRoot: 'tr.json', ignoreTlog: false },
      } as Signer,
      ['--key', '/tmp/cosign.pub', '--trusted-root', 'tr.json', '--insecure-ignore-tlog=true'],
    ],
  ])('verify-attestation, %s', (_name, signer, signerArgs) => {
    const argv = verifyAttestationArgs(LOCAL_REF, signer, 'cyclonedx', true);
    expect(argv).toEqual([
      'verify-attestation',
      '--type',
      'cyclonedx',
      ...signerArgs,
      '--allow-http-registry',
      '--allow-insecure-registry',
      '--output',
      'json',
      LOCAL_REF,
    ]);
    expect(asCosignParses(argv).positionals).toEqual([LOCAL_REF]);
  });
});

/** Splits the command text back into words, as a POSIX shell would (quotes and line continuations). */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && text[i + 1] === '\n') {
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      current = (current ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      current = (current ?? '') + (text[i + 1] ?? '');
      i++;
    } else if (/\s/.test(c)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + c;
    }
  }
  if (current !== undefined) words.push(current);
  return words;
}

describe('verifyCommand', () => {
  it('keyless: the README layout, with the identity flags', () => {
    expect(verifyCommand(REF, KEYLESS, { insecure: false })).toBe(
      [
        `cosign verify ${REF} \\`,
        `  --certificate-identity ${IDENTITY} \\`,
        `  --certificate-oidc-issuer ${ISSUER}`,
      ].join('\n'),
    );
  });

  it.each([
    ['keyless', KEYLESS, false, undefined],
    ['keyless, loopback registry', KEYLESS, true, undefined],
    ['public key', { kind: 'key', key: 'cosign.pub' } as Signer, false, undefined],
    [
      'KMS',
      { kind: 'key', key: 'gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k' } as Signer,
      false,
      undefined,
    ],
    ['attestation', KEYLESS, false, 'vuln' as const],
    [
      'public key, no log entry',
      { kind: 'key', key: 'cosign.pub', ignoreTlog: true } as Signer,
      false,
      undefined,
    ],
    [
      'attestation, no log entry',
      { kind: 'key', key: 'cosign.pub', ignoreTlog: true } as Signer,
      true,
      'cyclonedx' as const,
    ],
  ])('%s: a shell reads it back as argv cosign accepts', (_name, signer, insecure, attestationType) => {
    const text = verifyCommand(LOCAL_REF, signer, {
      insecure,
      ...(attestationType ? { attestationType } : {}),
    });
    const words = shellWords(text);
    expect(words[0]).toBe('cosign');
    const parsed = asCosignParses(words.slice(1));
    expect(parsed.command).toBe(attestationType ? 'verify-attestation' : 'verify');
    expect(parsed.positionals).toEqual([LOCAL_REF]);
    if (signer.kind === 'keyless') {
      expect(parsed.all('certificate-identity')).toEqual([IDENTITY]);
      expect(parsed.all('certificate-oidc-issuer')).toEqual([ISSUER]);
    } else {
      expect(parsed.all('key')).toEqual([signer.key]);
      expect(parsed.all('insecure-ignore-tlog')).toEqual(signer.ignoreTlog ? [true] : []);
    }
    expect(text.includes('--allow-http-registry')).toBe(insecure);
  });

  it('a private Sigstore: its trusted root as the repository has it, and the checks it cannot give, one a line', () => {
    const trust = { ...PRIVATE_TRUST, trustedRoot: 'sigstore/trusted_root.json' };
    const text = verifyCommand(LOCAL_REF, { ...KEYLESS, trust }, { insecure: true });
    expect(text).toBe(
      [
        `cosign verify ${LOCAL_REF} \\`,
        `  --certificate-identity ${IDENTITY} \\`,
        `  --certificate-oidc-issuer ${ISSUER} \\`,
        '  --trusted-root sigstore/trusted_root.json \\',
        '  --insecure-ignore-sct=true \\',
        '  --insecure-ignore-tlog=true \\',
        '  --use-signed-timestamps=true \\',
        '  --allow-http-registry \\',
        '  --allow-insecure-registry',
      ].join('\n'),
    );
    const parsed = asCosignParses(shellWords(text).slice(1));
    expect(parsed.positionals).toEqual([LOCAL_REF]);
    expect(parsed.all('trusted-root')).toEqual(['sigstore/trusted_root.json']);
    expect(parsed.all('insecure-ignore-sct')).toEqual([true]);
    expect(parsed.all('insecure-ignore-tlog')).toEqual([true]);
    expect(parsed.all('use-signed-timestamps')).toEqual([true]);
    const attestation = asCosignParses(
      shellWords(
        verifyCommand(REF, { ...KEYLESS, trust }, { insecure: false, attestationType: 'cyclonedx' }),
      ).slice(1),
    );
    expect(attestation.command).toBe('verify-attestation');
    expect(attestation.all('trusted-root')).toEqual(['sigstore/trusted_root.json']);
    expect(attestation.all('use-signed-timestamps')).toEqual([true]);
  });

  it('quotes what a shell would split or expand', () => {
    const odd: Signer = { kind: 'keyless', identity: "https://x/it's $HOME", issuer: ISSUER };
    const text = verifyCommand(REF, odd, { insecure: false });
    expect(shellWords(text)).toContain("https://x/it's $HOME");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote(IDENTITY)).toBe(IDENTITY);
  });
});

describe('Rekor log index', () => {
  it.each([
    [
      'cosign v2 sign',
      'Generating ephemeral keys...\ntlog entry created with index: 164349321\nPushing signature to: x\n',
      164349321,
    ],
    ['without colon spacing', 'tlog entry created with index:12', 12],
    ['none printed', 'Pushing signature to: registry/app\n', undefined],
    ['not a number', 'tlog entry created with index: n/a', undefined],
  ])('%s', (_name, stderr, expected) => {
    expect(parseRekorLogIndex(stderr)).toBe(expected);
  });

  it('links the entry on search.sigstore.dev', () => {
    expect(rekorSearchUrl(164349321)).toBe('https://search.sigstore.dev/?logIndex=164349321');
  });
});
