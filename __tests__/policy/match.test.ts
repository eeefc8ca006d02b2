import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { BUILT_IN_RULES } from '../../src/policy/builtin.js';
import { combinePolicy, matchRule, requirementFor, ruleLabel } from '../../src/policy/match.js';
import { parsePolicy } from '../../src/policy/parse.js';
import type { PolicyRule, TrustPolicy } from '../../src/policy/types.js';

const FILE_POLICY = parsePolicy(
  [
    'unmatched: deny',
    'rules:',
    '  - name: our distroless fork',
    '    images: ["gcr.io/distroless/static"]',
    '    key: gcpkms://projects/acme/locations/global/keyRings/r/cryptoKeys/k',
    '  - name: acme base',
    '    images: ["ghcr.io/acme/base-*", "ghcr.io/acme/base-*/**"]',
    '    keyless:',
    '      issuer: https://token.actions.githubusercontent.com',
    '      identity-regexp: ^https://github\\.com/acme/base/',
    '  - name: acme everything else',
    '    images: ["ghcr.io/acme/**"]',
    '    allow-unsigned: true',
    '  - name: hub tools',
    '    images: [golang, "docker.io/library/node"]',
    '    allow-unsigned: true',
    '  - name: local',
    '    images: ["localhost:5000/**"]',
    '    allow-unsigned: true',
    '',
  ].join('\n'),
  'policy.yml',
);

describe('BUILT_IN_RULES', () => {
  it('trusts distroless and chainguard images by their keyless signers', () => {
    expect(BUILT_IN_RULES).toEqual([
      {
        name: 'distroless',
        images: ['gcr.io/distroless/**'],
        source: 'built-in',
        keyless: {
          identity: 'keyless@distroless.iam.gserviceaccount.com',
          issuer: 'https://accounts.google.com',
        },
      },
      {
        name: 'chainguard',
        images: ['cgr.dev/chainguard/**'],
        source: 'built-in',
        keyless: {
          identity:
            'https://github.com/chainguard-images/images/.github/workflows/release.yaml@refs/heads/main',
          issuer: 'https://token.actions.githubusercontent.com',
        },
      },
    ]);
  });

  it('cannot be changed by a caller', () => {
    const rule = BUILT_IN_RULES[0] as PolicyRule;
    expect(() => {
      (rule.keyless as { identity: string }).identity = 'attacker@example.com';
    }).toThrow(TypeError);
    expect(() => {
      rule.images.push('**');
    }).toThrow(TypeError);
  });

  it('are labelled "(built-in)" in reports; file rules by their own name', () => {
    expect(BUILT_IN_RULES.map(ruleLabel)).toEqual(['distroless (built-in)', 'chainguard (built-in)']);
    expect(ruleLabel(FILE_POLICY.rules[1] as PolicyRule)).toBe('acme base');
  });
});

describe('combinePolicy', () => {
  it('puts the file rules first, then the built-ins, and keeps the file action', () => {
    const combined = combinePolicy(FILE_POLICY);
    expect(combined.rules.map(ruleLabel)).toEqual([
      'our distroless fork',
      'acme base',
      'acme everything else',
      'hub tools',
      'local',
      'distroless (built-in)',
      'chainguard (built-in)',
    ]);
    expect(combined.unmatched).toBe('deny');
    expect(combined.file).toBe('policy.yml');
  });

  it('without a file: only the built-ins, and unmatched images warn', () => {
    expect(combinePolicy()).toEqual({ unmatched: 'warn', rules: [...BUILT_IN_RULES] });
  });
});

describe('matchRule', () => {
  const policy = combinePolicy(FILE_POLICY);
  it.each([
    // the file's rule shadows the built-in one for this image only
    ['gcr.io/distroless/static', 'our distroless fork'],
    ['gcr.io/distroless/static-debian12', 'distroless (built-in)'],
    ['gcr.io/distroless/base/nonroot', 'distroless (built-in)'],
    ['cgr.dev/chainguard/static', 'chainguard (built-in)'],
    ['cgr.dev/chainguardx/static', undefined],
    // first match wins: "acme base" comes before "acme everything else"
    ['ghcr.io/acme/base-alpine', 'acme base'],
    ['ghcr.io/acme/base-alpine/arm', 'acme base'],
    ['ghcr.io/acme/app', 'acme everything else'],
    ['ghcr.io/acme-evil/app', undefined],
    // Docker Hub names arrive fully qualified
    ['docker.io/library/golang', 'hub tools'],
    ['docker.io/library/node', 'hub tools'],
    ['docker.io/acme/golang', undefined],
    ['docker.io/library/python', undefined],
    // ports
    ['localhost:5000/team/app', 'local'],
    ['localhost:5001/team/app', undefined],
    // a tag or digest left on the name by mistake is ignored
    ['docker.io/library/golang:1.22', 'hub tools'],
    ['gcr.io/distroless/static@sha256:0123', 'our distroless fork'],
    ['localhost:5000/app:1', 'local'],
  ])('%s → %s', (image, expected) => {
    const rule = matchRule(policy, image);
    expect(rule === undefined ? undefined : ruleLabel(rule)).toBe(expected);
  });
});

describe('requirementFor', () => {
  const policy = combinePolicy(FILE_POLICY);

  it('keyless: the rule and its signer', () => {
    const r = requirementFor(policy, 'ghcr.io/acme/base-debian');
    expect(r).toEqual({
      kind: 'keyless',
      rule: policy.rules[1],
      signer: {
        issuer: 'https://token.actions.githubusercontent.com',
        identityRegexp: '^https://github\\.com/acme/base/',
      },
    });
  });

  it('keyless from a built-in rule', () => {
    const r = requirementFor(policy, 'cgr.dev/chainguard/node');
    expect(r.kind === 'keyless' && ruleLabel(r.rule)).toBe('chainguard (built-in)');
    expect(r.kind === 'keyless' && r.signer.identity).toBe(
      'https://github.com/chainguard-images/images/.github/workflows/release.yaml@refs/heads/main',
    );
  });

  it('key: the key as written', () => {
    expect(requirementFor(policy, 'gcr.io/distroless/static')).toEqual({
      kind: 'key',
      rule: policy.rules[0],
      keys: ['gcpkms://projects/acme/locations/global/keyRings/r/cryptoKeys/k'],
      revoked: [],
    });
  });

  it('allow-unsigned', () => {
    expect(requirementFor(policy, 'docker.io/library/node')).toEqual({
      kind: 'allow-unsigned',
      rule: policy.rules[3],
    });
  });

  it.each(['deny', 'warn', 'allow'] as const)('unmatched: the policy action (%s)', (action) => {
    const p: TrustPolicy = { ...policy, unmatched: action };
    expect(requirementFor(p, 'quay.io/someone/thing')).toEqual({ kind: 'unmatched', action });
  });

  it('refuses to read a hand-built rule without a trust method as trusted', () => {
    const p: TrustPolicy = { unmatched: 'allow', rules: [{ name: 'empty', images: ['**'], source: 'file' }] };
    expect(() => requirementFor(p, 'ghcr.io/x')).toThrow(/neither keyless, key nor allow-unsigned/);
  });
});

describe('requirementFor: keys and revoked-keys', () => {
  const pemOf = (): string =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
  const oldKey = pemOf();
  const newKey = pemOf();
  const fingerprint = (pem: string): string =>
    createHash('sha256')
      .update(createPublicKey(pem).export({ type: 'spki', format: 'der' }))
      .digest('hex');
  const indent = (pem: string): string[] =>
    pem
      .trim()
      .split('\n')
      .map((l) => `        ${l}`);
  const policyWith = (revoked: string[]): TrustPolicy =>
    parsePolicy(
      [
        ...(revoked.length > 0 ? ['revoked-keys:', ...revoked.map((r) => `  - ${r}`)] : []),
        'rules:',
        '  - name: internal',
        '    images: ["registry.acme.internal/**"]',
        '    keys:',
        '      - |',
        ...indent(oldKey),
        '      - |',
        ...indent(newKey),
        '      - gcpkms://p/k',
        '',
      ].join('\n'),
      'policy.yml',
    );

  it('gives every key of the rule when none is revoked', () => {
    const r = requirementFor(policyWith([]), 'registry.acme.internal/base');
    expect(r.kind === 'key' && r.keys.map((k) => k.trim())).toEqual([
      oldKey.trim(),
      newKey.trim(),
      'gcpkms://p/k',
    ]);
    expect(r.kind === 'key' && r.revoked).toEqual([]);
  });

  it('moves a key whose SPKI fingerprint is revoked, and a revoked URI, out of the keys and names them', () => {
    const r = requirementFor(
      policyWith([`sha256:${fingerprint(oldKey).toUpperCase()}`, 'gcpkms://p/k']),
      'registry.acme.internal/base',
    );
    expect(r.kind === 'key' && r.keys.map((k) => k.trim())).toEqual([newKey.trim()]);
    expect(r.kind === 'key' && r.revoked.map((k) => k.name)).toEqual([
      `sha256:${fingerprint(oldKey)}`,
      'gcpkms://p/k',
    ]);
  });
});
