// Temp dirs that go away however a benchmark part ends: normally, on an error, or when bench/run-all.ts ends it
// with SIGTERM after its time limit (the signal becomes an exit, so this hook and the registry harness's run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let signalsHandled = false;

export function scratchDir(prefix: string): string {
  if (!signalsHandled) {
    signalsHandled = true;
    process.once('SIGTERM', () => process.exit(143));
    process.once('SIGINT', () => process.exit(130));
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
