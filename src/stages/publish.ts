import * as core from '@actions/core';
import { repositoryOf } from '../build/plan.js';
import { UserError } from '../util/errors.js';
import type { Stage } from './run.js';

/**
 * Tags, last: once the gate, the signature, the attestations and their verification passed, each tag is made to
 * point at the exact manifest bytes that were checked (a manifest PUT per tag), and the registry must then serve
 * that digest for it. Sets `run.tags` and the `tags` output to the tags that exist.
 */
export const publishStage: Stage = {
  id: 'publish',
  skipped: (run) => (run.build?.imageRef ? undefined : 'nothing was pushed'),
  async run(run) {
    const { config, report, registry } = run;
    const build = run.build;
    if (!build?.imageRef || !build.digest) return;
    const digest = build.digest;
    const made: string[] = [];
    try {
      await report.run('publish', async () => {
        const repository = repositoryOf(build.imageRef ?? '');
        const [host = '', ...path] = repository.split('/');
        const name = path.join('/');
        const manifest = await registry.getManifest(host, name, digest);
        if (!manifest)
          throw new UserError(
            `The registry no longer has ${build.imageRef ?? digest}, which passed every check; nothing was tagged.`,
          );
        for (const tag of config.tags) {
          const tagName = tag.slice(tag.lastIndexOf(':') + 1);
          await registry.putManifest(host, name, tagName, manifest);
          const served = await registry.headManifest(host, name, tagName);
          if (served?.digest !== digest)
            throw new UserError(
              `The registry serves ${served ? served.digest : 'nothing'} for ${tag} right after it was set to ${digest}; something else writes this tag. Nothing more was tagged.`,
            );
          made.push(tag);
        }
        return { value: undefined, detail: `${made.length} tag${made.length === 1 ? '' : 's'} → ${digest}` };
      });
    } finally {
      run.tags = made;
      core.setOutput('tags', made.join('\n'));
    }
  },
};
