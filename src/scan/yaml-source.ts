import { LineCounter, type Node, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { UserError } from '../util/errors.js';

/** A parsed YAML file whose every complaint names the file and the line. */
export class YamlSource {
  readonly root: Node | null;
  private readonly lines = new LineCounter();

  constructor(
    text: string,
    readonly file: string,
  ) {
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const error = doc.errors[0];
    if (error) {
      const line = this.lines.linePos(error.pos[0]).line;
      throw new UserError(`${file} line ${line}: not valid YAML (${error.message.split('\n')[0] ?? ''})`);
    }
    this.root = doc.contents;
  }

  lineOf(node: Node | null | undefined): number {
    const offset = node?.range?.[0];
    return offset === undefined ? 1 : this.lines.linePos(offset).line;
  }

  fail(node: Node | null | undefined, message: string): never {
    throw new UserError(`${this.file} line ${this.lineOf(node)}: ${message}`);
  }

  /** A mapping's entries in order; keys must be plain scalars. */
  entries(node: Node | null, what: string): Array<{ key: string; keyNode: Node; value: Node | null }> {
    if (!isMap(node)) this.fail(node, `${what} must be a mapping (key: value)`);
    return node.items.map((pair) => {
      const keyNode = pair.key as Node;
      if (!isScalar(keyNode)) this.fail(keyNode, `${what} has a key that is not a plain name`);
      return { key: String(keyNode.value), keyNode, value: (pair.value as Node | null) ?? null };
    });
  }

  sequence(node: Node | null, what: string): Node[] {
    if (node === null || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) this.fail(node, `${what} must be a list`);
    return node.items as Node[];
  }

  /** A scalar written as text; numbers are accepted and turned into text (a version `1.0` is still a version). */
  string(node: Node | null, what: string, anchor?: Node): string {
    if (!isScalar(node) || node.value === null || node.value === '') {
      this.fail(node ?? anchor, `${what} must be a non-empty text value`);
    }
    const value = node.value;
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.fail(node, `${what} must be a text value, not ${typeof value}`);
    }
    return String(value);
  }

  strings(node: Node | null, what: string, anchor?: Node): string[] {
    if (node === null) this.fail(anchor, `${what} must be a list of text values`);
    return this.sequence(node, what).map((item, i) => this.string(item, `${what}[${i}]`));
  }

  boolean(node: Node | null, what: string, anchor?: Node): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean')
      this.fail(node ?? anchor, `${what} must be true or false`);
    return node.value;
  }
}
