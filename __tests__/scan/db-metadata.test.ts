// What a vulnerability DB restored from the Actions cache must look like before a scan trusts it.
import { describe, expect, it } from '@jest/globals';
import { grypeStatusProblem, trivyMetadataProblem } from '../../src/scan/db-metadata.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const at = (hours: number): string => new Date(NOW.getTime() + hours * 3_600_000).toISOString();
const good = { Version: 2, UpdatedAt: at(-6), NextUpdate: at(18), DownloadedAt: at(-5) };

describe('trivyMetadataProblem', () => {
  it('accepts metadata as trivy writes it, and a build a few minutes ahead of this clock', () => {
    expect(trivyMetadataProblem(good, NOW, 'vulnerability')).toBeUndefined();
    expect(trivyMetadataProblem({ ...good, UpdatedAt: at(0.05) }, NOW, 'vulnerability')).toBeUndefined();
    expect(
      trivyMetadataProblem({ ...good, Version: 1, NextUpdate: at(24 * 3) }, NOW, 'java'),
    ).toBeUndefined();
  });

  it.each([
    [[], /not an object/],
    [{ ...good, Version: '2' }, /schema version is "2", not 2/],
    [{ ...good, UpdatedAt: undefined }, /no UpdatedAt/],
    [{ ...good, NextUpdate: 'soon' }, /no NextUpdate/],
    [{ ...good, UpdatedAt: at(1) }, /built in the future/],
    [{ ...good, DownloadedAt: at(1) }, /downloaded in the future/],
    [{ ...good, NextUpdate: at(24 * 30) }, /more than 48 h after its build/],
  ])('refuses %j', (meta, why) => {
    expect(trivyMetadataProblem(meta, NOW, 'vulnerability')).toMatch(why);
  });
});

describe('grypeStatusProblem', () => {
  it('accepts a valid DB built before now, and refuses an invalid one or one built in the future', () => {
    expect(grypeStatusProblem({ valid: true, built: new Date(at(-3)) }, NOW)).toBeUndefined();
    expect(grypeStatusProblem({ valid: false, built: new Date(at(-3)) }, NOW)).toMatch(/checksum/);
    expect(grypeStatusProblem({ valid: true }, NOW)).toMatch(/no build date/);
    expect(grypeStatusProblem({ valid: true, built: new Date(at(2)) }, NOW)).toMatch(/future/);
  });
});
