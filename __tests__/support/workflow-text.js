// What a test prints goes to this repository's own CI log, where the runner reads workflow commands.
// The runner ends lines at CR as well as LF, trims leading white space before `::`, and reads `##[command]`
// anywhere in a line: a mark before each keeps them plain log text.
export const defuse = (text) =>
  text.replace(/(^|[\r\n])([ \t]*)::/g, '$1$2[test] ::').replace(/##\[/g, '#\u200b#[');

/** As on GitHub: `::debug::` lines are shown only when the run is in debug mode. */
export const debugMode = () =>
  process.env.RUNNER_DEBUG === '1' || (process.env.ACTIONS_STEP_DEBUG ?? '').toLowerCase() === 'true';

/** The log of one test as a reader of a failure wants it: without `::debug::` lines unless in debug mode. */
export const forReading = (text) =>
  debugMode()
    ? text
    : text
        .split(/(?<=\n)/)
        .filter((line) => !/^[ \t]*::debug::/.test(line))
        .join('');
