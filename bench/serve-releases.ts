// The test harness's release server in a process of its own, for benchmarks: a server in the benchmark's own
// process would share its event loop with the installer being timed (hashing blocks the loop, so serving would
// slow down) but not with curl, which would bias the comparison. Prints its URL, serves until stdin closes.
import { startReleaseServer } from '../__tests__/harness/release-server.js';

const root = process.argv[2];
if (!root) throw new Error('usage: serve-releases.ts <release root>');
const server = await startReleaseServer(root);
process.stdout.write(`${server.url}\n`);
const stop = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
