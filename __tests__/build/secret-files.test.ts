// The files a build's secrets are mounted from: owner-only, in a folder of their own, gone after the build.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeSecretFiles } from '../../src/build/secret-files.js';

describe('writeSecretFiles', () => {
  it('writes values to 0600 files in a 0700 folder, leaves a user file where it is, and removes only its own', () => {
    const work = mkdtempSync(join(tmpdir(), 'secret-files-'));
    const own = join(work, 'mine.txt');
    writeFileSync(own, 'from a file');
    const files = writeSecretFiles(work, [
      { id: 'token', value: 'v4lue' },
      { id: 'file', file: own },
    ]);
    const [token, file] = files.mounts;
    expect(file).toEqual({ id: 'file', src: own });
    expect(token?.id).toBe('token');
    const src = token?.src ?? '';
    expect(readFileSync(src, 'utf8')).toBe('v4lue');
    expect(statSync(src).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(src)).mode & 0o777).toBe(0o700);
    expect(dirname(dirname(src))).toBe(work);
    files.dispose();
    expect(existsSync(dirname(src))).toBe(false);
    expect(readFileSync(own, 'utf8')).toBe('from a file');
  });

  it('only secret-files: nothing is written', () => {
    const work = mkdtempSync(join(tmpdir(), 'secret-files-'));
    const files = writeSecretFiles(work, [{ id: 'f', file: '/etc/hostname' }]);
    expect(files.mounts).toEqual([{ id: 'f', src: '/etc/hostname' }]);
    expect(readdirSync(work)).toEqual([]);
    files.dispose();
  });
});
