import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KeyValue } from '../util/key-value.js';

/** Reads one input the way the runner hands it over; `core.getInput` in production. */
export type InputSource = (name: string) => string;

const ENV_KEY = /^[^=\s][^=]*$/;

/**
 * Reads inputs and collects every problem instead of stopping at the first, so a user sees all of a run's
 * input errors in one go. Each input group (`image.ts`, `build.ts`, …) reads and validates its own inputs
 * through one of these.
 */
export class InputReader {
  readonly problems: string[] = [];

  constructor(
    private readonly input: InputSource,
    readonly cwd: string,
    private readonly onSecret: (value: string) => void,
  ) {}

  read(name: string): string {
    return this.input(name).trim();
  }

  /** A secret is masked the moment it is read, before anything can log it. */
  secret(name: string): string {
    const value = this.input(name);
    if (value !== '') {
      this.onSecret(value);
      // Multi-line secrets (PEM keys) are masked line by line too, as the runner matches per line.
      for (const line of value.split(/\r?\n/)) if (line.trim().length >= 8) this.onSecret(line.trim());
    }
    return value.trim();
  }

  /** Masks a value found inside an input or the environment (a build secret), as soon as it is known. */
  mask(value: string): void {
    if (value === '') return;
    this.onSecret(value);
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= 8) this.onSecret(line.trim());
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  bool(name: string): boolean {
    const raw = this.read(name);
    if (['true', 'True', 'TRUE'].includes(raw)) return true;
    if (['false', 'False', 'FALSE'].includes(raw)) return false;
    this.problem(`Input \`${name}\` must be \`true\` or \`false\`; got ${quote(raw)}.`);
    return false;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const raw = this.read(name);
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problem(
      `Input \`${name}\` must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}; got ${quote(raw)}.`,
    );
    return allowed[0] as T;
  }

  /** Entries of a list input separated by newlines or commas. */
  list(name: string): string[] {
    return this.read(name)
      .split(/[\n,]/)
      .map((t) => t.trim())
      .filter((t) => t !== '');
  }

  keyValues(name: string): KeyValue[] {
    const out: KeyValue[] = [];
    for (const { text, line } of lines(this.read(name))) {
      const eq = text.indexOf('=');
      const key = eq > 0 ? text.slice(0, eq).trim() : '';
      if (eq <= 0 || !ENV_KEY.test(key)) {
        this.problem(
          `Input \`${name}\`, line ${line}: ${quote(text)} is not KEY=VALUE. Write one KEY=VALUE per line.`,
        );
        continue;
      }
      out.push({ key, value: text.slice(eq + 1) });
    }
    return out;
  }

  existingPath(name: string, kind: 'file' | 'dir', raw: string): string | undefined {
    if (raw === '') return undefined;
    const path = resolve(this.cwd, raw);
    const found = statOrUndefined(path);
    if (!found || (kind === 'file' ? !found.isFile() : !found.isDirectory())) {
      this.problem(
        `Input \`${name}\`: ${kind === 'file' ? 'file' : 'directory'} ${quote(raw)} does not exist (looked for ${path}).`,
      );
      return undefined;
    }
    return path;
  }

  executable(name: string): string | undefined {
    const path = this.existingPath(name, 'file', this.read(name));
    if (path === undefined) return undefined;
    try {
      accessSync(path, constants.X_OK);
    } catch {
      this.problem(
        `Input \`${name}\`: ${path} is not executable. Run \`chmod +x\` on it or point to the binary.`,
      );
    }
    return path;
  }
}

/** The non-empty, non-comment lines of a newline list, with their line numbers in the input. */
export function lines(text: string): Array<{ text: string; line: number }> {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ text: t.trim(), line: i + 1 }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'));
}

/** A value as an error message shows it: quoted, escaped, and cut at 80 characters. */
export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}…` : value;
  return JSON.stringify(shown);
}

export function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
