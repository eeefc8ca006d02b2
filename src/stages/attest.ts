import * as core from '@actions/core';
import { attachAttestations } from '../sign/signing.js';
import type { Run, Stage } from './run.js';
import { phase, signingOf } from './sign.js';

/**
 * Attest: the SBOM (CycloneDX) and the scan result (cosign vuln) as signed attestations on the same digest, by
 * the same identity as the signature. An attestation without its input (no scan) is skipped with a notice.
 */
export const attestStage: Stage = {
  id: 'attest',
  skipped: (run: Run) => (run.sign ? undefined : 'nothing is signed'),
  async run(run) {
    const signing = signingOf(run);
    if (!signing) return;
    await phase(run, 'attest', signing, () => attachAttestations(signing));
    const result = signing.result;
    if (result.attestations.length > 0) {
      run.report.set(
        'attest',
        'passed',
        result.attestations.map((a) => a.type).join(', '),
        result.durations.attest,
      );
    } else if (result.skippedAttestations.length > 0) {
      run.report.set(
        'attest',
        'skipped',
        result.skippedAttestations.map((s) => `${s.kind}: ${s.reason}`).join('; '),
      );
    }
    for (const s of result.skippedAttestations) core.notice(`Attestation ${s.kind} skipped: ${s.reason}`);
  },
};
