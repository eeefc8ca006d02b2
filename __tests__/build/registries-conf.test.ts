// The registries.conf buildah and podman get instead of `--tls-verify=false`: the loopback registries plain HTTP, every
// other registry verified, and the runner's own configuration kept.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registriesConfText, writeRegistriesConf } from '../../src/build/registries-conf.js';

/** The `[[registry]]` tables of a registries.conf: location → insecure. */
function registryTables(text: string): Record<string, boolean> {
  const tables: Record<string, boolean> = {};
  for (const block of text.split('[[registry]]').slice(1)) {
    const location = /location = "([^"]*)"/.exec(block)?.[1] ?? '';
    tables[location] = /insecure = true/.test(block);
  }
  return tables;
}

describe('registries.conf for loopback registries', () => {
  it('marks only the loopback registries insecure, after the settings of the runner’s own v2 configuration', () => {
    const system =
      '# examples\nunqualified-search-registries = ["docker.io"]\n\n[[registry]]\nlocation = "ghcr.io"\nblocked = false\n';
    const text = registriesConfText(['127.0.0.1:5000', '[::1]:5001'], system);
    // Its settings first, without its comments and blank lines.
    expect(
      text.startsWith(
        'unqualified-search-registries = ["docker.io"]\n[[registry]]\nlocation = "ghcr.io"\nblocked = false\n',
      ),
    ).toBe(true);
    expect(text).not.toContain('# examples');
    expect(registryTables(text)).toEqual({ 'ghcr.io': false, '127.0.0.1:5000': true, '[::1]:5001': true });
    expect(text).not.toMatch(/tls-verify|insecure = true\s*\n\s*location = "ghcr/);
  });

  it('drops a v1 file, which cannot be mixed with v2 tables', () => {
    const v1 =
      '[registries.search]\nregistries = ["docker.io"]\n[registries.insecure]\nregistries = ["evil.example"]\n';
    const text = registriesConfText(['127.0.0.1:5000'], v1);
    expect(text).not.toContain('registries.');
    expect(registryTables(text)).toEqual({ '127.0.0.1:5000': true });
  });

  it('is written where the plan says and named in CONTAINERS_REGISTRIES_CONF, reading the one the runner set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'registries-conf-'));
    const runner = join(dir, 'runner.conf');
    writeFileSync(runner, 'short-name-mode = "enforcing"\n');
    const path = join(dir, 'registries.conf');
    const env = writeRegistriesConf(
      { path, insecure: ['localhost:5000'] },
      { CONTAINERS_REGISTRIES_CONF: runner },
    );
    expect(env).toEqual({ CONTAINERS_REGISTRIES_CONF: path });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('short-name-mode = "enforcing"')).toBe(true);
    expect(registryTables(text)).toEqual({ 'localhost:5000': true });
  });
});
