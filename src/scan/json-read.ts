import { ReportFormatError } from './finding.js';
import { type ByteSource, DeferredArray, type PathPattern, parseDeferring } from './json-deferred.js';

/**
 * Reading untyped scanner JSON with messages that say where it went wrong
 * (`the trivy report: Results[2].Vulnerabilities[0].PkgName is a number, expected a string`).
 */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export class JsonReader {
  constructor(private readonly what: string) {}

  fail(path: string, problem: string): never {
    throw new ReportFormatError(`${this.what}: ${path} ${problem}`);
  }

  parse(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw this.notJson(err);
    }
  }

  /** Parses a report, leaving the arrays at `defer` to be parsed element by element (see json-deferred.ts). */
  parseDeferring(source: string | Buffer | ByteSource, defer: readonly PathPattern[]): unknown {
    const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    try {
      return parseDeferring(bytes, defer);
    } catch (err) {
      throw this.notJson(err);
    }
  }

  private notJson(err: unknown): ReportFormatError {
    const detail = err instanceof Error ? err.message : String(err);
    return new ReportFormatError(`${this.what} is not JSON (${detail})`, { cause: err });
  }

  /**
   * The elements of an array or a deferred array, each handed to `each` as it is parsed; absent or null is
   * none. An element that is not JSON fails as the whole report would.
   */
  forEachElement(
    obj: JsonObject,
    key: string,
    path: string,
    each: (value: unknown, index: number) => void,
  ): void {
    const value = obj[key];
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach(each);
      return;
    }
    if (!(value instanceof DeferredArray)) {
      this.fail(`${path}${key}`, `is ${describe(value)}, expected an array`);
    }
    for (let i = 0; i < value.length; i++) {
      let element: unknown;
      try {
        element = value.at(i);
      } catch (err) {
        throw this.notJson(err);
      }
      each(element, i);
    }
  }

  object(value: unknown, path: string): JsonObject {
    if (!isObject(value)) this.fail(path, `is ${describe(value)}, expected an object`);
    return value;
  }

  /** Absent or null → undefined; anything but an array is an error. */
  optArray(obj: JsonObject, key: string, path: string): unknown[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(`${path}${key}`, `is ${describe(value)}, expected an array`);
    return value;
  }

  optObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    return this.object(value, `${path}${key}`);
  }

  /** Absent, null or empty → undefined; a non-string is an error. */
  optString(obj: JsonObject, key: string, path: string): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') this.fail(`${path}${key}`, `is ${describe(value)}, expected a string`);
    return value;
  }

  string(obj: JsonObject, key: string, path: string): string {
    const value = obj[key];
    if (typeof value !== 'string' || value === '') {
      this.fail(
        `${path}${key}`,
        value === undefined
          ? 'is missing'
          : `is ${value === '' ? 'empty' : describe(value)}, expected a string`,
      );
    }
    return value;
  }

  optNumber(obj: JsonObject, key: string, path: string): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(`${path}${key}`, `is ${describe(value)}, expected a number`);
    }
    return value;
  }

  /** An array of strings; non-string items are an error, empty strings are dropped. */
  optStrings(obj: JsonObject, key: string, path: string): string[] {
    const arr = this.optArray(obj, key, path) ?? [];
    const out: string[] = [];
    arr.forEach((item, i) => {
      if (typeof item !== 'string')
        this.fail(`${path}${key}[${i}]`, `is ${describe(item)}, expected a string`);
      if (item !== '') out.push(item);
    });
    return out;
  }
}
