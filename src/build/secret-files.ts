import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildSecret, SecretMount } from './types.js';

export interface SecretFiles {
  mounts: SecretMount[];
  /** Removes the files the action wrote (a user's `secret-files` stay). */
  dispose(): void;
}

/**
 * The build's secrets as files the builder mounts: a value (`secrets`, `secret-envs`) is written to a 0600 file in a
 * 0700 folder of its own under `workDir` (RUNNER_TEMP), so that only its path reaches the builder's command line.
 */
export function writeSecretFiles(workDir: string, secrets: readonly BuildSecret[]): SecretFiles {
  if (secrets.every((s) => 'file' in s))
    return {
      mounts: secrets.map((s) => ({ id: s.id, src: 'file' in s ? s.file : '' })),
      dispose: () => undefined,
    };
  const dir = mkdtempSync(join(workDir, 'build-secrets-'));
  const dispose = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const mounts = secrets.map((secret, i) => {
      if ('file' in secret) return { id: secret.id, src: secret.file };
      const src = join(dir, String(i));
      writeFileSync(src, secret.value, { mode: 0o600, flag: 'wx' });
      return { id: secret.id, src };
    });
    return { mounts, dispose };
  } catch (error) {
    // A full RUNNER_TEMP: what was written goes before the error is reported.
    dispose();
    throw error;
  }
}
