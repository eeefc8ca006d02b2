// How long `node dist/index.js` takes to load and reach its first decision, against `node -e ""` on the
// same Node binary in the same run. The action is given an invalid input so it stops right after
// reading its inputs: what is measured is bundle load plus config parsing, nothing else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_ENTRY, nodeBinary } from '../__tests__/harness/runner.js';
import { fmt, timeCommand } from './measure.js';

const runs = Number(process.env.BENCH_RUNS ?? 21);
const dir = mkdtempSync(join(tmpdir(), 'secure-image-bench-'));
const files = ['output', 'summary'].map((f) => join(dir, f));
for (const f of files) writeFileSync(f, '');
const env = {
  PATH: process.env.PATH,
  GITHUB_OUTPUT: files[0],
  GITHUB_STEP_SUMMARY: files[1],
  RUNNER_TEMP: dir,
  INPUT_SCANNER: 'snyk',
};
const node = nodeBinary();
timeCommand(node, [DIST_ENTRY], env, 3); // warm the page cache
const baseline = timeCommand(node, ['-e', ''], env, runs);
const action = timeCommand(node, [DIST_ENTRY], env, runs);
console.log(`node -e "":          ${fmt(baseline)}`);
console.log(`node dist/index.js:  ${fmt(action)}`);
console.log(
  `ratio (median):      ${(action.median / baseline.median).toFixed(2)}×; overhead ${(action.median - baseline.median).toFixed(1)} ms; target: under 150 ms in all`,
);
rmSync(dir, { recursive: true, force: true });
