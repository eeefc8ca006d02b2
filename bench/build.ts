// Issue 4: the action's own overhead around a build. buildAndPush builds a trivial image FROM the busybox base in
// a real registry with buildah and pushes it there; the overhead is the stage's wall time minus the time inside
// the builder's processes (BuildResult.toolMs), shown in ms and as a ratio to the builder's time.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushBaseImage, startRegistry } from '../__tests__/harness/registry.js';
import { buildAndPush } from '../src/stages/build.js';
import { RegistryClient } from '../src/registry/client.js';
import { benchConfig } from './config.js';
import { fmtRange, summarize } from './measure.js';
import { scratchDir } from './scratch.js';
import { formatTable, loadNow, withActionOutputDiscarded, type BenchRow } from './table.js';

const runs = Number(process.env.BENCH_BUILD_RUNS ?? 5);

const root = scratchDir('secure-image-bench-build-');
// A containers storage of this run's own, as a self-hosted runner would configure buildah; the action passes
// these two variables on to the builder.
const storage = join(root, 'containers');
mkdirSync(storage, { recursive: true });
process.env.CONTAINERS_STORAGE_CONF = join(storage, 'storage.conf');
writeFileSync(
  process.env.CONTAINERS_STORAGE_CONF,
  `[storage]\ndriver = "vfs"\ngraphroot = "${join(storage, 'root')}"\nrunroot = "${join(storage, 'runroot')}"\n`,
);
process.env.BUILDAH_ISOLATION = 'chroot';

const rows: BenchRow[] = [];
const registry = await startRegistry();
try {
  const base = await pushBaseImage(registry, 'bench/busybox', 'stable');
  const workspace = join(root, 'ws');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(
    join(workspace, 'Dockerfile'),
    `FROM ${registry.host}/bench/busybox@${base.digest}\nCOPY hello.txt /hello.txt\n`,
  );
  writeFileSync(join(workspace, 'hello.txt'), 'hello\n');
  const registryClient = new RegistryClient({ credentials: () => undefined });

  const overhead: number[] = [];
  const ratio: number[] = [];
  const tool: number[] = [];
  const wall: number[] = [];
  // The first build pulls the base image into the empty storage; it only warms up.
  for (let run = 0; run <= runs; run++) {
    const config = benchConfig(workspace, {
      context: '.',
      image: `${registry.host}/bench/app`,
      tags: `run-${run}`,
      push: 'true',
      builder: 'buildah',
    });
    const started = performance.now();
    const result = await withActionOutputDiscarded(() =>
      buildAndPush(config, {
        registry: registryClient,
        workDir: join(root, `work-${run}`),
        dockerfile: config.dockerfile,
        finalBase: { name: `${registry.host}/bench/busybox`, digest: base.digest },
        baseImages: [`${registry.host}/bench/busybox@${base.digest}`],
      }),
    );
    const elapsed = performance.now() - started;
    if (!result.imageRef) throw new Error('the build pushed nothing');
    if (run === 0) continue;
    wall.push(elapsed);
    tool.push(result.toolMs);
    overhead.push(elapsed - result.toolMs);
    ratio.push((elapsed - result.toolMs) / result.toolMs);
  }
  rows.push({
    part: 'build',
    figure: 'overhead around a trivial buildah build + push (stage wall − builder processes)',
    value: fmtRange(summarize(overhead), 0, ' ms'),
    baseline: `builder processes: ${fmtRange(summarize(tool), 0, ' ms')}; stage: ${fmtRange(summarize(wall), 0, ' ms')}`,
    ratio: fmtRange(summarize(ratio), 3, '×'),
    target: 'overhead < 100 ms',
    load: loadNow(),
  });
} finally {
  await registry.stop();
  rmSync(root, { recursive: true, force: true });
}

console.log(formatTable(rows));
