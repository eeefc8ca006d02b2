/**
 * Text from users and tools (image names, finding titles, error messages) goes into the summary and
 * PR comment through these, so it can neither break a table nor inject markdown or HTML.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Only what can open markup: a `[` starts every link and image, so `]`, `(` and `)` stay as they are
      // (escaping them leaves a backslash in URLs that renderers autolink).
      .replace(/([\\`*_[#+|~])/g, '\\$1')
      .replace(/\r?\n|\r/g, ' ')
      // A zero-width space after the `@` of a would-be mention: a finding title must not ping anyone in a PR.
      .replace(/(^|[^\w])@(?=\w)/g, '$1@\u200b')
  );
}

/**
 * For text we write ourselves that may quote user values (stage details): markdown stays (our code
 * spans), but nothing can open HTML, break out of the table cell or start a new line.
 */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ');
}

/**
 * For sentences we write that quote user values (stage details, error messages): our `code spans`
 * stay code spans (nothing inside one is read as markdown or HTML), everything else is escaped, so a
 * quoted image name or tool message cannot add a link, an image or a table cell. `inTable` escapes the
 * `|` inside code spans as GFM tables need.
 */
export function escapeProse(text: string, inTable = true): string {
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(/`([^`\r\n]+)`/g)) {
    out.push(escapeMarkdown(text.slice(last, m.index)));
    out.push(inTable ? cellCode(m[1] ?? '') : code(m[1] ?? ''));
    last = m.index + m[0].length;
  }
  out.push(escapeMarkdown(text.slice(last)));
  return out.join('');
}

/** Inline code that survives any backticks inside it. Code spans show HTML as text, so no escaping inside. */
export function code(text: string): string {
  const clean = text.replace(/\r?\n|\r/g, ' ');
  const runs = clean.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/**
 * Inline code inside a table cell: GFM splits cells on `|` before it reads code spans, even inside them,
 * and turns `\|` back into `|` there.
 */
export function cellCode(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

/** A fenced block (```sh …```) whose fence is longer than any backtick run in the text, so nothing closes it early. */
export function fenced(text: string, info = ''): string {
  const runs = text.match(/`{3,}/g) ?? [];
  const fence = '`'.repeat(Math.max(2, ...runs.map((r) => r.length)) + 1);
  return `${fence}${info}\n${text.replace(/\r\n?/g, '\n').replace(/\n+$/, '')}\n${fence}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [tableRow(header), tableRow(header.map(() => '---')), ...rows.map(tableRow)].join('\n');
}

export function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * An http(s) URL made safe to put in `[text](url)` inside a table cell, or undefined for anything else
 * (`javascript:`, relative paths, garbage from a scanner's database).
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replace(/[()|\\[\]<>`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `[text](url)` when the URL is safe, else the text alone; `text` must already be markdown. */
export function link(text: string, url: string | undefined): string {
  const safe = safeUrl(url);
  return safe ? `[${text}](${safe})` : text;
}

/** At most `max` characters (code points), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** At most `max` lines, the rest said in one line. */
export function truncateLines(text: string, max: number, more: (n: number) => string): string {
  const lines = text.split(/\r?\n/);
  return lines.length <= max ? text : [...lines.slice(0, max), more(lines.length - max)].join('\n');
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
