// Types of flags.mjs, for the TypeScript tests that check the page parser.
export interface FlagSpec {
  long: string;
  short?: string;
  type: string;
  kind: 'bool' | 'count' | 'list' | 'array' | 'value';
  inherited: boolean;
}

export class CliError extends Error {
  constructor(message: string, exitCode?: number);
  exitCode: number;
}

export class ParsedFlags {
  positionals: string[];
  fromEnv: Set<string>;
  has(name: string): boolean;
  get(name: string, fallback?: string): string | undefined;
  all(name: string): string[];
  bool(name: string, fallback?: boolean): boolean;
}

export function parseFlagTable(markdown: string): Map<string, FlagSpec>;
export function parseSubcommands(markdown: string, tool: string): Set<string>;
export function loadPage(
  cliDir: string,
  tool: string,
  words: string[],
): { file: string; text: string; flags: Map<string, FlagSpec> } | undefined;
export function parseArgs(
  args: string[],
  table: Map<string, FlagSpec>,
  options?: { envPrefix?: string; env?: Record<string, string | undefined> },
): ParsedFlags;
export function splitSubcommand(
  argv: string[],
  rootFlags: Map<string, FlagSpec>,
  hasPage: (words: string[]) => boolean,
): { words: string[]; first: string | undefined; rest: string[] };
