// Jest's node environment, plus the action's log of each test: what the action's modules wrote to stdout
// in-process and what the end-to-end runs of dist/index.js printed (the harness adds it), kept while the
// test runs and printed under its name only when it fails, without `::debug::` lines unless RUNNER_DEBUG=1.
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import environment from 'jest-environment-node';
import { debugMode, defuse, forReading } from './workflow-text.js';

const { TestEnvironment } = environment;

function fullName(test) {
  const names = [];
  for (let t = test; t && t.name !== 'ROOT_DESCRIBE_BLOCK'; t = t.parent) names.unshift(t.name);
  return names.join(' › ');
}

export default class ActionLogEnvironment extends TestEnvironment {
  async setup() {
    await super.setup();
    this.global.__actionLog = [];
    // A test's console.log (timings, notes) goes with its log too: printed when it fails, or in debug mode.
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        const log = this.global.__actionLog;
        if (Array.isArray(log) && !debugMode()) log.push(String(chunk));
        else process.stderr.write(chunk);
        done();
      },
    });
    this.global.console = new Console({ stdout: sink, stderr: sink });
  }

  handleTestEvent(event) {
    if (event.name !== 'test_done') return;
    const log = this.global.__actionLog;
    this.global.__actionLog = [];
    if (event.test.errors.length === 0 || !Array.isArray(log)) return;
    const text = forReading(log.join(''));
    if (text.trim() === '') return;
    process.stderr.write(
      `\n── the action's log of "${fullName(event.test)}" ──\n${defuse(text)}${text.endsWith('\n') ? '' : '\n'}── end of that log ──\n`,
    );
  }
}
