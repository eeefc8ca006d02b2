import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/util/errors.js';
import {
  type VexStatement,
  VexIndex,
  imageRepository,
  parseOpenVex,
  vexStatementApplies,
} from '../../src/scan/vex.js';
import { finding } from './helpers.js';

const doc = (statements: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/1',
    author: 'Acme Security',
    timestamp: '2024-01-01T00:00:00Z',
    version: 1,
    statements,
    ...extra,
  });

describe('parseOpenVex', () => {
  it('reads statements with products, subcomponents, aliases and inherited timestamps', () => {
    const text = doc([
      {
        vulnerability: {
          '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2019-1549',
          name: 'CVE-2019-1549',
          aliases: ['GHSA-x'],
        },
        products: [
          {
            '@id': 'pkg:oci/app?repository_url=ghcr.io/acme/app',
            subcomponents: [{ '@id': 'pkg:apk/alpine/libssl1.1' }],
          },
        ],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
      },
      {
        vulnerability: { name: 'CVE-2019-1551' },
        timestamp: '2024-02-01T00:00:00Z',
        products: [{ identifiers: { purl: 'pkg:apk/alpine/libcrypto1.1' } }],
        status: 'affected',
        action_statement: 'upgrade',
      },
    ]);
    expect(parseOpenVex(text, 'vex/app.openvex.json')).toEqual([
      {
        vulnerability: 'CVE-2019-1549',
        aliases: ['GHSA-x'],
        products: ['pkg:oci/app?repository_url=ghcr.io/acme/app'],
        subcomponents: ['pkg:apk/alpine/libssl1.1'],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impactStatement: undefined,
        timestamp: '2024-01-01T00:00:00Z',
        file: 'vex/app.openvex.json',
        index: 0,
      },
      {
        vulnerability: 'CVE-2019-1551',
        aliases: [],
        products: ['pkg:apk/alpine/libcrypto1.1'],
        subcomponents: [],
        status: 'affected',
        justification: undefined,
        impactStatement: undefined,
        timestamp: '2024-02-01T00:00:00Z',
        file: 'vex/app.openvex.json',
        index: 1,
      },
    ]);
  });

  it('reads the v0.0.x string forms', () => {
    const text = JSON.stringify({
      '@context': 'https://openvex.dev/ns',
      statements: [
        { vulnerability: 'CVE-1', products: ['pkg:apk/wolfi/git'], status: 'fixed' },
        { vulnerability: 'CVE-2', status: 'not_affected', impact_statement: 'never called' },
      ],
    });
    expect(
      parseOpenVex(text, 'f').map((s) => [s.vulnerability, s.products, s.status, s.impactStatement]),
    ).toEqual([
      ['CVE-1', ['pkg:apk/wolfi/git'], 'fixed', undefined],
      ['CVE-2', [], 'not_affected', 'never called'],
    ]);
  });

  it.each([
    ['not JSON', 'vex', 'the text is not JSON'],
    ['an array', '[]', 'must be a JSON object'],
    [
      'another context',
      JSON.stringify({ '@context': 'https://cyclonedx.org', statements: [] }),
      '@context must be',
    ],
    [
      'no statements',
      JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0' }),
      'statements must be a list',
    ],
    [
      'no vulnerability name',
      doc([{ vulnerability: {}, status: 'fixed' }]),
      'statements[0].vulnerability.name is missing',
    ],
    [
      'a bad status',
      doc([{ vulnerability: { name: 'C' }, status: 'ok' }]),
      'statements[0].status must be one of',
    ],
    [
      'not_affected without a reason',
      doc([{ vulnerability: { name: 'C' }, status: 'not_affected' }]),
      'without a justification or an impact_statement',
    ],
    [
      'a bad justification',
      doc([{ vulnerability: { name: 'C' }, status: 'not_affected', justification: 'trust me' }]),
      'justification must be one of',
    ],
  ])('%s is an error naming the file', (_name, text, message) => {
    expect(() => parseOpenVex(text, 'a.vex.json')).toThrow(UserError);
    expect(() => parseOpenVex(text, 'a.vex.json')).toThrow(message);
    expect(() => parseOpenVex(text, 'a.vex.json')).toThrow(/^a\.vex\.json: /);
  });
});

describe('imageRepository', () => {
  it.each([
    ['alpine', 'docker.io/library/alpine'],
    ['alpine:3.20', 'docker.io/library/alpine'],
    ['acme/app@sha256:abc', 'docker.io/acme/app'],
    ['index.docker.io/library/alpine', 'docker.io/library/alpine'],
    ['ghcr.io/Acme/App:1.0', 'ghcr.io/acme/app'],
    ['localhost:5000/app:tag', 'localhost:5000/app'],
  ])('%s → %s', (ref, repo) => {
    expect(imageRepository(ref)).toBe(repo);
  });
});

describe('vexStatementApplies', () => {
  const statement = (overrides: Partial<VexStatement>): VexStatement => ({
    vulnerability: 'CVE-1',
    aliases: [],
    products: [],
    subcomponents: [],
    status: 'not_affected',
    justification: 'component_not_present',
    file: 'v.json',
    index: 0,
    ...overrides,
  });
  const f = finding({
    id: 'CVE-1',
    aliases: ['GHSA-1'],
    packageName: 'libssl1.1',
    purl: 'pkg:apk/alpine/libssl1.1@1.1.1c-r0?arch=x86_64',
  });
  const image = 'ghcr.io/acme/app@sha256:aaa';

  it.each<[string, Partial<VexStatement>, boolean]>([
    ['no product: the scanned image', {}, true],
    ['another vulnerability', { vulnerability: 'CVE-2' }, false],
    ['the finding alias as name', { vulnerability: 'GHSA-1' }, true],
    ['the finding id as statement alias', { vulnerability: 'OSV-1', aliases: ['CVE-1'] }, true],
    ['the image as oci purl', { products: ['pkg:oci/app?repository_url=ghcr.io/acme/app'] }, true],
    [
      'the image as oci purl with its digest',
      { products: ['pkg:oci/app@sha256%3Aaaa?repository_url=ghcr.io/acme/app'] },
      true,
    ],
    [
      'the image as oci purl with another digest',
      { products: ['pkg:oci/app@sha256%3Abbb?repository_url=ghcr.io/acme/app'] },
      false,
    ],
    ['an oci purl without repository_url, same name', { products: ['pkg:oci/app'] }, true],
    ['another image', { products: ['pkg:oci/other?repository_url=ghcr.io/acme/other'] }, false],
    ['the image as a reference', { products: ['ghcr.io/acme/app:latest'] }, true],
    ['another image reference', { products: ['ghcr.io/acme/other'] }, false],
    [
      'the image, narrowed to this package',
      { products: ['ghcr.io/acme/app'], subcomponents: ['pkg:apk/alpine/libssl1.1'] },
      true,
    ],
    [
      'the image, narrowed to another package',
      { products: ['ghcr.io/acme/app'], subcomponents: ['pkg:apk/alpine/openssl'] },
      false,
    ],
    ['the package as product', { products: ['pkg:apk/alpine/libssl1.1'] }, true],
    ['another package as product', { products: ['pkg:apk/alpine/libcrypto1.1'] }, false],
    ['a cpe product', { products: ['cpe:2.3:a:openssl:openssl:*'] }, false],
  ])('%s → %s', (_name, overrides, expected) => {
    expect(vexStatementApplies(statement(overrides), f, image)).toBe(expected);
  });

  it('without an image name, an image product is taken to be the scanned image', () => {
    expect(vexStatementApplies(statement({ products: ['ghcr.io/acme/other'] }), f)).toBe(true);
  });

  it('the latest applicable statement decides; on a tie the later one', () => {
    const older = statement({ status: 'not_affected', timestamp: '2024-01-01T00:00:00Z' });
    const newer = statement({
      status: 'affected',
      justification: undefined,
      timestamp: '2024-03-01T00:00:00Z',
    });
    expect(new VexIndex([newer, older]).decide(f)?.status).toBe('affected');
    expect(new VexIndex([older, newer]).decide(f)?.status).toBe('affected');
    const a = statement({ status: 'under_investigation', timestamp: '2024-01-01T00:00:00Z' });
    const b = statement({ status: 'fixed', timestamp: '2024-01-01T00:00:00Z' });
    expect(new VexIndex([a, b]).decide(f)?.status).toBe('fixed');
    expect(new VexIndex([b, a]).decide(f)?.status).toBe('under_investigation');
    expect(new VexIndex([statement({ vulnerability: 'CVE-9' })]).decide(f)).toBeUndefined();
  });
});
