import * as core from '@actions/core';
import { combinePolicy, ruleDemands } from '../policy/match.js';
import { emitAnnotations } from '../report/annotations.js';
import { renderSummary, type SummaryInput } from '../report/summary.js';
import { errorMessage } from '../util/errors.js';
import { policyPath } from './input-errors.js';
import { subjectOf, type Run } from './run.js';

/**
 * Report: the `signed` output, the annotations, the job summary and the pull-request comment, from what the run
 * recorded; then the run's one failure, if any, goes to `core.setFailed`.
 */
export async function reportStage(run: Run): Promise<void> {
  const { config, report } = run;
  core.setOutput('signed', run.sign?.signed ? 'true' : 'false');
  if (run.build?.imageRef && report.failure && !(run.tags?.length ?? 0) && run.plan.publish.run) {
    const where = report.failure.stage ? report.stages.get(report.failure.stage)?.title : undefined;
    report.notices.push(
      `Pushed by digest, not tagged${where ? `: failed at ${where}` : ''}. The untagged image is ${run.build.imageRef}.`,
    );
    if (report.stages.get('publish')?.status === 'not-run')
      report.set('publish', 'not-run', `not tagged: the run failed${where ? ` at ${where}` : ''}`);
  }
  if (config.annotate) emitAnnotations(run.annotations);
  const input: SummaryInput = {
    report,
    subject: subjectOf(run),
    baseImages: run.baseImages?.entries,
    tools: run.installed,
    dockerfile: config.dockerfileRelative,
    github: config.github,
    digestPinning: config.digestPinning,
    ...(config.trustPolicy ? { trustPolicy: policyPath(config, config.trustPolicy) } : {}),
    // What each rule asks: the next step of a failed base image, and the signer cell of a verified one.
    ...(run.baseImages?.entries.length ? { ruleDemands: ruleDemands(combinePolicy(run.policyFile)) } : {}),
    ...(run.tags?.length ? { tags: run.tags } : {}),
    ...(builtFor(run).length > 0 ? { platforms: builtFor(run) } : {}),
    ...(run.scan ? { scan: run.scan } : {}),
    ...(run.sign ? { sign: run.sign } : {}),
    ...(run.size ? { size: run.size } : {}),
    ...(run.baseUpdateList?.length ? { baseUpdates: run.baseUpdateList } : {}),
  };
  if (config.summary) {
    try {
      await core.summary.addRaw(renderSummary(input)).write();
    } catch (error) {
      core.warning(`Could not write the job summary: ${errorMessage(error)}`);
    }
  }
  if (config.prComment && config.github.eventName.startsWith('pull_request')) {
    // Posting never fails the run: a fork's read-only token is a warning, not an error.
    try {
      const { renderPrComment } = await import('../report/comment.js');
      const { postPrComment } = await import('../report/pr-comment.js');
      await postPrComment({
        ...(config.githubToken ? { token: config.githubToken } : {}),
        github: config.github,
        markdown: renderPrComment(input),
        image: config.image ?? subjectOf(run),
      });
    } catch (error) {
      core.warning(`Could not write the pull request comment: ${errorMessage(error)}`);
    }
  }
  if (report.failure) core.setFailed(report.failure.message);
}

/**
 * Input errors: each as an error annotation (on its line, for the policy file), the same list in the job
 * summary (when the runner gave a summary file and the `summary` input, if it was read, did not turn it off),
 * and the run fails.
 */
/** The platforms of the image this run built or merged; none when it built nothing. */
function builtFor(run: Run): string[] {
  if (run.platforms?.length) return run.platforms;
  if (!run.build || !run.plan.build.run) return [];
  if (run.config.platforms.length > 0) return run.config.platforms;
  const arch = { X64: 'amd64', ARM64: 'arm64', ARM: 'arm/v7' }[run.config.github.runnerArch];
  return arch ? [`linux/${arch}`] : [];
}
