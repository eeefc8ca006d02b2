import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import * as core from '@actions/core';

/*
 * The runner reads workflow commands in a step's stdout: it ends a line at CR as well as LF, trims white space before
 * `::name::`, and reads a legacy `##[name]` anywhere in a line. Text the action did not write (a Dockerfile's RUN
 * output, an ignore file's id, a tool's error) must never be read as one: a forged `::set-output::`, `::add-mask::`,
 * `::error::` or `::stop-commands::` would act in the action's name.
 */

/** CR and LF as the two characters `\r` and `\n`, so repository or tool text stays on the line it is logged on. */
export function escapeLineBreaks(text: string): string {
  return text.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** Whether the runner could read a command in this one line. */
function readsAsCommand(line: string): boolean {
  return line.trimStart().startsWith('::') || line.includes('##[');
}

/**
 * `text` inside `::stop-commands::<token>` … `::<token>::`, where the runner acts on no command. The token is random
 * for each fence and made after the text exists, so the text cannot hold the line that ends its fence.
 */
export function fenceCommands(text: string): string {
  const token = randomBytes(16).toString('hex');
  return `::stop-commands::${token}\n${text}${text.endsWith('\n') ? '' : '\n'}::${token}::\n`;
}

/**
 * `core.info` for any message that holds text from the repository, a tool or a report: on one line, and fenced when
 * what is left could still read as a command.
 */
export function logInfo(message: string): void {
  const line = escapeLineBreaks(message);
  if (readsAsCommand(line)) process.stdout.write(fenceCommands(line));
  else core.info(line);
}

export interface FencedWriter {
  write(chunk: Buffer): void;
  /** Writes what is left of an unfinished last line. */
  end(): void;
}

/** Longest unfinished line held back before it is written anyway (a progress bar that never ends its line). */
const MAX_PENDING = 64 * 1024;

/**
 * A tool's output stream copied to the log in fences, whole lines at a time (a fence mid-line would split the line),
 * each fence one write so that two tools streaming at once cannot end each other's fence.
 */
export function fencedLineWriter(
  transform: (text: string) => string,
  write: (text: string) => void = (text) => void process.stdout.write(text),
): FencedWriter {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emit = (text: string): void => {
    if (text !== '') write(fenceCommands(transform(text)));
  };
  return {
    write(chunk) {
      pending += decoder.write(chunk);
      const cut = Math.max(pending.lastIndexOf('\n'), pending.lastIndexOf('\r')) + 1;
      if (cut === 0 && pending.length < MAX_PENDING) return;
      const at = cut === 0 ? pending.length : cut;
      emit(pending.slice(0, at));
      pending = pending.slice(at);
    },
    end() {
      emit(pending + decoder.end());
      pending = '';
    },
  };
}
