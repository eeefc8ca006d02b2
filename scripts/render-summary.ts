// `tsx scripts/render-summary.ts <summary.md> <out.png> [--title T] [--width 1200] [--html page.html]`:
// a job summary as a maintainer sees it. The markdown becomes HTML the way GitHub renders it
// (GitHub-flavoured markdown through `marked`, a small stylesheet after GitHub's), and headless
// Chromium takes a picture of the whole page. Nothing is fetched: the page allows no network at all.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Marked } from 'marked';
import { execTool } from '../src/util/exec.js';

export const CHROMIUM = '/usr/bin/chromium';

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: #f6f8fa; color: #1f2328;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", "Liberation Sans", "DejaVu Sans", Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
  font-size: 14px; line-height: 1.5; }
.box { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
.box-header { padding: 12px 16px; border-bottom: 1px solid #d1d9e0; font-weight: 600; font-size: 14px; }
.markdown-body { padding: 16px 24px 24px; word-wrap: break-word; }
.markdown-body > :first-child { margin-top: 0 !important; }
h2, h3, h4 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
h3 { font-size: 1.25em; }
h4 { font-size: 1em; }
p, ul, table, pre, details { margin: 0 0 16px; }
ul { padding-left: 2em; }
a { color: #0969da; text-decoration: none; }
a:hover { text-decoration: underline; }
code { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  font-size: 85%; padding: .2em .4em; margin: 0; background: #818b981f; border-radius: 6px; white-space: break-spaces; }
pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45; background: #f6f8fa; border-radius: 6px; }
pre code { padding: 0; background: transparent; white-space: pre; font-size: 100%; }
table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; }
th { font-weight: 600; }
th, td { padding: 6px 13px; border: 1px solid #d1d9e0; }
tr { background: #fff; border-top: 1px solid #d1d9e0b3; }
tr:nth-child(2n) { background: #f6f8fa; }
details summary { cursor: pointer; }
sub { font-size: 75%; color: #59636e; }
`;

// Measures the rendered page, so the screenshot is exactly as tall as the summary. The page's CSP lets
// this script run by its hash and nothing else, so no markup that slipped through escaping could run.
const MEASURE = `document.documentElement.dataset.height = String(Math.ceil(document.documentElement.getBoundingClientRect().height));`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The summary as a standalone page, framed like GitHub's job summary box. */
export function summaryPage(markdown: string, title = 'image summary'): string {
  const body = new Marked({ gfm: true, async: false }).parse(markdown) as string;
  const hash = createHash('sha256').update(MEASURE).digest('base64');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style></head>`,
    `<body><div class="box"><div class="box-header">${escapeHtml(title)}</div><div class="markdown-body">`,
    body,
    `</div></div><script>${MEASURE}</script></body></html>`,
  ].join('\n');
}

function chromiumArgs(profile: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--hide-scrollbars',
    '--force-device-scale-factor=1',
    `--user-data-dir=${profile}`,
  ];
}

async function chromium(args: string[], label: string): Promise<string> {
  const result = await execTool({ command: CHROMIUM, args, timeoutMs: 60_000, label });
  if (result.exitCode !== 0) {
    throw new Error(
      `${label} exited with ${result.exitCode}: ${result.stderr.split('\n').slice(-5).join('\n')}`,
    );
  }
  return result.stdout;
}

/** Renders `markdown` to a PNG of the whole page at `width` CSS pixels; returns the height taken. */
export async function renderSummaryPng(
  markdown: string,
  out: string,
  options: { title?: string; width?: number; htmlOut?: string } = {},
): Promise<{ width: number; height: number }> {
  const width = options.width ?? 1200;
  const dir = mkdtempSync(join(tmpdir(), 'render-summary-'));
  try {
    const html = join(dir, 'summary.html');
    writeFileSync(html, summaryPage(markdown, options.title));
    const url = pathToFileURL(html).href;
    const profile = join(dir, 'profile');
    const dom = await chromium(
      [...chromiumArgs(profile), `--window-size=${width},800`, '--dump-dom', url],
      'chromium --dump-dom',
    );
    const measured = Number(/data-height="(\d+)"/.exec(dom)?.[1] ?? NaN);
    if (!Number.isFinite(measured)) throw new Error('chromium did not report the page height');
    const height = Math.min(Math.max(measured, 200), 16_000);
    await chromium(
      [...chromiumArgs(profile), `--window-size=${width},${height}`, `--screenshot=${resolve(out)}`, url],
      'chromium --screenshot',
    );
    if (!existsSync(out)) throw new Error(`chromium wrote no screenshot to ${out}`);
    if (options.htmlOut) writeFileSync(options.htmlOut, readFileSync(html));
    return { width, height };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  const positional: string[] = [];
  let title: string | undefined;
  let width: number | undefined;
  let htmlOut: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--title') title = argv[++i];
    else if (arg === '--width') width = Number(argv[++i]);
    else if (arg === '--html') htmlOut = argv[++i];
    else positional.push(arg);
  }
  const [input, out] = positional;
  if (!input || !out) {
    process.stderr.write(
      'usage: tsx scripts/render-summary.ts <summary.md> <out.png> [--title T] [--width 1200] [--html page.html]\n',
    );
    process.exitCode = 2;
    return;
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const result = await renderSummaryPng(readFileSync(input, 'utf8'), out, {
    ...(title !== undefined ? { title } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(htmlOut !== undefined ? { htmlOut } : {}),
  });
  process.stdout.write(
    `${out}: ${result.width}×${result.height}${htmlOut ? `; the page: ${htmlOut}` : ''}\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2));
}
