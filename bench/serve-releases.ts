// The test harness's release server in a process of its own, for benchmarks: a server in the benchmark's own
// process would share its event loop with the installer being timed (hashing blocks the loop, so serving would
// slow down) but not with curl, which would bias the comparison. Prints its URL, serves until stdin closes.
//
//   serve-releases.ts <release root> [--mib-per-second <n>]
//
// With --mib-per-second the server emulates a link of that bandwidth shared by all its connections (one token
// bucket for the whole server): parallel downloads together get no more than one download alone.
import { startReleaseServer } from '../__tests__/harness/release-server.js';

const [root, flag, value] = process.argv.slice(2);
if (!root || (flag !== undefined && flag !== '--mib-per-second')) {
  throw new Error('usage: serve-releases.ts <release root> [--mib-per-second <n>]');
}
const mibPerSecond = flag === undefined ? undefined : Number(value);
if (mibPerSecond !== undefined && !(mibPerSecond > 0)) {
  throw new Error(`--mib-per-second wants a positive number, not ${JSON.stringify(value)}`);
}
const server = await startReleaseServer(
  root,
  mibPerSecond === undefined ? {} : { bytesPerSecond: mibPerSecond * 1024 * 1024 },
);
process.stdout.write(`${server.url}\n`);
const stop = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
