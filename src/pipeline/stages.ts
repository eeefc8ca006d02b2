import type { Config } from '../config.js';

export type StageId = 'tools' | 'base-images' | 'build' | 'push' | 'scan' | 'sign' | 'attest' | 'verify';

export const STAGE_TITLES: Record<StageId, string> = {
  tools: 'Tools',
  'base-images': 'Base images',
  build: 'Build',
  push: 'Push',
  scan: 'Scan',
  sign: 'Sign',
  attest: 'Attest',
  verify: 'Verify signature',
};

export const STAGE_ORDER: readonly StageId[] = [
  'tools',
  'base-images',
  'build',
  'push',
  'scan',
  'sign',
  'attest',
  'verify',
];

/** Why a stage will not run, decided from the inputs alone before anything runs. */
export type StagePlan = Record<StageId, { run: true } | { run: false; reason: string }>;

/**
 * Which stages the inputs make possible. A stage another input rules out is skipped with its reason,
 * never an error, so `push: ${{ github.event_name != 'pull_request' }}` works with every other default.
 */
export function planStages(config: Config): StagePlan {
  const building = config.build && config.digest === undefined;
  const pushing = building && config.push;
  const hasImage = pushing || config.digest !== undefined;
  const scanning = config.scanner !== 'none' && (building || config.digest !== undefined);

  const baseImages: StagePlan['base-images'] = config.dockerfileExists
    ? { run: true }
    : { run: false, reason: `no Dockerfile at ${config.dockerfileRelative}, and \`digest\` was given` };

  const build: StagePlan['build'] = building
    ? { run: true }
    : {
        run: false,
        reason:
          config.digest !== undefined ? '`digest` names an image that is already pushed' : '`build: false`',
      };

  const push: StagePlan['push'] = pushing
    ? { run: true }
    : {
        run: false,
        reason: !building ? 'nothing is built' : '`push: false`: the image stays on this machine',
      };

  const scan: StagePlan['scan'] = scanning
    ? { run: true }
    : { run: false, reason: config.scanner === 'none' ? '`scanner: none`' : 'there is no image to scan' };

  let sign: StagePlan['sign'];
  if (!config.sign) sign = { run: false, reason: '`sign: false`' };
  else if (!hasImage) sign = { run: false, reason: 'nothing was pushed, so there is no digest to sign' };
  else sign = { run: true };

  let attest: StagePlan['attest'];
  if (config.attest.length === 0) attest = { run: false, reason: '`attest: none`' };
  else if (!sign.run) attest = { run: false, reason: 'nothing is signed' };
  else if (!scanning) attest = { run: false, reason: 'there is no scan to attest' };
  else attest = { run: true };

  const verify: StagePlan['verify'] = sign.run ? { run: true } : { run: false, reason: 'nothing is signed' };

  const tools: StagePlan['tools'] =
    config.verifyBaseImages !== 'off' || scanning || sign.run
      ? { run: true }
      : { run: false, reason: 'no stage needs cosign or a scanner' };

  return { tools, 'base-images': baseImages, build, push, scan, sign, attest, verify };
}
