import { UserError } from '../util/errors.js';
import type { Finding } from './finding.js';
import { isObject } from './json-read.js';
import { type PackageUrl, parsePurl, purlMatches } from './purl.js';

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

export interface VexStatement {
  vulnerability: string;
  aliases: string[];
  /** Product identifiers: each product's `@id` and `identifiers` (purl, cpe). Empty: the statement's subject is the scanned image. */
  products: string[];
  /** Identifiers of the products' subcomponents: the packages inside the product the statement is about. */
  subcomponents?: string[];
  status: VexStatus;
  justification?: string;
  impactStatement?: string;
  /** The statement's timestamp, or the document's (OpenVEX inheritance); the latest applicable statement wins. */
  timestamp?: string;
  file: string;
  /** Index of the statement in the document, for messages. */
  index?: number;
}

const STATUSES: readonly VexStatus[] = ['not_affected', 'affected', 'fixed', 'under_investigation'];
const JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
];

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The identifiers a product or subcomponent can be recognised by; v0.0.x documents used bare strings. */
function componentIds(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (!isObject(value)) return [];
  const ids = [text(value['@id'])];
  const identifiers = value['identifiers'];
  if (isObject(identifiers)) ids.push(...Object.values(identifiers).map(text));
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

/** An OpenVEX document (openvex/spec v0.2.0; the string forms of v0.0.x are read too) → its statements. */
export function parseOpenVex(source: string, file: string): VexStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(source) as unknown;
  } catch (err) {
    throw new UserError(`${file}: not an OpenVEX document, the text is not JSON (${String(err)})`);
  }
  const fail = (where: string, problem: string): never => {
    throw new UserError(`${file}: ${where} ${problem} (OpenVEX, https://github.com/openvex/spec)`);
  };
  if (!isObject(doc)) return fail('the document', 'must be a JSON object');
  const context = text(doc['@context']);
  if (!context || !context.startsWith('https://openvex.dev/ns')) {
    fail(
      '@context',
      `must be the OpenVEX context (https://openvex.dev/ns/v0.2.0), found ${JSON.stringify(doc['@context'])}`,
    );
  }
  const statements = doc['statements'];
  if (!Array.isArray(statements)) return fail('statements', 'must be a list');
  const documentTimestamp = text(doc['timestamp']);

  return statements.map((value, index): VexStatement => {
    const where = `statements[${index}]`;
    if (!isObject(value)) return fail(where, 'must be an object');
    const vuln = value['vulnerability'];
    const name = typeof vuln === 'string' ? text(vuln) : isObject(vuln) ? text(vuln['name']) : undefined;
    if (!name) fail(`${where}.vulnerability.name`, 'is missing');
    const aliases =
      isObject(vuln) && Array.isArray(vuln['aliases'])
        ? vuln['aliases'].map(text).filter((a): a is string => a !== undefined && a !== name)
        : [];

    const status = value['status'];
    if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) {
      fail(`${where}.status`, `must be one of ${STATUSES.join(', ')}, found ${JSON.stringify(status)}`);
    }
    const justification = text(value['justification']);
    if (justification !== undefined && !JUSTIFICATIONS.includes(justification)) {
      fail(`${where}.justification`, `must be one of ${JUSTIFICATIONS.join(', ')}, found "${justification}"`);
    }
    const impactStatement = text(value['impact_statement']);
    if (status === 'not_affected' && !justification && !impactStatement) {
      fail(where, 'says not_affected without a justification or an impact_statement; the spec requires one');
    }

    const productValues = Array.isArray(value['products']) ? value['products'] : [];
    const products = productValues.flatMap(componentIds);
    const subcomponentValues = [
      ...(Array.isArray(value['subcomponents']) ? value['subcomponents'] : []),
      ...productValues.flatMap((p) =>
        isObject(p) && Array.isArray(p['subcomponents']) ? p['subcomponents'] : [],
      ),
    ];
    return {
      vulnerability: name as string,
      aliases,
      products,
      subcomponents: [...new Set(subcomponentValues.flatMap(componentIds))],
      status: status as VexStatus,
      justification,
      impactStatement,
      timestamp: text(value['last_updated']) ?? text(value['timestamp']) ?? documentTimestamp,
      file,
      index,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// matching

/** `alpine`, `docker.io/library/alpine:3`, `index.docker.io/library/alpine@sha256:…` → `docker.io/library/alpine`. */
export function imageRepository(reference: string): string {
  let ref = reference.trim().toLowerCase();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  const first = parts[0] ?? '';
  const hasRegistry =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) return `docker.io/${parts.length === 1 ? 'library/' : ''}${ref}`;
  if (first === 'index.docker.io') return `docker.io/${parts.slice(1).join('/')}`;
  return ref;
}

function digestOf(reference: string): string | undefined {
  const at = reference.indexOf('@');
  return at >= 0 ? reference.slice(at + 1).toLowerCase() : undefined;
}

/** Whether a product identifier names the scanned image (an `oci` purl or an image reference). */
function productIsImage(id: string, purl: PackageUrl | undefined, imageName: string | undefined): boolean {
  if (imageName === undefined) return true;
  const repo = imageRepository(imageName);
  const digest = digestOf(imageName);
  if (purl) {
    const repositoryUrl = purl.qualifiers['repository_url'];
    const sameRepo = repositoryUrl
      ? imageRepository(repositoryUrl) === repo
      : repo.split('/').pop() === purl.name.toLowerCase();
    return sameRepo && (purl.version === '' || digest === undefined || purl.version.toLowerCase() === digest);
  }
  const productDigest = digestOf(id);
  return (
    imageRepository(id) === repo &&
    (productDigest === undefined || digest === undefined || productDigest === digest)
  );
}

function componentMatches(id: string, finding: Finding, findingPurl: PackageUrl | undefined): boolean {
  const purl = parsePurl(id);
  if (purl) return findingPurl !== undefined && purlMatches(purl, findingPurl);
  return id === finding.packageName;
}

/**
 * Whether a statement speaks about this finding: the vulnerability (by any of its names) and the product.
 * A product that is the image (or no product at all) covers every package in it unless subcomponents narrow
 * it; a product that is a package purl covers that package.
 */
export function vexStatementApplies(statement: VexStatement, finding: Finding, imageName?: string): boolean {
  const names = [statement.vulnerability, ...statement.aliases];
  if (!names.includes(finding.id) && !finding.aliases.some((a) => names.includes(a))) return false;

  const findingPurl = finding.purl === undefined ? undefined : parsePurl(finding.purl);
  const subcomponents = statement.subcomponents ?? [];
  const subcomponentsMatch =
    subcomponents.length === 0 || subcomponents.some((s) => componentMatches(s, finding, findingPurl));
  if (statement.products.length === 0) return subcomponentsMatch;

  return statement.products.some((id) => {
    const purl = parsePurl(id);
    if (id.startsWith('cpe:')) return false;
    if (!purl || purl.type === 'oci') return productIsImage(id, purl, imageName) && subcomponentsMatch;
    // A package product: the statement is about that package, or about the subcomponents inside it.
    return subcomponents.length > 0
      ? subcomponentsMatch
      : findingPurl !== undefined && purlMatches(purl, findingPurl);
  });
}

function time(statement: VexStatement): number {
  const t = statement.timestamp === undefined ? NaN : Date.parse(statement.timestamp);
  return Number.isNaN(t) ? -Infinity : t;
}

/** Statements indexed by every name of their vulnerability, so 20,000 findings do not each scan every statement. */
export class VexIndex {
  private readonly byName = new Map<string, VexStatement[]>();
  private readonly order = new Map<VexStatement, number>();

  constructor(
    statements: readonly VexStatement[],
    private readonly imageName?: string,
  ) {
    statements.forEach((s, i) => this.order.set(s, i));
    for (const s of statements) {
      for (const name of new Set([s.vulnerability, ...s.aliases])) {
        const list = this.byName.get(name) ?? [];
        list.push(s);
        this.byName.set(name, list);
      }
    }
  }

  /** The statement that decides this finding's status: the latest applicable one, the later in the input on a tie. */
  decide(finding: Finding): VexStatement | undefined {
    const candidates = new Set<VexStatement>();
    for (const name of [finding.id, ...finding.aliases]) {
      for (const s of this.byName.get(name) ?? []) candidates.add(s);
    }
    let best: VexStatement | undefined;
    for (const s of candidates) {
      if (!vexStatementApplies(s, finding, this.imageName)) continue;
      if (!best || this.later(s, best)) best = s;
    }
    return best;
  }

  private later(a: VexStatement, b: VexStatement): boolean {
    const ta = time(a);
    const tb = time(b);
    if (ta !== tb) return ta > tb;
    return (this.order.get(a) ?? 0) > (this.order.get(b) ?? 0);
  }
}

/** `not_affected` and `fixed` take a finding out of the gate; `affected` and `under_investigation` leave it in. */
export function vexSuppresses(statement: VexStatement): boolean {
  return statement.status === 'not_affected' || statement.status === 'fixed';
}

export function vexReason(statement: VexStatement): string {
  const why = statement.justification ?? statement.impactStatement;
  return `VEX ${statement.status}${why ? `: ${why}` : ''} (${statement.file})`;
}
