import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked, type Tokens } from 'marked';
import { renderPrComment } from '../../src/report/comment.js';
import { renderSummary, SUMMARY_MAX_BYTES, type SummaryInput } from '../../src/report/summary.js';
import {
  DIGEST,
  REPORT_FILE,
  SHA,
  fullPass,
  gateFailure,
  hugeScan,
  noPush,
  runReport,
  unsignedBase,
} from './inputs.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const MiB = 1024 * 1024;

/** Compares with the committed golden file; `UPDATE_GOLDEN=1` rewrites it. */
function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (UPDATE || !existsSync(path)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
    if (!UPDATE) throw new Error(`${name} did not exist; written now. Check it and run again.`);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const marked = new Marked({ gfm: true, async: false });
const html = (markdown: string): string => marked.parse(markdown) as string;

function tables(markdown: string): Tokens.Table[] {
  const found: Tokens.Table[] = [];
  marked.walkTokens(marked.lexer(markdown), (t) => {
    if (t.type === 'table') found.push(t as Tokens.Table);
  });
  return found;
}

/** What GitHub's renderer would make of it: tables with every row complete, no active HTML, our links. */
function checkStructure(markdown: string, expectTables: string[][]): string {
  const parsed = tables(markdown);
  expect(parsed.map((t) => t.header.map((h) => h.text))).toEqual(expectTables);
  for (const t of parsed) for (const row of t.rows) expect(row).toHaveLength(t.header.length);
  const page = html(markdown);
  expect(page).not.toMatch(/<(script|img|iframe|svg|style|object)\b/i);
  expect(page).not.toMatch(/<[a-z][^>]*\son\w+=/i);
  expect(page).not.toMatch(/href="(?!https:\/\/)/);
  return page;
}

const STAGE_HEADER = ['Stage', 'Result', 'Time', 'Details'];
const BASE_HEADER = ['Stage', 'Line', 'Image', 'Digest', 'Rule', 'Signer', 'Status'];
const SEVERITY_HEADER = ['Severity', 'Found', 'Fixable'];
const FINDINGS_HEADER = ['Severity', 'ID', 'Package', 'Installed → fixed', 'Origin', 'Title'];
const IGNORED_HEADER = ['Severity', 'ID', 'Package', 'Installed → fixed', 'Why ignored'];
const ATTEST_HEADER = ['Attestation', 'Predicate type', 'Result', 'Transparency log'];
const TOOLS_HEADER = ['Tool', 'Version', 'Source', 'Verification', 'Time'];

const lineUrl = (line: number): string => `https://github.com/acme/app/blob/${SHA}/Dockerfile#L${line}`;

describe('renderSummary goldens', () => {
  it.each<[string, () => SummaryInput, string[][]]>([
    [
      'full-pass',
      fullPass,
      [
        STAGE_HEADER,
        BASE_HEADER,
        SEVERITY_HEADER,
        FINDINGS_HEADER,
        IGNORED_HEADER,
        ATTEST_HEADER,
        TOOLS_HEADER,
      ],
    ],
    [
      'gate-failure',
      gateFailure,
      [STAGE_HEADER, BASE_HEADER, SEVERITY_HEADER, FINDINGS_HEADER, IGNORED_HEADER, TOOLS_HEADER],
    ],
    ['unsigned-base-image', unsignedBase, [STAGE_HEADER, BASE_HEADER, TOOLS_HEADER]],
    ['no-push', noPush, [STAGE_HEADER, BASE_HEADER, SEVERITY_HEADER, FINDINGS_HEADER, TOOLS_HEADER]],
    [
      'huge-scan',
      () => hugeScan(20_000),
      [
        STAGE_HEADER,
        BASE_HEADER,
        SEVERITY_HEADER,
        FINDINGS_HEADER,
        IGNORED_HEADER,
        ATTEST_HEADER,
        TOOLS_HEADER,
      ],
    ],
  ])('%s', (name, make, expectTables) => {
    const markdown = renderSummary(make());
    golden(`${name}.md`, markdown);
    const page = checkStructure(markdown, expectTables);
    expect(page).toContain(`<a href="${lineUrl(3)}">3</a>`);
  });
});

describe('renderSummary content', () => {
  it('heads with the verdict and the image, and puts the failure in its row with the rest not reached', () => {
    const markdown = renderSummary(gateFailure());
    const [heading, , verdict] = markdown.split('\n');
    expect(heading).toBe(`## ❌ secure-image: \`ghcr.io/acme/app@${DIGEST}\``);
    expect(verdict).toBe('**Failed** at Scan:');
    expect(markdown).toMatch(/\| Scan \| ❌ failed \| 12\.7 s \| The scan found 2 vulnerabilities/);
    for (const stage of ['Sign', 'Attest', 'Verify signature'])
      expect(markdown).toContain(`| ${stage} | ⏹️ not run |  | not reached: an earlier stage failed |`);
    // The whole message, as a list a reader can follow.
    expect(markdown).toContain('- CVE-2025-22869 (high) in golang.org/x/crypto v0.21.0: fixed in 0.35.0');
  });

  it('says what a full pass established', () => {
    const markdown = renderSummary(fullPass());
    expect(markdown.split('\n')[2]).toBe(
      '**Passed**: base images verified; no vulnerability at or above high that counts; signed with 2 attestations, and verified.',
    );
  });

  it('keeps the table format other steps and tests read', () => {
    const markdown = renderSummary(noPush());
    expect(markdown).toMatch(
      /\| Push \| ⏭️ skipped \| +\| `push: false`: the image stays on this machine \|/,
    );
    expect(markdown).toMatch(
      /\| Sign \| ⏭️ skipped \| +\| nothing was pushed, so there is no digest to sign \|/,
    );
    expect(markdown).toMatch(/the image is in an OCI archive on this machine only/);
    expect(markdown).toMatch(/^## ⚠️ secure-image: `ghcr\.io\/acme\/app:pr-7`$/m);
  });

  it('sorts findings by severity, then fixable first, and marks those that fail the gate', () => {
    const input = fullPass();
    const scan = input.scan;
    if (!scan?.gate) throw new Error('fixture has no gate');
    // Reported in the worst order; listed in the right one.
    const top = [...scan.gate.top].reverse();
    const markdown = renderSummary({ ...input, scan: { ...scan, gate: { ...scan.gate, top } } });
    const findings = tables(markdown).find((t) => t.header[1]?.text === 'ID');
    expect(findings?.rows.map((r) => [r[0]?.text, r[1]?.text.replace(/^\[([^\]]+)\].*$/, '$1')])).toEqual([
      ['Medium', 'CVE-2024-45336'],
      ['Medium', 'CVE-2025-0913'],
      ['Low', 'GHSA-qxp5-gwg8-xv66'],
      ['Low', 'CVE-2023-45853'],
    ]);
    const failing = tables(renderSummary(gateFailure())).find((t) => t.header[1]?.text === 'ID');
    expect(failing?.rows.map((r) => r[0]?.text)).toEqual(['⛔ Critical', '⛔ High', 'Medium']);
  });

  it('names the Java index database when one was in place for the scans, and where it came from', () => {
    const input = fullPass();
    const without = renderSummary(input);
    expect(without).not.toContain('Java index database');
    const scan = input.scan;
    if (!scan) throw new Error('fullPass has a scan');
    const withJava: SummaryInput = {
      ...input,
      scan: {
        ...scan,
        summary: {
          ...scan.summary,
          database: {
            ...scan.summary.database,
            java: { source: 'download', updatedAt: '2026-05-03T01:02:03.000Z' },
          },
        },
      },
    };
    expect(renderSummary(withJava)).toContain(
      'Vulnerability database: built 2026-05-04T06:12:31Z (9 h old), restored from the Actions cache. Java index database: built 2026-05-03T01:02:03Z, downloaded.',
    );
  });

  it('links the finding ids, with the advisory database when the scanner gave no URL', () => {
    const page = html(renderSummary(fullPass()));
    expect(page).toContain('<a href="https://avd.aquasec.com/nvd/cve-2024-45336">CVE-2024-45336</a>');
    expect(page).toContain(
      '<a href="https://github.com/advisories/GHSA-qxp5-gwg8-xv66">GHSA-qxp5-gwg8-xv66</a>',
    );
    expect(page).toContain(
      '<a href="https://search.sigstore.dev/?logIndex=211456789">Rekor log index 211456789</a>',
    );
  });

  it('gives the verify command as a block to copy, exactly as the sign stage made it', () => {
    const input = fullPass();
    const markdown = renderSummary(input);
    expect(markdown).toContain(`\`\`\`sh\n${input.sign?.verifyCommand ?? 'missing'}\n\`\`\``);
    const page = html(markdown);
    expect(page).toContain(`<code class="language-sh">cosign verify ghcr.io/acme/app@${DIGEST} \\`);
  });

  it('lists every reason a base image needs a look, under the table', () => {
    const page = html(renderSummary(unsignedBase()));
    expect(page).toContain(
      `<li>Line <a href="${lineUrl(3)}">3</a>, <code>gcr.io/distroless/static-debian12:nonroot</code>: signature check failed: none of the expected identities matched`,
    );
    expect(page).toContain('<code>evil/&lt;img src=x onerror=alert(1)&gt;:latest</code>');
  });
});

describe('escaping user text', () => {
  it.each<[string, (input: SummaryInput, text: string) => SummaryInput]>([
    [
      'a finding title',
      (input, text) => {
        const scan = input.scan;
        if (!scan?.gate) throw new Error('fixture has no gate');
        const [first, ...rest] = scan.gate.top;
        if (!first) throw new Error('no finding');
        return {
          ...input,
          scan: { ...scan, gate: { ...scan.gate, top: [{ ...first, title: text }, ...rest] } },
        };
      },
    ],
    [
      'a base image reason',
      (input, text) => ({
        ...input,
        baseImages: (unsignedBase().baseImages ?? []).map((e) => ({ ...e, reason: text })),
      }),
    ],
    [
      'a stage detail',
      (input, text) => ({ ...input, report: runReport({}, [['build', 'passed', text, 1]]) }),
    ],
    [
      'the failure message',
      (input, text) => ({ ...input, report: runReport({}, [], { stage: 'build', message: `one\n${text}` }) }),
    ],
    [
      'an ignore reason',
      (input, text) => {
        const scan = input.scan;
        if (!scan?.gate) throw new Error('fixture has no gate');
        return {
          ...input,
          scan: {
            ...scan,
            gate: { ...scan.gate, ignored: scan.gate.ignored.map((i) => ({ ...i, reason: text })) },
          },
        };
      },
    ],
    ['the Dockerfile path', (input, text) => ({ ...input, dockerfile: text })],
  ])('%s cannot add HTML, links, images or table cells', (_, place) => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(2)>',
      '![pixel](https://evil.example/p.png)',
      '[click](javascript:alert(3))',
      'a | b | c',
      '<details open><summary>x</summary>',
      '`code` **bold** _it_',
      'line\nbreak',
    ].join(' ');
    const markdown = renderSummary(place(fullPass(), hostile));
    // The same tables as with harmless text in that place, each row with all its cells.
    const expected = tables(renderSummary(place(fullPass(), 'harmless'))).map((t) =>
      t.header.map((h) => h.text),
    );
    const page = checkStructure(markdown, expected);
    expect(page).not.toContain('<details open>');
    expect(page).not.toMatch(/href="javascript:/);
    expect(page).toContain('&lt;script&gt;');
  });

  it('keeps our code spans in details, and a pipe inside one in its cell', () => {
    const input = fullPass();
    const markdown = renderSummary({
      ...input,
      report: runReport({}, [['build', 'passed', 'ran `a | b` here', 1]]),
    });
    const stages = tables(markdown)[0];
    const build = stages?.rows.find((r) => r[0]?.text === 'Build');
    expect(build).toHaveLength(4);
    expect(html(markdown)).toContain('<td>ran <code>a | b</code> here</td>');
  });
});

describe('size', () => {
  it('lists at most the display cap and says where the rest are', () => {
    const markdown = renderSummary(hugeScan(20_000));
    expect(Buffer.byteLength(markdown)).toBeLessThan(SUMMARY_MAX_BYTES);
    expect(markdown).toContain(
      `_19,950 more rows not shown; the full report is \`${REPORT_FILE}\` (the \`scan-report\` output)._`,
    );
  });

  it('stays under 1 MiB with every one of 20,000 findings asked for, cutting the longest table first', () => {
    const input: SummaryInput = { ...hugeScan(20_000), limits: { findings: Infinity, ignored: Infinity } };
    const markdown = renderSummary(input);
    const bytes = Buffer.byteLength(markdown, 'utf8');
    expect(bytes).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(bytes).toBeLessThan(MiB);
    expect(bytes).toBeGreaterThan(SUMMARY_MAX_BYTES - 16 * 1024);
    const parsed = tables(markdown);
    const findings = parsed.find((t) => t.header.some((h) => h.text === 'Title'));
    const ignored = parsed.find((t) => t.header.some((h) => h.text === 'Why ignored'));
    const shown = findings?.rows.length ?? 0;
    const note = new RegExp(`_([\\d,]+) more rows not shown; the full report is \`${REPORT_FILE}\``, 'g');
    const notes = [...markdown.matchAll(note)].map((m) => Number((m[1] ?? '').replace(/,/g, '')));
    // The findings table was the longest, so it was cut; what it shows and what it says add up.
    expect(notes[0]).toBe(20_000 - shown);
    expect(shown).toBeGreaterThan(100);
    expect((ignored?.rows.length ?? 0) + (notes[1] ?? 0)).toBe(10_000);
    // What comes after the cut tables is all there.
    expect(markdown).toContain('### Verify it yourself');
    expect(markdown).toContain('### Tools');
    checkStructure(
      markdown,
      parsed.map((t) => t.header.map((h) => h.text)),
    );
  });

  it('honours a smaller limit', () => {
    const markdown = renderSummary({
      ...hugeScan(2000),
      limits: { findings: Infinity },
      maxBytes: 64 * 1024,
    });
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(64 * 1024);
    expect(markdown).toMatch(/more rows not shown/);
  });
});

describe('renderPrComment', () => {
  it('condenses: verdict, stages, the base images that need a look, counts, the top five, the verify command', () => {
    const failing = renderPrComment(unsignedBase());
    golden('comment-unsigned-base-image.md', failing);
    const base = tables(failing).find((t) => t.header[1]?.text === 'Line');
    expect(base?.rows.map((r) => r[1]?.text.replace(/^\[(\d+)\].*$/, '$1'))).toEqual(['1', '3', '5']);

    const passing = renderPrComment(fullPass());
    golden('comment-full-pass.md', passing);
    checkStructure(passing, [STAGE_HEADER, SEVERITY_HEADER, FINDINGS_HEADER]);
    expect(passing).not.toContain('Base images ·');
    expect(passing).not.toContain('Ignored findings');
    expect(passing).toContain('#### Verify it yourself');
    expect(passing).toContain("the run's job summary has the full report");

    const huge = renderPrComment(hugeScan(20_000));
    const top = tables(huge).find((t) => t.header[1]?.text === 'ID');
    expect(top?.rows).toHaveLength(5);
    expect(huge).toContain('19,995 more rows not shown');
  });

  it('stays under the comment limit whatever it is asked to list', () => {
    const comment = renderPrComment({ ...hugeScan(20_000), limits: { findings: Infinity } });
    expect(comment.length).toBeLessThan(65_536 - 200);
    expect(comment).toMatch(/more rows not shown/);
  });
});
