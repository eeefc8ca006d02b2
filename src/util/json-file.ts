import { open } from 'node:fs/promises';

/**
 * Writes `value` as JSON to `path`, byte for byte what `JSON.stringify(value) + "\n"` is, without ever holding
 * that text whole: a SARIF log or vulnerability predicate of 20,000 findings is tens of MB of text, and the
 * string plus the buffer it is encoded into would double the memory the stage needs at its peak.
 */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  const file = await open(path, 'w');
  try {
    let pending = '';
    for (const piece of pieces(value)) {
      pending += piece;
      if (pending.length >= CHUNK) {
        await file.write(pending);
        pending = '';
      }
    }
    await file.write(`${pending}\n`);
  } finally {
    await file.close();
  }
}

const CHUNK = 1 << 20;

/**
 * An array whose elements are made while it is written: writeJsonFile writes one element at a time, so the
 * elements never exist all at once. Anything else that turns it into JSON gets the whole array.
 */
export class LazyJsonArray<T> implements Iterable<T> {
  constructor(
    readonly length: number,
    private readonly element: (index: number) => T,
  ) {}

  *[Symbol.iterator](): Generator<T> {
    for (let i = 0; i < this.length; i++) yield this.element(i);
  }

  toJSON(): T[] {
    return [...this];
  }
}

function isPlainContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  // Anything with its own toJSON (a Date) is written as JSON.stringify writes it.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  return (
    Array.isArray(value) ||
    Object.getPrototypeOf(value) === Object.prototype ||
    Object.getPrototypeOf(value) === null
  );
}

// Elements of an array longer than this are written whole each (a SARIF result, a vulnerability match);
// shorter arrays and objects are opened up, to reach the long arrays inside them.
const LONG = 64;

/** The JSON text of `value` in pieces: an element of a long array at most. */
function* pieces(value: unknown, whole = false): Generator<string> {
  if (value instanceof LazyJsonArray) {
    yield '[';
    let first = true;
    for (const element of value as LazyJsonArray<unknown>) {
      if (!first) yield ',';
      first = false;
      yield* pieces(element, true);
    }
    yield ']';
    return;
  }
  if (whole || !isPlainContainer(value)) {
    // undefined, functions and symbols have no JSON; in an array JSON.stringify writes null for them.
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    const long = value.length > LONG;
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      yield* pieces(value[i], long);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* pieces(item);
  }
  yield '}';
}
