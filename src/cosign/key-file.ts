import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A policy key as cosign's `--key`: a PEM public key goes to cosign as a file, URIs (KMS, env://) as they are.
 * The file is named by the SHA-256 of the whole key, so two rules' keys never share a file: any shorter name (the
 * PEM's tail is the same `END PUBLIC KEY` footer for every key) lets one rule's verification read another's key.
 */
export function policyKeyArgument(key: string, workDir: string): string {
  if (!key.includes('-----BEGIN')) return key;
  mkdirSync(workDir, { recursive: true });
  const hash = createHash('sha256').update(key).digest('hex');
  const path = join(workDir, `policy-key-${hash}.pub`);
  writeFileSync(path, key.endsWith('\n') ? key : `${key}\n`);
  return path;
}
