// What GitHub's runner reads as workflow commands in a step's stdout, the way actions/runner's
// ActionCommandManager reads it: lines end at CR, LF or CRLF (a .NET StreamReader's ReadLine); a `::name props::data`
// line counts after leading white space is trimmed; a `##[name props]data` command counts anywhere in a line; after
// `::stop-commands::TOKEN` nothing is a command until a `::TOKEN::` line.

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
  /** The line as the runner saw it. */
  line: string;
}

/** The commands the runner acts on (and the stop token, which it registers while commands are stopped). */
const REGISTERED = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
  'internal-set-repo-path',
]);

function unescapeData(s: string): string {
  return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/gi, '%');
}

function unescapeProperty(s: string): string {
  return unescapeData(s).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

// v1 data escapes (`;` `]` CR LF) as the runner undoes them.
function unescapeV1(s: string): string {
  return s
    .replace(/%3B/gi, ';')
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%5D/gi, ']')
    .replace(/%25/gi, '%');
}

/** `name props` (the part between the command's delimiters) and its data, as a command when `name` is registered. */
function command(
  info: string,
  data: string,
  line: string,
  format: { separator: string; property: (s: string) => string; data: (s: string) => string },
  registered: Set<string>,
): WorkflowCommand | undefined {
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).split(format.separator)) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = format.property(pair.slice(eq + 1));
    }
  }
  return { command: name, properties, data: format.data(data), line };
}

const V2 = { separator: ',', property: unescapeProperty, data: unescapeData };
const V1 = { separator: ';', property: unescapeV1, data: unescapeV1 };

function parseV2(line: string, registered: Set<string>): WorkflowCommand | undefined {
  const text = line.trimStart();
  if (!text.startsWith('::')) return undefined;
  const end = text.indexOf('::', 2);
  if (end < 0) return undefined;
  return command(text.slice(2, end), text.slice(end + 2), line, V2, registered);
}

function parseV1(line: string, registered: Set<string>): WorkflowCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const bracket = line.indexOf(']', prefix);
  if (bracket < 0) return undefined;
  return command(line.slice(prefix + 3, bracket), line.slice(bracket + 1), line, V1, registered);
}

export interface RunnerReading {
  /** Every command the runner acts on, in order (stop-commands and the lines that end them not included). */
  commands: WorkflowCommand[];
  /** The token of each `::stop-commands::` the runner acted on. */
  fences: string[];
}

/** stdout as the runner reads it. */
export function readAsRunner(stdout: string): RunnerReading {
  const commands: WorkflowCommand[] = [];
  const fences: string[] = [];
  const registered = new Set(REGISTERED);
  let stopToken: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    if (line === '') continue;
    const command = parseV2(line, registered) ?? parseV1(line, registered);
    if (!command) continue;
    if (stopToken !== undefined) {
      if (command.command.toLowerCase() === stopToken.toLowerCase()) {
        registered.delete(stopToken.toLowerCase());
        stopToken = undefined;
      }
      continue;
    }
    if (command.command === 'stop-commands' && command.data !== '') {
      stopToken = command.data;
      fences.push(stopToken);
      registered.add(stopToken.toLowerCase());
      continue;
    }
    commands.push(command);
  }
  return { commands, fences };
}

/** Every command the runner would act on, in order; stop-commands fences are honoured and not listed. */
export function workflowCommands(stdout: string): WorkflowCommand[] {
  return readAsRunner(stdout).commands;
}
