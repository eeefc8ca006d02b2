// Issue 4: the action's own overhead around a build. buildAndPush builds a trivial image FROM the busybox base in
// a real registry with buildah and pushes it there; the overhead is the stage's wall time minus the time inside
// the builder's processes (BuildResult.toolMs), shown in ms and as a ratio to the builder's time.
// Issue 19: the build cache. A context with a slow `RUN` is built cold on an empty containers storage with
// `cache-to: type=registry` (a cache repository of its own), then built again unchanged on another empty storage
// (another runner) with `cache-from` the same repository: the second build takes its layers from the registry's
// cache instead of running the step. Pairs interleaved; target ≤ 0.3× the cold build.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushBaseImage, startRegistry } from '../__tests__/harness/registry.js';
import { buildAndPush } from '../src/stages/build.js';
import { RegistryClient } from '../src/registry/client.js';
import { benchConfig } from './config.js';
import { fmtRange, pairRatios, summarize } from './measure.js';
import { scratchDir } from './scratch.js';
import { formatTable, loadNow, withActionOutputDiscarded, type BenchRow } from './table.js';

const runs = Number(process.env.BENCH_BUILD_RUNS ?? 5);

const root = scratchDir('secure-image-bench-build-');
// A containers storage of this run's own, as a self-hosted runner would configure buildah; the action passes
// these two variables on to the builder.
const storage = join(root, 'containers');
mkdirSync(storage, { recursive: true });
/** Points the builder at an empty containers storage under `dir` (the action passes the variable on to it). */
function freshStorage(dir: string): void {
  mkdirSync(dir, { recursive: true });
  process.env.CONTAINERS_STORAGE_CONF = join(dir, 'storage.conf');
  writeFileSync(
    process.env.CONTAINERS_STORAGE_CONF,
    `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'runroot')}"\n`,
  );
}
freshStorage(storage);
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

  // The build cache: cold with cache-to, then warm with cache-from on another empty storage.
  const cacheRuns = Number(process.env.BENCH_BUILD_CACHE_RUNS ?? 3);
  const slowStep = Number(process.env.BENCH_BUILD_CACHE_SLEEP ?? 6);
  const cached = join(root, 'cached');
  mkdirSync(cached, { recursive: true });
  writeFileSync(
    join(cached, 'Dockerfile'),
    `FROM ${registry.host}/bench/busybox@${base.digest}\nRUN sleep ${slowStep} && echo built > /built.txt\nCOPY hello.txt /hello.txt\n`,
  );
  writeFileSync(join(cached, 'hello.txt'), 'hello\n');
  const cold: number[] = [];
  const warm: number[] = [];
  for (let run = 0; run < cacheRuns; run++) {
    const cacheRef = `${registry.host}/bench/cache-${run}`;
    for (const side of ['cold', 'warm'] as const) {
      freshStorage(join(root, `storage-${side}-${run}`));
      const config = benchConfig(cached, {
        context: '.',
        image: `${registry.host}/bench/cached`,
        tags: `${side}-${run}`,
        push: 'true',
        builder: 'buildah',
        ...(side === 'cold'
          ? { 'cache-to': `type=registry,ref=${cacheRef},mode=max` }
          : { 'cache-from': `type=registry,ref=${cacheRef}` }),
      });
      const started = performance.now();
      const result = await withActionOutputDiscarded(() =>
        buildAndPush(config, {
          registry: registryClient,
          workDir: join(root, `cache-work-${side}-${run}`),
          dockerfile: config.dockerfile,
          finalBase: { name: `${registry.host}/bench/busybox`, digest: base.digest },
          baseImages: [`${registry.host}/bench/busybox@${base.digest}`],
        }),
      );
      if (!result.imageRef) throw new Error(`the ${side} build pushed nothing`);
      (side === 'cold' ? cold : warm).push(performance.now() - started);
    }
  }
  rows.push({
    part: 'build',
    figure: `build cache (issue 19): an unchanged context rebuilt on an empty containers storage with cache-from: type=registry, against its cold build with cache-to (buildah; a RUN of ${slowStep} s, the base image pulled both times)`,
    value: fmtRange(summarize(warm), 0, ' ms'),
    baseline: `cold build + push with cache-to: ${fmtRange(summarize(cold), 0, ' ms')}`,
    ratio: fmtRange(summarize(pairRatios(warm, cold)), 2, '×'),
    target: '≤ 0.3×',
    load: loadNow(),
  });
} finally {
  await registry.stop();
  rmSync(root, { recursive: true, force: true });
}

console.log(formatTable(rows));
