// What the end-to-end suites of the scan gate and of signing expect, worked out from the raw upstream
// reports and from the interface (INTERFACE.md), not from the action's own code: the gate's verdict and
// the `vulnerabilities` counts for a fixture and a set of inputs, plus small readers of a run's results.
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Registry } from '../harness/registry.js';
import type { RunResult } from '../harness/runner.js';
import { UPSTREAM_FIXTURES } from '../harness/standins.js';

/** The keys of the `vulnerabilities` output, in the order INTERFACE.md gives them. */
export const COUNT_KEYS = [
  'critical',
  'high',
  'medium',
  'low',
  'unknown',
  'total',
  'fixable',
  'ignored',
] as const;
export type CountKey = (typeof COUNT_KEYS)[number];

type Level = 'critical' | 'high' | 'medium' | 'low' | 'unknown';
export type FailOn = 'critical' | 'high' | 'medium' | 'low' | 'never';

/** One vulnerability of one package as the scanner listed it. */
export interface RawFinding {
  id: string;
  packageName: string;
  installedVersion: string;
  severity: Level;
  /** The scanner names a fixed version, or says the state is fixed. */
  fixable: boolean;
}

export function fixturePath(scanner: 'trivy' | 'grype', name: string): string {
  return `${UPSTREAM_FIXTURES}/${scanner}/${name}`;
}

function level(word: unknown): Level {
  const w = typeof word === 'string' ? word.toLowerCase() : '';
  if (w === 'critical' || w === 'high' || w === 'medium' || w === 'low') return w;
  // grype's lowest level; GitHub's advisories say "moderate".
  if (w === 'negligible') return 'low';
  if (w === 'moderate') return 'medium';
  return 'unknown';
}

interface TrivyDoc {
  Results?: Array<{
    Vulnerabilities?: Array<{
      VulnerabilityID: string;
      PkgName: string;
      InstalledVersion: string;
      Severity?: string;
      FixedVersion?: string;
      Status?: string;
    }>;
  }>;
}

interface GrypeDoc {
  matches?: Array<{
    vulnerability: { id: string; severity?: string; fix?: { versions?: string[]; state?: string } };
    artifact: { name: string; version: string };
  }>;
}

/** Every finding of a stored scanner report (a fixture's name, or a file's absolute path), read straight from its JSON. */
export function rawFindings(scanner: 'trivy' | 'grype', fixture: string): RawFinding[] {
  const text = readFileSync(isAbsolute(fixture) ? fixture : fixturePath(scanner, fixture), 'utf8');
  if (scanner === 'trivy') {
    const doc = JSON.parse(text) as TrivyDoc;
    return (doc.Results ?? []).flatMap((r) =>
      (r.Vulnerabilities ?? []).map((v) => ({
        id: v.VulnerabilityID,
        packageName: v.PkgName,
        installedVersion: v.InstalledVersion,
        severity: level(v.Severity),
        fixable: (v.FixedVersion ?? '').trim() !== '' || v.Status === 'fixed',
      })),
    );
  }
  const doc = JSON.parse(text) as GrypeDoc;
  return (doc.matches ?? []).map((m) => ({
    id: m.vulnerability.id,
    packageName: m.artifact.name,
    installedVersion: m.artifact.version,
    severity: level(m.vulnerability.severity),
    fixable: (m.vulnerability.fix?.versions ?? []).length > 0 || m.vulnerability.fix?.state === 'fixed',
  }));
}

const RANK: Record<Level, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 };

export interface ExpectedGate {
  counts: Record<CountKey, number>;
  /** The `vulnerabilities` output, byte for byte. */
  json: string;
  passed: boolean;
  /** Ids of the findings that fail the gate. */
  blocking: string[];
}

/**
 * The gate as INTERFACE.md states it: `fail-on-severity` is the lowest severity that fails; with
 * `ignore-unfixed` a finding with no fixed version does not count (it is still counted in the totals,
 * as `ignored`); ids in the ignore file do not count either. A vulnerability listed at several paths
 * of one package version is one vulnerability.
 */
export function expectedGate(
  findings: readonly RawFinding[],
  options: { failOn: FailOn; ignoreUnfixed: boolean; ignoredIds?: readonly string[] },
): ExpectedGate {
  const ignoredIds = new Set(options.ignoredIds ?? []);
  const isIgnored = (f: RawFinding): boolean => ignoredIds.has(f.id) || (options.ignoreUnfixed && !f.fixable);
  const groups = new Map<string, RawFinding[]>();
  for (const f of findings) {
    const key = JSON.stringify([f.id, f.packageName, f.installedVersion]);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Record<CountKey, number>;
  const blocking: string[] = [];
  const threshold = options.failOn === 'never' ? Infinity : RANK[options.failOn];
  for (const members of groups.values()) {
    const counting = members.find((m) => !isIgnored(m));
    const finding = counting ?? (members[0] as RawFinding);
    counts[finding.severity] += 1;
    counts.total += 1;
    if (finding.fixable) counts.fixable += 1;
    if (!counting) counts.ignored += 1;
    else if (RANK[finding.severity] >= threshold) blocking.push(finding.id);
  }
  return { counts, json: JSON.stringify(counts), passed: blocking.length === 0, blocking };
}

/** stdout as the job log shows it: the runner swallows its `::add-mask::` commands. */
export function visibleStdout(result: RunResult): string {
  return result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** The `Result` and `Details` cells of one stage row of the summary's stage table. */
export function stageRow(summary: string, title: string): { result: string; detail: string } | undefined {
  for (const line of summary.split('\n')) {
    const cells = line.split(' | ');
    if (cells[0] === `| ${title}` && cells.length >= 4) {
      return { result: cells[1] ?? '', detail: cells.slice(3).join(' | ').replace(/ \|$/, '') };
    }
  }
  return undefined;
}

/** The cosign `.sig` tags the registry holds for one digest of a repository. */
export async function signatureTags(registry: Registry, repo: string, digest: string): Promise<string[]> {
  const tags = await registry.tags(repo);
  return tags.filter((t) => t === `${digest.replace(':', '-')}.sig`);
}

/**
 * What a signing run shows its user: the `signed` output, whether the summary's Sign row passed, what its Attest row
 * attested when it passed, and whether the summary links an entry of the public transparency log (search.sigstore.dev).
 */
export function signingShown(result: RunResult): {
  signed: string | undefined;
  signPassed: boolean;
  attested: string | undefined;
  publicLogLink: boolean;
} {
  const attest = stageRow(result.summary, 'Attest');
  return {
    signed: result.outputs.signed,
    signPassed: /passed/.test(stageRow(result.summary, 'Sign')?.result ?? ''),
    attested: attest && /passed/.test(attest.result) ? attest.detail : undefined,
    publicLogLink: /search\.sigstore\.dev/.test(result.summary),
  };
}

/** signingShown of a run that signed and attested the SBOM and the scan, with no public transparency-log link. */
export const SIGNED_AND_ATTESTED = {
  signed: 'true',
  signPassed: true,
  attested: 'cyclonedx, vuln',
  publicLogLink: false,
};

/** Words of a POSIX command line with `\`-newline continuations and single quotes (what the action emits). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  const text = command.replace(/\\\n/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new Error(`unterminated quote in ${command}`);
      current += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '\\') {
      current += text[i + 1] ?? '';
      inWord = true;
      i += 1;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** Whether a process is still alive (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
