import { verifySigned } from '../sign/signing.js';
import { phase, signingOf } from './sign.js';
import type { Stage } from './run.js';

/**
 * Verify: the signature and every attestation are checked with the identity (or key) a consumer would demand,
 * as `verify-command` says; only then does the `signed` output say true and may the tags be made.
 */
export const verifyStage: Stage = {
  id: 'verify',
  skipped: (run) => (run.sign ? undefined : 'nothing is signed'),
  async run(run) {
    const signing = signingOf(run);
    if (!signing) return;
    await phase(run, 'verify', signing, () => verifySigned(signing));
    const result = signing.result;
    run.report.set(
      'verify',
      'passed',
      `signature${result.attestations.length > 0 ? ' and attestations' : ''} verified with the expected ${result.mode === 'keyless' ? 'identity' : 'key'}`,
      result.durations.verify,
    );
  },
};

/** Removes the signing key file of this run, whatever happened. */
export function disposeSigning(run: Parameters<typeof signingOf>[0]): void {
  signingOf(run)?.dispose();
}
