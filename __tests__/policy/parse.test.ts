import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import {
  MAX_ALIASES,
  PolicyError,
  formatPolicyWarning,
  parsePolicy,
  type PolicyProblem,
} from '../../src/policy/parse.js';
import { UserError } from '../../src/util/errors.js';

const FILE = '.github/secure-image.yml';
const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString()
  .trim();

function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function problemsOf(text: string, file = FILE): PolicyProblem[] {
  try {
    parsePolicy(text, file);
  } catch (err) {
    if (err instanceof PolicyError) return [...err.problems];
    throw err;
  }
  throw new Error('expected the policy to be rejected');
}

/** The INTERFACE.md example, with a real key where it shows "…". */
const EXAMPLE = yaml(
  '# .github/secure-image.yml',
  'unmatched: warn            # images that match no rule: deny | warn | allow (default warn)',
  'rules:',
  '  - name: our base images',
  '    images: ["ghcr.io/acme/base-*", "ghcr.io/acme/base-*/**"]',
  '    keyless:',
  '      issuer: https://token.actions.githubusercontent.com',
  '      identity-regexp: ^https://github\\.com/acme/base/\\.github/workflows/release\\.yml@refs/tags/v',
  '  - name: internal registry',
  '    images: ["registry.acme.internal/**"]',
  '    key: |',
  ...pem.split('\n').map((l) => `      ${l}`),
  '  - name: build tools',
  '    images: ["docker.io/library/golang", "docker.io/library/node"]',
  '    allow-unsigned: true    # trusted without a signature; digest pinning still applies',
);

describe('parsePolicy: valid files', () => {
  it('reads the INTERFACE.md example', () => {
    const policy = parsePolicy(EXAMPLE, FILE);
    expect(policy).toEqual({
      unmatched: 'warn',
      file: FILE,
      warnings: [],
      rules: [
        {
          name: 'our base images',
          images: ['ghcr.io/acme/base-*', 'ghcr.io/acme/base-*/**'],
          source: 'file',
          line: 4,
          keyless: {
            issuer: 'https://token.actions.githubusercontent.com',
            identityRegexp: '^https://github\\.com/acme/base/\\.github/workflows/release\\.yml@refs/tags/v',
          },
        },
        {
          name: 'internal registry',
          images: ['registry.acme.internal/**'],
          source: 'file',
          line: 9,
          key: `${pem}\n`,
        },
        {
          name: 'build tools',
          images: ['docker.io/library/golang', 'docker.io/library/node'],
          source: 'file',
          line: 9 + 3 + pem.split('\n').length,
          allowUnsigned: true,
        },
      ],
    });
  });

  it('reads the same policy written as JSON (tabs, as editors write it)', () => {
    const json = [
      '{',
      '\t"unmatched": "deny",',
      '\t"rules": [',
      '\t\t{',
      '\t\t\t"name": "ours",',
      '\t\t\t"images": ["ghcr.io/acme/**"],',
      '\t\t\t"keyless": {"issuer": "https://token.actions.githubusercontent.com", "identity-regexp": "^https://github\\\\.com/acme/"}',
      '\t\t},',
      '\t\t{"name": "keyed", "images": ["registry.acme.internal/**"], "key": ' +
        JSON.stringify(`${pem}\n`) +
        '}',
      '\t]',
      '}',
    ].join('\n');
    const policy = parsePolicy(json, 'policy.json');
    expect(policy.unmatched).toBe('deny');
    expect(policy.rules.map((r) => [r.name, r.line, r.keyless?.identityRegexp, r.key])).toEqual([
      ['ours', 4, '^https://github\\.com/acme/', undefined],
      ['keyed', 9, undefined, `${pem}\n`],
    ]);
  });

  it('reports JSON mistakes with their line too', () => {
    expect(problemsOf('{\n  "unmatched": "deny",\n  "rulez": []\n}\n', 'policy.json')).toEqual([
      { line: 3, key: 'rulez', message: expect.stringMatching(/did you mean "rules"/) },
    ]);
  });

  it('defaults unmatched to warn and rules to none', () => {
    expect(parsePolicy('unmatched: deny\n', FILE)).toEqual({
      unmatched: 'deny',
      rules: [],
      file: FILE,
      warnings: [],
    });
    expect(parsePolicy('rules: []\n', FILE).unmatched).toBe('warn');
    expect(parsePolicy('rules:\n', FILE).rules).toEqual([]);
  });

  it('normalises Docker Hub short names in patterns', () => {
    const policy = parsePolicy(
      yaml(
        'rules:',
        '  - name: hub',
        '    images: [golang, "acme/app", "docker.io/node"]',
        '    allow-unsigned: true',
      ),
      FILE,
    );
    expect(policy.rules[0]?.images).toEqual([
      'docker.io/library/golang',
      'docker.io/acme/app',
      'docker.io/library/node',
    ]);
  });

  it('lets aliases share one signer between rules', () => {
    const policy = parsePolicy(
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/acme/a"]',
        '    keyless: &release',
        '      issuer: https://token.actions.githubusercontent.com',
        '      identity: https://github.com/acme/base/.github/workflows/release.yml@refs/heads/main',
        '  - name: b',
        '    images: ["ghcr.io/acme/b"]',
        '    keyless: *release',
      ),
      FILE,
    );
    expect(policy.rules[1]?.keyless).toEqual(policy.rules[0]?.keyless);
    expect(policy.rules[1]?.keyless?.issuer).toBe('https://token.actions.githubusercontent.com');
  });

  it('reads keys (any one verifies) and revoked-keys as fingerprints and URIs', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString()
      .trim();
    const indent = (text: string): string[] => text.split('\n').map((l) => `        ${l}`);
    const policy = parsePolicy(
      yaml(
        'revoked-keys:',
        `  - SHA256:${'AB'.repeat(32)}`,
        '  - |',
        ...indent(other).map((l) => l.slice(2)),
        '  - gcpkms://projects/acme/locations/global/keyRings/r/cryptoKeys/old',
        'rules:',
        '  - name: internal',
        '    images: ["registry.acme.internal/**"]',
        '    keys:',
        '      - |',
        ...indent(pem),
        '      - gcpkms://projects/acme/locations/global/keyRings/r/cryptoKeys/new',
      ),
      FILE,
    );
    expect(policy.rules[0]?.keys).toEqual([
      `${pem}\n`,
      'gcpkms://projects/acme/locations/global/keyRings/r/cryptoKeys/new',
    ]);
    expect(policy.rules[0]?.key).toBeUndefined();
    const otherFingerprint = createHash('sha256')
      .update(createPublicKey(other).export({ type: 'spki', format: 'der' }))
      .digest('hex');
    expect(policy.revokedKeys).toEqual([
      { fingerprint: 'ab'.repeat(32), line: 2 },
      { fingerprint: otherFingerprint, line: 3 },
      { uri: 'gcpkms://projects/acme/locations/global/keyRings/r/cryptoKeys/old', line: 8 },
    ]);
  });

  it('keeps allow-unsigned: false next to a signer', () => {
    const policy = parsePolicy(
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    allow-unsigned: false',
        '    key: hashivault://k',
      ),
      FILE,
    );
    expect(policy.rules[0]).toMatchObject({ key: 'hashivault://k', allowUnsigned: false });
  });

  it('takes tlog: false on a key rule only (its images were signed without a transparency-log entry)', () => {
    const rule = (...lines: string[]): string =>
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', ...lines);
    const keyed = parsePolicy(rule('    key: hashivault://k', '    tlog: false'), FILE);
    expect(keyed.rules[0]).toMatchObject({ key: 'hashivault://k', tlog: false });
    // tlog: true is the default, and says nothing more.
    expect(
      parsePolicy(rule('    key: hashivault://k', '    tlog: true'), FILE).rules[0]?.tlog,
    ).toBeUndefined();
    const keyless = rule(
      '    keyless:',
      '      issuer: https://token.actions.githubusercontent.com',
      '      identity: https://github.com/acme/x/.github/workflows/r.yml@refs/heads/main',
      '    tlog: false',
    );
    expect(problemsOf(keyless)).toEqual([
      expect.objectContaining({
        line: 7,
        key: 'rules[0].tlog',
        message: expect.stringMatching(/is for "key" or "keys" rules/),
      }),
    ]);
    expect(problemsOf(rule('    key: hashivault://k', '    tlog: no-thanks'))).toEqual([
      expect.objectContaining({
        line: 5,
        key: 'rules[0].tlog',
        message: expect.stringMatching(/must be true or false/),
      }),
    ]);
  });
});

describe('parsePolicy: every problem names the file, the line and the key', () => {
  it('formats a single problem as <file>:<line>: <key>: <message>, as a UserError', () => {
    let caught: unknown;
    try {
      parsePolicy(yaml('unmatched: block'), FILE);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as Error).message).toBe(
      `${FILE}:1: unmatched: must be one of deny, warn, allow (what to do with an image no rule matches); found the text "block"`,
    );
  });

  // [what, file, expected problems]
  const CASES: Array<[string, string, Array<[number, string, RegExp]>]> = [
    [
      'a list at the top',
      yaml('- name: x', '  images: [a]'),
      [[1, '(top level)', /must be a mapping.*found a list/]],
    ],
    [
      'a text at the top',
      yaml('# policy', 'deny'),
      [[2, '(top level)', /must be a mapping.*found the text "deny"/]],
    ],
    ['an empty file', '', [[1, '(top level)', /the file is empty/]]],
    ['only comments', yaml('# nothing yet'), [[1, '(top level)', /the file is empty/]]],
    [
      'an unknown top-level key',
      yaml('unmatched: deny', 'rule:', '  - name: x'),
      [
        [
          2,
          'rule',
          /unknown key \(did you mean "rules"\?\); the top level accepts "unmatched", "rules", "revoked-keys"$/,
        ],
      ],
    ],
    [
      'unmatched not an action',
      yaml('rules: []', 'unmatched: fail'),
      [[2, 'unmatched', /one of deny, warn, allow/]],
    ],
    ['unmatched not a text', yaml('unmatched: [deny]'), [[1, 'unmatched', /found a list/]]],
    [
      'rules a mapping',
      yaml('rules:', '  name: x'),
      [[2, 'rules', /must be a list of rules.*found a mapping/]],
    ],
    ['rules a text', yaml('unmatched: deny', 'rules: all'), [[2, 'rules', /must be a list of rules/]]],
    [
      'a rule that is a text',
      yaml('rules:', '  - ghcr.io/acme/*'),
      [[2, 'rules[0]', /each rule must be a mapping/]],
    ],
    [
      'a rule without a name',
      yaml('rules:', '  - images: ["ghcr.io/a"]', '    allow-unsigned: true'),
      [[2, 'rules[0].name', /is missing; every rule needs a name/]],
    ],
    [
      'a rule with an empty name',
      yaml('rules:', '  - name: ""', '    images: ["ghcr.io/a"]', '    allow-unsigned: true'),
      [[2, 'rules[0].name', /found an empty text/]],
    ],
    [
      'a rule without images',
      yaml('rules:', '  - name: a', '    allow-unsigned: true'),
      [[2, 'rules[0].images', /is missing; list the image name patterns/]],
    ],
    [
      'images as a text',
      yaml('rules:', '  - name: a', '    images: ghcr.io/acme/*', '    allow-unsigned: true'),
      [[3, 'rules[0].images', /non-empty list.*e\.g\. images: \["ghcr.io\/acme\/\*"\]; found the text/]],
    ],
    [
      'images an empty list',
      yaml('rules:', '  - name: a', '    images: []', '    allow-unsigned: true'),
      [[3, 'rules[0].images', /non-empty list.*\(an empty list\)/]],
    ],
    [
      'an image pattern that is not a text',
      yaml(
        'rules:',
        '  - name: a',
        '    images:',
        '      - ghcr.io/ok',
        '      - 42',
        '    allow-unsigned: true',
      ),
      [[5, 'rules[0].images[1]', /must be an image name pattern \(text\); found number 42/]],
    ],
    [
      'invalid image patterns',
      yaml(
        'rules:',
        '  - name: a',
        '    images:',
        '      - ""',
        '      - "  "',
        '      - ghcr.io/Acme/app',
        '      - golang:1.22',
        '      - ghcr.io/acme/app@sha256:0123',
        '      - "ghcr.io/acme app"',
        '      - ghcr.io/acme/ok',
        '    allow-unsigned: true',
      ),
      [
        [4, 'rules[0].images[0]', /empty/],
        [5, 'rules[0].images[1]', /empty/],
        [6, 'rules[0].images[2]', /upper-case/],
        [7, 'rules[0].images[3]', /has a tag \(":1.22"\)/],
        [8, 'rules[0].images[4]', /has a digest/],
        [9, 'rules[0].images[5]', /white space/],
      ],
    ],
    [
      'keys and key together',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    key: gcpkms://p/k',
        '    keys: [gcpkms://p/k2]',
      ),
      [[5, 'rules[0]', /has "key" and "keys"; .*\(move the key into the "keys" list\)/]],
    ],
    [
      'an empty keys list',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', '    keys: []'),
      [[4, 'rules[0].keys', /must be a non-empty list of public keys.*\(an empty list\)/]],
    ],
    [
      'keys given one text',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', '    keys: gcpkms://p/k'),
      [[4, 'rules[0].keys', /must be a non-empty list of public keys.*\(for one key write "key:"\)/]],
    ],
    [
      'a keys item that is not a public key',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keys:',
        '      - gcpkms://p/k',
        '      - |',
        '        -----BEGIN CERTIFICATE-----',
        '        MIIB',
        '        -----END CERTIFICATE-----',
        '      - 42',
      ),
      [
        [6, 'rules[0].keys[1]', /is a certificate; cosign verify --key takes a public key/],
        [10, 'rules[0].keys[2]', /must be a PEM public key .* or a KMS URI; found number 42/],
      ],
    ],
    [
      'a revoked fingerprint that is not 64 hex digits',
      yaml('revoked-keys:', '  - 0123abcd', `  - ${'ab'.repeat(32)}`, `  - sha256:${'g'.repeat(64)}`),
      [
        [2, 'revoked-keys[0]', /"0123abcd" is not a SHA-256 fingerprint \(64 hex digits/],
        [4, 'revoked-keys[2]', /is not a SHA-256 fingerprint \(64 hex digits/],
      ],
    ],
    [
      'a revoked key that is a private key',
      yaml(
        'revoked-keys:',
        '  - |',
        '    -----BEGIN EC PRIVATE KEY-----',
        '    MHcC',
        '    -----END EC PRIVATE KEY-----',
      ),
      [[2, 'revoked-keys[0]', /is a private key/]],
    ],
    [
      'revoked-keys not a list',
      yaml('revoked-keys: abc'),
      [[1, 'revoked-keys', /must be a list, each item a SHA-256 fingerprint/]],
    ],
    [
      'a rule with no way to trust',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]'),
      [
        [
          2,
          'rules[0]',
          /give one of "keyless" \(who signed\), "key" \(the public key\), "keys" \(several public keys, any one verifies\) or "allow-unsigned: true"/,
        ],
      ],
    ],
    [
      'allow-unsigned: false alone',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', '    allow-unsigned: false'),
      [[2, 'rules[0]', /says nothing about how to trust/]],
    ],
    [
      'allow-unsigned not a boolean',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', '    allow-unsigned: yes'),
      [
        [4, 'rules[0].allow-unsigned', /must be true or false; found the text "yes"/],
        [2, 'rules[0]', /says nothing about how to trust/],
      ],
    ],
    [
      'keyless and key together',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keyless:',
        '      issuer: https://accounts.google.com',
        '      identity: a@acme.example',
        '    key: gcpkms://projects/p/k',
      ),
      [[7, 'rules[0]', /has "keyless" and "key"; a rule takes exactly one of/]],
    ],
    [
      'key and allow-unsigned: true together',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    allow-unsigned: true',
        '    key: awskms:///alias/k',
      ),
      [[5, 'rules[0]', /has "allow-unsigned: true" and "key"/]],
    ],
    [
      'keyless not a mapping',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', '    keyless: https://accounts.google.com'),
      [
        [
          4,
          'rules[0].keyless',
          /must be a mapping with "issuer" or "issuer-regexp" and "identity" or "identity-regexp"/,
        ],
      ],
    ],
    [
      'keyless without an issuer',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keyless:',
        '      identity: a@acme.example',
      ),
      [[4, 'rules[0].keyless', /needs "issuer" or "issuer-regexp"/]],
    ],
    [
      'keyless without an identity',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keyless:',
        '      issuer: https://accounts.google.com',
      ),
      [[4, 'rules[0].keyless', /needs "identity" or "identity-regexp"/]],
    ],
    [
      'keyless with issuer and issuer-regexp',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keyless:',
        '      issuer: https://accounts.google.com',
        '      identity: a@acme.example',
        '      issuer-regexp: ^https://accounts\\.google\\.com$',
      ),
      [[7, 'rules[0].keyless', /has both "issuer" and "issuer-regexp"; give one of them/]],
    ],
    [
      'keyless with identity and identity-regexp',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keyless:',
        '      identity-regexp: ^a@',
        '      identity: a@acme.example',
        '      issuer: https://accounts.google.com',
      ),
      [[6, 'rules[0].keyless', /has both "identity" and "identity-regexp"/]],
    ],
    [
      'cosign flag names inside keyless',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keyless:',
        '      certificate-oidc-issuer: https://accounts.google.com',
        '      certificate-identity: a@acme.example',
      ),
      [
        [
          5,
          'rules[0].keyless.certificate-oidc-issuer',
          /did you mean "issuer"\?.*accepts "issuer", "issuer-regexp", "identity", "identity-regexp"/,
        ],
        [6, 'rules[0].keyless.certificate-identity', /did you mean "identity"\?/],
        [4, 'rules[0].keyless', /needs "issuer" or "issuer-regexp"/],
        [4, 'rules[0].keyless', /needs "identity" or "identity-regexp"/],
      ],
    ],
    [
      'an unknown rule key',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', '    allowUnsigned: true'),
      [
        [
          4,
          'rules[0].allowUnsigned',
          /unknown key \(did you mean "allow-unsigned"\?\); rules\[0\] accepts "name", "images", "keyless", "key", "keys", "allow-unsigned"/,
        ],
        [2, 'rules[0]', /says nothing about how to trust/],
      ],
    ],
    [
      'a key that is a path',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', '    key: ./cosign.pub'),
      [[4, 'rules[0].key', /file path is not accepted/]],
    ],
    [
      'a key that is a private key',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    key: |',
        '      -----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----',
        '      eyJrZGYiOnsibmFtZSI6InNjcnlwdCJ9fQ==',
        '      -----END ENCRYPTED COSIGN PRIVATE KEY-----',
      ),
      [[4, 'rules[0].key', /is a private key.*never put a private key in a policy/]],
    ],
    [
      'a key with an unsupported scheme',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', '    key: env://COSIGN_PUBLIC_KEY'),
      [[4, 'rules[0].key', /env: keys are not accepted/]],
    ],
    [
      'duplicate rule names',
      yaml(
        'rules:',
        '  - name: ours',
        '    images: ["ghcr.io/a"]',
        '    allow-unsigned: true',
        '  - name: ours',
        '    images: ["ghcr.io/b"]',
        '    allow-unsigned: true',
      ),
      [[5, 'rules[1].name', /"ours" is already the name of the rule at line 2; rule names must be unique/]],
    ],
    [
      'an identity-regexp with lookahead',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keyless:',
        '      issuer: https://token.actions.githubusercontent.com',
        '      identity-regexp: ^https://github\\.com/(?!evil)',
      ),
      [
        [
          6,
          'rules[0].keyless.identity-regexp',
          /not a valid RE2 regular expression \(cosign uses Go's regexp\): negative lookahead `\(\?!…\)` is not supported: cosign matches it with Go's RE2 engine, which guarantees linear-time matching and therefore has no lookaround/,
        ],
      ],
    ],
    [
      'an issuer-regexp that does not compile',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keyless:',
        '      issuer-regexp: "^https://(accounts\\\\.google\\\\.com"',
        '      identity: a@acme.example',
      ),
      [[5, 'rules[0].keyless.issuer-regexp', /missing closing `\)`/]],
    ],
    [
      'an empty identity-regexp, which would match anyone',
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keyless:',
        '      issuer: https://x',
        '      identity-regexp: ""',
      ),
      [[6, 'rules[0].keyless.identity-regexp', /found an empty text/]],
    ],
    [
      'a key that is not a plain name',
      yaml('unmatched: deny', '? [a, b]', ': 1'),
      [[2, '(top level)', /keys must be plain names/]],
    ],
    [
      'a YAML syntax error',
      yaml('unmatched: deny', 'rules:', '  - name: a', '   images: x'),
      [[4, 'YAML syntax', /Sequence item without - indicator/]],
    ],
    [
      'two YAML syntax errors',
      yaml('rules: [', '  - x'),
      [
        [2, 'YAML syntax', /Block collections are not allowed within flow collections/],
        [3, 'YAML syntax', /Flow sequence in block collection must be sufficiently indented/],
      ],
    ],
    [
      'a duplicate key',
      yaml('unmatched: deny', 'rules: []', 'unmatched: warn'),
      [[3, 'duplicate key "unmatched"', /Map keys must be unique; each key may appear once/]],
    ],
    [
      'two YAML documents',
      yaml('unmatched: deny', '---', 'rules: []'),
      [[2, 'YAML syntax', /multiple documents/]],
    ],
    [
      'an alias without its anchor',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', '    keyless: *signer'),
      [[4, '*signer', /names no anchor; define "&signer" earlier/]],
    ],
    [
      'a merge key',
      yaml('rules:', '  - name: a', '    images: ["ghcr.io/a"]', '    <<: {allow-unsigned: true}'),
      [
        [4, 'rules[0].<<', /merge keys are not supported/],
        [2, 'rules[0]', /says nothing about how to trust/],
      ],
    ],
  ];

  it.each(CASES)('%s', (_what, text, expected) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(expected.length);
    for (const [line, key, message] of expected) {
      expect(problems).toContainEqual({ line, key, message: expect.stringMatching(message) });
    }
  });

  it('reports every problem of the file in one error, one per line, in line order', () => {
    const text = yaml(
      'unmatched: never',
      'rules:',
      '  - name: a',
      '    images: ["ghcr.io/A"]',
      '    allow-unsigned: true',
      '  - name: b',
      '    images: ["ghcr.io/b"]',
      '    keyless:',
      '      issuer: https://accounts.google.com',
    );
    let message = '';
    try {
      parsePolicy(text, FILE);
    } catch (err) {
      message = (err as Error).message;
    }
    const lines = message.split('\n');
    expect(lines[0]).toBe(`${FILE}: 3 problems in the trust policy:`);
    expect(lines.slice(1).map((l) => l.split(': ')[0])).toEqual([`${FILE}:1`, `${FILE}:4`, `${FILE}:8`]);
    expect(lines[2]).toMatch(
      /^\.github\/secure-image\.yml:4: rules\[0\]\.images\[0\]: "ghcr.io\/A" has upper-case/,
    );
  });
});

describe('parsePolicy: warnings', () => {
  it('warns when an identity-regexp is not anchored with ^', () => {
    const policy = parsePolicy(
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a/**"]',
        '    keyless:',
        '      issuer: https://token.actions.githubusercontent.com',
        '      identity-regexp: github\\.com/acme/',
      ),
      FILE,
    );
    expect(policy.warnings).toEqual([
      {
        file: FILE,
        line: 6,
        key: 'rules[0].keyless.identity-regexp',
        message: expect.stringMatching(
          /does not start with "\^".*also matches "https:\/\/evil.example\/github\\.com\/acme\/".*"\^github/,
        ),
      },
    ]);
    expect(formatPolicyWarning(policy.warnings?.[0] as never)).toMatch(
      /^\.github\/secure-image\.yml:6: rules\[0\]\.keyless\.identity-regexp: does not start/,
    );
  });

  it('warns when only one alternative is anchored, and for an unanchored issuer-regexp', () => {
    const policy = parsePolicy(
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a/**"]',
        '    keyless:',
        '      issuer-regexp: token\\.actions\\.githubusercontent\\.com',
        '      identity-regexp: ^https://github\\.com/acme/|https://github\\.com/acme-forks/',
      ),
      FILE,
    );
    expect(policy.warnings?.map((w) => [w.line, w.key])).toEqual([
      [5, 'rules[0].keyless.issuer-regexp'],
      [6, 'rules[0].keyless.identity-regexp'],
    ]);
  });

  it('warns when an exact identity looks like a regular expression', () => {
    const policy = parsePolicy(
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a/**"]',
        '    keyless:',
        '      issuer: https://token.actions.githubusercontent.com',
        '      identity: ^https://github\\.com/acme/.*',
      ),
      FILE,
    );
    expect(policy.warnings).toEqual([
      expect.objectContaining({
        line: 6,
        message: expect.stringMatching(/compared exactly; use "identity-regexp"/),
      }),
    ]);
  });

  it.each([
    ['token.actions.githubusercontent.com', /which is an https:\/\/ URL/],
    ['https://token.actions.githubusercontent.com/', /ends with "\/"/],
  ])('warns about the issuer %s, which cannot match', (issuer, message) => {
    const policy = parsePolicy(
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a/**"]',
        '    keyless:',
        `      issuer: ${issuer}`,
        '      identity: https://github.com/acme/a/.github/workflows/release.yml@refs/heads/main',
      ),
      FILE,
    );
    expect(policy.warnings).toEqual([
      expect.objectContaining({
        line: 5,
        key: 'rules[0].keyless.issuer',
        message: expect.stringMatching(message),
      }),
    ]);
  });

  it('warns when an earlier rule already takes a pattern', () => {
    const policy = parsePolicy(
      yaml(
        'rules:',
        '  - name: everything',
        '    images: ["ghcr.io/acme/**"]',
        '    allow-unsigned: true',
        '  - name: strict',
        '    images:',
        '      - ghcr.io/acme/base',
        '      - ghcr.io/acme/**',
        '    key: hashivault://base',
      ),
      FILE,
    );
    expect(policy.warnings).toEqual([
      expect.objectContaining({
        line: 8,
        key: 'rules[1].images[1]',
        message: expect.stringMatching(
          /never selects this rule: the rule "everything" \(line 2\) comes first/,
        ),
      }),
    ]);
  });

  it('passes on yaml warnings (an unknown tag)', () => {
    const policy = parsePolicy(yaml('unmatched: !strict deny'), FILE);
    expect(policy.unmatched).toBe('deny');
    expect(policy.warnings).toEqual([expect.objectContaining({ line: 1, key: '(yaml)' })]);
  });

  it('accepts a catastrophic-backtracking regexp without running it (RE2 matches it in linear time)', () => {
    const start = performance.now();
    const policy = parsePolicy(
      yaml(
        'rules:',
        '  - name: a',
        '    images: ["ghcr.io/a"]',
        '    keyless:',
        '      issuer: https://token.actions.githubusercontent.com',
        `      identity-regexp: '^(a+)+$'`,
        '  - name: b',
        '    images: ["ghcr.io/b"]',
        '    keyless:',
        '      issuer: https://token.actions.githubusercontent.com',
        `      identity-regexp: '^(${'(a|aa)+'.repeat(100)})+$'`,
      ),
      FILE,
    );
    expect(policy.rules[0]?.keyless?.identityRegexp).toBe('^(a+)+$');
    expect(policy.warnings).toEqual([]);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe('parsePolicy: YAML bombs', () => {
  it('refuses a 1 MB file of aliases at once, naming the file', () => {
    const text = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb:\n${'  - *a\n'.repeat(150_000)}`;
    expect(text.length).toBeGreaterThan(1_000_000);
    const start = performance.now();
    expect(() => parsePolicy(text, FILE)).toThrow(
      new RegExp(`^${FILE.replace(/\./g, '\\.')}:1: \\(file\\): is \\d+ bytes`),
    );
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('refuses many aliases below the size limit before composing the document', () => {
    const text = `a: &a [x]\nb:\n${'  - *a\n'.repeat(30_000)}`;
    const start = performance.now();
    expect(problemsOf(text)).toEqual([
      { line: 3 + MAX_ALIASES, key: '(file)', message: expect.stringMatching(/more than 64 YAML aliases/) },
    ]);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('refuses a "billion laughs" that needs only a few aliases', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      const prev = String.fromCharCode('a'.charCodeAt(0) + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = yaml(...levels);
    expect((text.match(/\*/g) ?? []).length).toBeLessThanOrEqual(MAX_ALIASES);
    const start = performance.now();
    expect(problemsOf(text)).toEqual([
      {
        line: 1,
        key: '(file)',
        message: expect.stringMatching(/aliases expand too far \(Excessive alias count/),
      },
    ]);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
