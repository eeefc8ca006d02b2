import * as core from '@actions/core';
import { tryParseReference } from '../image/reference.js';
import { measureImageSize, type BaseImage } from '../registry/image-size.js';
import { overBudget } from '../registry/size-budget.js';
import { errorMessage, UserError } from '../util/errors.js';
import type { Run } from './run.js';

/**
 * Image size: once the image is in the registry (built and pushed, merged, or given by `digest`), its size per
 * platform is read from the registry against the final base image, for the `image-size` output and the summary.
 * Over `size-budget` it is a warning on the final stage's FROM line, or under `size-budget-mode: fail` the run
 * fails before anything is tagged. A registry that cannot be read is a warning: sizes never fail a run themselves.
 */
export async function measureSize(run: Run): Promise<void> {
  const { config } = run;
  const subject =
    run.build?.imageRef ??
    (config.digest ? `${config.digest.repository}@${config.digest.digest}` : undefined);
  const parsed = subject ? tryParseReference(subject) : undefined;
  if (!parsed?.ok || !parsed.ref.digest) return;
  const image = {
    registry: parsed.ref.registry,
    repository: parsed.ref.repository,
    digest: parsed.ref.digest,
  };
  let base: BaseImage | undefined;
  const finalBase = run.baseImages?.finalBase;
  const baseRef = finalBase?.digest ? tryParseReference(finalBase.name) : undefined;
  if (finalBase?.digest && baseRef?.ok) {
    base = {
      name: finalBase.name,
      registry: baseRef.ref.registry,
      repository: baseRef.ref.repository,
      digest: finalBase.digest,
    };
  }
  let platforms;
  try {
    platforms = await measureImageSize(run.registry, image, base);
  } catch (error) {
    core.warning(`Could not read the image's size from the registry: ${errorMessage(error)}`);
    return;
  }
  core.setOutput('image-size', JSON.stringify(platforms));
  const budget = config.sizeBudget;
  const over = budget ? platforms.flatMap((p) => overBudget(p, budget) ?? []) : [];
  run.size = { platforms, over, ...(budget ? { budget: budget.text } : {}) };
  if (budget && platforms.every((p) => p.base === null)) {
    run.report.notices.push(
      `\`size-budget\` was not checked: the final base image's size is unknown (no verified base image digest, and no OCI base labels on the image).`,
    );
  }
  if (over.length === 0) return;
  const line = finalBase?.line;
  const place = line !== undefined && run.baseImages ? { file: config.dockerfileRelative, line } : {};
  const fail = config.sizeBudgetMode === 'fail';
  for (const message of over) {
    run.annotations.push({
      level: fail ? 'error' : 'warning',
      ...place,
      title: 'Image over its size budget',
      message,
    });
  }
  if (fail) {
    throw new UserError(
      `${over.join('\n')}\n(\`size-budget-mode: fail\`: the image is pushed by digest but not tagged; make the build add less, or raise \`size-budget\`.)`,
    );
  }
}
