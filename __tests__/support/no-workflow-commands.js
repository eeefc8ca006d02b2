// Tests run the action's modules in-process, and @actions/core talks to the runner through stdout
// ("::error::…", "::add-mask::…"). On GitHub's CI those lines would turn into annotations and masks of
// this repository's own CI job; a leading space keeps them plain log text.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) =>
  write(typeof chunk === 'string' ? chunk.replace(/^::/gm, ' ::') : chunk, ...rest);
