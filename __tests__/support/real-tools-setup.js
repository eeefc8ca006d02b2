// Jest's global set-up: asks scripts/install-real-tools.sh where the real tools are, once per run, and hands the
// bin directory to the test workers in SECURE_IMAGE_REAL_TOOLS_BIN. In CI it installs what is missing (cached per
// version, so a second run only checks); elsewhere it builds nothing, and suites that need a missing tool skip
// and say what to run (__tests__/harness/real-tools.ts).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'install-real-tools.sh');

export default function realToolsSetup() {
  if (process.env.SECURE_IMAGE_REAL_TOOLS_BIN) return;
  const ci = process.env.CI === 'true';
  try {
    const stdout = execFileSync('bash', [script, ...(ci ? [] : ['--no-build'])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', ci ? 'inherit' : 'pipe'],
    });
    const bin = stdout.trim().split('\n').pop();
    if (bin) process.env.SECURE_IMAGE_REAL_TOOLS_BIN = bin;
  } catch (error) {
    if (ci) throw error;
  }
}
