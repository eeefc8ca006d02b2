// Issue 18: the docker builder's stage against a bare `docker buildx build` of the same context, both on the real
// buildx and BuildKit (scripts/install-real-tools.sh) behind a `remote` driver builder, as setup-buildx-action's
// docker-container builder is. The stage (buildAndPush, builder: docker) builds, pushes by digest and checks the
// builder's materials against the verified base image; the bare command is the same `docker buildx build` pushing
// by digest to the same registry, nothing else. Every build copies a file of its own, so neither side is served
// whole from BuildKit's cache; pairs interleaved, target: overhead < 5%.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realTools, startBuildkitd } from '../__tests__/harness/real-tools.js';
import { pushBaseImage, startRegistry } from '../__tests__/harness/registry.js';
import { RegistryClient } from '../src/registry/client.js';
import { buildAndPush } from '../src/stages/build.js';
import { benchConfig } from './config.js';
import { fmtRange, pairRatios, summarize } from './measure.js';
import { scratchDir } from './scratch.js';
import { formatTable, loadNow, withActionOutputDiscarded, type BenchRow } from './table.js';

const runs = Number(process.env.BENCH_DOCKER_BUILD_RUNS ?? 8);
const { tools, missing } = realTools(['buildx', 'buildkitd', 'buildctl']);
if (!tools) throw new Error(`docker-build: ${missing ?? 'the real buildx and BuildKit are missing'}`);

const root = scratchDir('secure-image-bench-docker-build-');
const registry = await startRegistry();
const buildkitd = await startBuildkitd(tools);
// The builder setup-buildx-action would have made current, in the docker config the step sees.
process.env.DOCKER_CONFIG = buildkitd.dockerConfig;

/** The bare command: `docker buildx build`, pushing by digest, as a workflow step would run it. */
function bareBuild(context: string, repository: string, metadataFile: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      'docker',
      [
        'buildx',
        'build',
        '--metadata-file',
        metadataFile,
        '--provenance=false',
        '--output',
        `type=image,name=${repository},push-by-digest=true,name-canonical=true,push=true`,
        context,
      ],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root, DOCKER_CONFIG: buildkitd.dockerConfig },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`docker buildx build: ${stderr}`)) : resolve(performance.now() - started),
    );
  });
}

const rows: BenchRow[] = [];
try {
  const base = await pushBaseImage(registry, 'bench/busybox', 'stable');
  const baseRef = `${registry.host}/bench/busybox@${base.digest}`;
  const workspace = join(root, 'ws');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(
    join(workspace, 'Dockerfile'),
    `FROM ${baseRef}\nRUN echo built > /built.txt\nCOPY stamp.txt /stamp.txt\n`,
  );
  const registryClient = new RegistryClient({ credentials: () => undefined });
  const stage: number[] = [];
  const bare: number[] = [];
  const own: number[] = [];
  // Round 0 warms BuildKit (the base image's layers, the RUN); it is not counted.
  for (let run = 0; run <= runs; run++) {
    for (const side of ['stage', 'bare'] as const) {
      writeFileSync(join(workspace, 'stamp.txt'), `${side} ${run} ${performance.now()}\n`);
      const repository = `${registry.host}/bench/docker-${side}`;
      let ms: number;
      if (side === 'bare') {
        ms = await bareBuild(workspace, repository, join(root, `bare-${run}.json`));
      } else {
        const config = benchConfig(workspace, {
          context: '.',
          image: repository,
          tags: `run-${run}`,
          push: 'true',
          builder: 'docker',
        });
        const started = performance.now();
        const result = await withActionOutputDiscarded(() =>
          buildAndPush(config, {
            registry: registryClient,
            workDir: join(root, `work-${run}`),
            dockerfile: config.dockerfile,
            finalBase: { name: `${registry.host}/bench/busybox`, digest: base.digest },
            baseImages: [baseRef],
          }),
        );
        ms = performance.now() - started;
        if (!result.imageRef) throw new Error('the stage pushed nothing');
        if (run > 0) own.push(ms - result.toolMs);
      }
      if (run > 0) (side === 'stage' ? stage : bare).push(ms);
    }
  }
  rows.push({
    part: 'docker-build',
    figure:
      'issue 18: the docker builder stage (build, push by digest, the materials check) on the real buildx + BuildKit (remote driver), vs a bare docker buildx build pushing by digest, same context',
    value: fmtRange(summarize(stage), 0, ' ms'),
    baseline: `docker buildx build: ${fmtRange(summarize(bare), 0, ' ms')}`,
    ratio: fmtRange(summarize(pairRatios(stage, bare)), 3, '×'),
    target: '≤ 1.05× (overhead < 5%)',
    load: loadNow(),
  });
  rows.push({
    part: 'docker-build',
    figure: 'issue 18: the same stage, its own time (stage wall − the docker buildx process)',
    value: fmtRange(summarize(own), 0, ' ms'),
    baseline: `stage: ${fmtRange(summarize(stage), 0, ' ms')}`,
    ratio: fmtRange(summarize(own.map((o, i) => o / (stage[i] ?? Number.NaN))), 3, '×'),
    target: '(context)',
    load: loadNow(),
  });
} finally {
  await buildkitd.stop();
  await registry.stop();
  rmSync(root, { recursive: true, force: true });
}

console.log(formatTable(rows));
