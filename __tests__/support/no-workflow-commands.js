// Tests run the action's modules in-process, and @actions/core talks to the runner through stdout
// ("::error::…", "::add-mask::…"). On GitHub's CI those lines would turn into annotations and masks of
// this repository's own CI job. The runner ends lines at CR as well as LF, trims leading white space before
// `::`, and reads `##[command]` anywhere in a line: a mark before each keeps them plain log text.
const write = process.stdout.write.bind(process.stdout);
const defuse = (text) => text.replace(/(^|[\r\n])([ \t]*)::/g, '$1$2[test] ::').replace(/##\[/g, '#\u200b#[');
process.stdout.write = (chunk, ...rest) => write(typeof chunk === 'string' ? defuse(chunk) : chunk, ...rest);
