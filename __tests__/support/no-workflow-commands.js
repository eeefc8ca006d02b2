// Tests run the action's modules in-process, and @actions/core talks to the runner through stdout
// ("::error::…", "::add-mask::…"): those lines are defused (see workflow-text.js). They are the action's
// log, not the test's: held per test in `globalThis.__actionLog` (set up by action-log-environment.js)
// and printed only when that test fails; in debug mode (RUNNER_DEBUG=1) they go straight through.
import { Buffer } from 'node:buffer';
import { debugMode, defuse } from './workflow-text.js';

const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  const log = globalThis.__actionLog;
  if (Array.isArray(log) && !debugMode()) {
    log.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((r) => typeof r === 'function');
    if (done) done();
    return true;
  }
  return write(typeof chunk === 'string' ? defuse(chunk) : chunk, ...rest);
};
