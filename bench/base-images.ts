// Issue 3, two figures:
// - the base-image stage with 8 distinct base images in a real registry, each checked by a stand-in cosign that
//   takes 1 s per verify: the stage's wall time against the sequential sum of the 8 cosign runs it made (the
//   time inside those processes, from the exec timing records of the same run);
// - parsing and analysing a generated 5,000-line Dockerfile, against the 50 ms target.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushBaseImage, startRegistry } from '../__tests__/harness/registry.js';
import { installStandins } from '../__tests__/harness/standins.js';
import { analyzeBaseImages, parseDockerfile } from '../src/dockerfile/index.js';
import { checkBaseImages } from '../src/stages/base-images.js';
import { RegistryClient } from '../src/registry/client.js';
import { baseEnvironment, execTimings } from '../src/util/exec.js';
import { benchConfig } from './config.js';
import { fmtRange, pairRatios, summarize, timeAsync } from './measure.js';
import { scratchDir } from './scratch.js';
import { formatTable, loadNow, withActionOutputDiscarded, type BenchRow } from './table.js';

const IMAGES = 8;
const VERIFY_MS = 1000;
const stageRuns = Number(process.env.BENCH_STAGE_RUNS ?? 3);
const parseRuns = Number(process.env.BENCH_RUNS ?? 21);
const DOCKERFILE_LINES = 5000;
const ISSUER = 'https://token.actions.githubusercontent.com';
const IDENTITY = 'https://github.com/acme/base/.github/workflows/release.yml@refs/tags/v1.0.0';

const rows: BenchRow[] = [];
const root = scratchDir('secure-image-bench-base-');
const registry = await startRegistry();
try {
  // 1. The stage, 8 images at once.
  const repos = Array.from({ length: IMAGES }, (_, i) => `bench/base-${i}`);
  const pushed = await Promise.all(repos.map((repo) => pushBaseImage(registry, repo, 'stable')));
  const standins = await installStandins(join(root, 'standins'), {
    cosign: {
      rules: [{ command: 'verify', delayMs: VERIFY_MS }],
      signedImages: repos.map((repo, i) => ({
        image: `${registry.host}/${repo}`,
        digest: pushed[i]?.digest ?? '',
        identity: IDENTITY,
        issuer: ISSUER,
      })),
    },
  });

  const workspace = join(root, 'ws');
  mkdirSync(workspace, { recursive: true });
  // Every stage is needed by the last one, so all 8 images count.
  const stages = repos
    .slice(0, -1)
    .flatMap((repo, i) => [`FROM ${registry.host}/${repo}:stable AS s${i}`, `RUN echo ${i} > /stage`]);
  const copies = repos.slice(0, -1).map((_, i) => `COPY --from=s${i} /stage /stage-${i}`);
  writeFileSync(
    join(workspace, 'Dockerfile'),
    [...stages, `FROM ${registry.host}/${repos.at(-1) ?? ''}:stable`, ...copies, ''].join('\n'),
  );
  writeFileSync(
    join(workspace, 'secure-image.yml'),
    [
      'unmatched: deny',
      'rules:',
      '  - name: bench bases',
      `    images: ['127.0.0.1:*/bench/*']`,
      '    keyless:',
      `      issuer: ${ISSUER}`,
      `      identity: ${IDENTITY}`,
      '',
    ].join('\n'),
  );
  const config = benchConfig(workspace, {
    context: '.',
    'trust-policy': 'secure-image.yml',
    push: 'false',
    builder: 'buildah',
  });
  const deps = {
    registry: new RegistryClient({ credentials: () => undefined }),
    cosign: () => Promise.resolve(standins.cosign),
    cosignEnv: baseEnvironment(),
    workDir: join(root, 'work'),
  };

  const wall: number[] = [];
  const sums: number[] = [];
  for (let run = 0; run < stageRuns; run++) {
    const before = execTimings().length;
    let verified = 0;
    wall.push(
      await timeAsync(async () => {
        const result = await withActionOutputDiscarded(() => checkBaseImages(config, deps));
        verified = result.entries.filter((e) => e.status === 'verified').length;
      }),
    );
    const verifies = execTimings()
      .slice(before)
      .filter((t) => t.label.includes('verify'));
    if (verified !== IMAGES || verifies.length !== IMAGES) {
      throw new Error(
        `expected ${IMAGES} verified images and cosign runs, got ${verified} and ${verifies.length}`,
      );
    }
    sums.push(verifies.reduce((sum, t) => sum + t.durationMs, 0));
  }
  rows.push({
    part: 'base-images',
    figure: `stage, ${IMAGES} distinct images, cosign verify ${VERIFY_MS / 1000} s each`,
    value: fmtRange(summarize(wall), 0, ' ms'),
    baseline: `sum of the ${IMAGES} cosign runs: ${fmtRange(summarize(sums), 0, ' ms')}`,
    ratio: fmtRange(summarize(pairRatios(wall, sums)), 3, '×'),
    target: `about 1 s, not ${IMAGES} (≈ ${(1 / IMAGES).toFixed(3)}×)`,
    load: loadNow(),
  });

  // 2. Parsing a 5,000-line Dockerfile.
  const text = generateDockerfile(DOCKERFILE_LINES, registry.host);
  const options = { buildArgs: {}, buildPlatform: 'linux/amd64', targetPlatform: 'linux/amd64' };
  let images = 0;
  const parse = (): void => {
    const analysis = analyzeBaseImages(parseDockerfile(text), options);
    if (analysis.problems.length > 0)
      throw new Error(`the generated Dockerfile has problems: ${analysis.problems[0]?.message}`);
    images = analysis.images.length;
  };
  for (let i = 0; i < 3; i++) parse();
  const times: number[] = [];
  for (let i = 0; i < parseRuns; i++) {
    const started = performance.now();
    parse();
    times.push(performance.now() - started);
  }
  const parsed = summarize(times);
  rows.push({
    part: 'base-images',
    figure: `parse + analyse a ${text.split('\n').length - 1}-line Dockerfile (${images} base image uses)`,
    value: fmtRange(parsed, 1, ' ms'),
    baseline: '50 ms target',
    ratio: fmtRange(summarize(times.map((t) => t / 50)), 2, '×'),
    target: '< 50 ms (< 1×)',
    load: loadNow(),
  });
} finally {
  await registry.stop();
  rmSync(root, { recursive: true, force: true });
}

console.log(formatTable(rows));

/**
 * A large multi-stage Dockerfile as real ones grow: global ARGs feeding FROM lines, stages with ENV, long RUN
 * commands continued over many lines, COPY --from between stages, comments and a heredoc; every stage is needed by
 * the last, so the analysis follows all of them.
 */
function generateDockerfile(lines: number, host: string): string {
  const out: string[] = ['# syntax=docker/dockerfile:1', `ARG REGISTRY=${host}`, 'ARG VERSION=1.2.3'];
  const stageLines = 100;
  const stages = Math.floor(lines / stageLines) - 5;
  for (let s = 0; s < stages; s++) out.push(`ARG BASE_${s}=\${REGISTRY}/bench/base-${s % 8}:stable`);
  for (let s = 0; s < stages; s++) {
    const start = out.length;
    out.push(`# stage ${s}: builds part ${s}`, `FROM \${BASE_${s}} AS part-${s}`, 'ARG VERSION');
    out.push(`ENV PART=${s} \\`, `    VERSION=\${VERSION} \\`, '    PATH=/opt/bin:$PATH');
    out.push(`WORKDIR /src/part-${s}`);
    out.push('RUN <<EOF', 'set -e', `echo building part ${s}`, 'EOF');
    while (out.length - start < stageLines - 4) {
      const n = out.length - start;
      out.push(`RUN set -eux; \\`);
      for (let k = 0; k < 8; k++) out.push(`    echo "step ${n}.${k} of part $PART" >> /log; \\`);
      out.push('    true');
    }
    out.push(`COPY --chown=1000:1000 src/part-${s}/ ./`, `LABEL org.example.part="${s}"`);
  }
  out.push('FROM ${BASE_0}');
  for (let s = 0; s < stages && out.length < lines - 2; s++)
    out.push(`COPY --from=part-${s} /src/part-${s} /app/${s}`);
  while (out.length < lines - 1) out.push(`LABEL org.example.line-${out.length}="padding"`);
  out.push('ENTRYPOINT ["/bin/sh"]');
  return `${out.join('\n')}\n`;
}
