import type { Config } from '../config/index.js';
import type { StagePlan } from '../report/run-report.js';

/**
 * Which stages the inputs make possible. A stage another input rules out is skipped with its reason,
 * never an error, so `push: ${{ github.event_name != 'pull_request' }}` works with every other default.
 */
export function planStages(config: Config): StagePlan {
  const merging = config.merge.length > 0;
  const building = config.build && config.digest === undefined && !merging;
  const pushing = building && config.push;
  // A matrix leg (`push-by-digest`) only builds and pushes its platforms; the merge job does the rest.
  const leg = pushing && config.pushByDigest;
  const hasImage = (pushing && !leg) || config.digest !== undefined || merging;
  const scanning = config.scanner !== 'none' && !leg && (building || hasImage);

  const baseImages: StagePlan['base-images'] = config.dockerfileExists
    ? { run: true }
    : {
        run: false,
        reason: merging
          ? `no Dockerfile at ${config.dockerfileRelative}; the legs checked their base images`
          : `no Dockerfile at ${config.dockerfileRelative}, and \`digest\` was given`,
      };

  const build: StagePlan['build'] = building
    ? { run: true }
    : {
        run: false,
        reason: merging
          ? '`merge` assembles images the legs built'
          : config.digest !== undefined
            ? '`digest` names an image that is already pushed'
            : '`build: false`',
      };

  const push: StagePlan['push'] =
    pushing || merging
      ? { run: true }
      : {
          run: false,
          reason: !building ? 'nothing is built' : '`push: false`: the image stays on this machine',
        };

  const scan: StagePlan['scan'] = scanning
    ? { run: true }
    : {
        run: false,
        reason: leg
          ? '`push-by-digest`: the merge job scans every platform'
          : config.scanner === 'none'
            ? '`scanner: none`'
            : 'there is no image to scan',
      };

  let sign: StagePlan['sign'];
  if (!config.sign) sign = { run: false, reason: '`sign: false`' };
  else if (leg) sign = { run: false, reason: '`push-by-digest`: the merge job signs the index' };
  else if (!hasImage) sign = { run: false, reason: 'nothing was pushed, so there is no digest to sign' };
  else sign = { run: true };

  let attest: StagePlan['attest'];
  if (config.attest.length === 0) attest = { run: false, reason: '`attest: none`' };
  else if (!sign.run) attest = { run: false, reason: 'nothing is signed' };
  else if (!scanning) attest = { run: false, reason: 'there is no scan to attest' };
  else attest = { run: true };

  const verify: StagePlan['verify'] = sign.run ? { run: true } : { run: false, reason: 'nothing is signed' };

  // Tags are made last, by the action itself, once every check before them passed.
  const tagged = (pushing && !leg) || merging;
  const publish: StagePlan['publish'] = tagged
    ? { run: true }
    : {
        run: false,
        reason: leg
          ? '`push-by-digest`: the merge job tags the index'
          : config.digest !== undefined
            ? '`digest` names an image that is already pushed; it is not tagged again'
            : 'nothing is pushed',
      };

  const tools: StagePlan['tools'] =
    (baseImages.run && config.verifyBaseImages !== 'off') || scanning || sign.run
      ? { run: true }
      : { run: false, reason: 'no stage needs cosign or a scanner' };

  return { tools, 'base-images': baseImages, build, push, scan, sign, attest, verify, publish };
}
