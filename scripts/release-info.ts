// What a release is made of: the pin line a user copies, and the notes of a version from CHANGELOG.md.
//   npm run pin-line               → <owner>/secure-image@<sha> # v<version>
//   npm run release-notes -- 1.0.0 → the CHANGELOG.md section of that version (fails when it has none)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The owner/name of a GitHub remote URL (https, ssh or scp form); undefined for anything else. */
export function repositoryOf(remoteUrl: string): string | undefined {
  const m =
    /^(?:https:\/\/github\.com\/|git@github\.com:|ssh:\/\/git@github\.com\/)([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(
      remoteUrl.trim(),
    );
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export interface PinLine {
  line: string;
  /** Said when the owner is a placeholder: where it looked and why it found none. */
  note?: string;
}

/** `uses: <owner>/secure-image@<sha> # v<version>`: the commit, and the version a reader can compare. */
export function pinLine(version: string, sha: string, remoteUrl: string | undefined): PinLine {
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`not a full commit SHA: ${sha}`);
  const repo = remoteUrl ? repositoryOf(remoteUrl) : undefined;
  const uses = `${repo ?? '<owner>/secure-image'}@${sha} # v${version}`;
  if (repo) return { line: `uses: ${uses}` };
  return {
    line: `uses: ${uses}`,
    note:
      remoteUrl === undefined
        ? 'No git remote "origin": <owner> is a placeholder; put the GitHub owner of this repository there.'
        : `The remote "origin" (${remoteUrl}) is not a GitHub repository: <owner> is a placeholder; put the GitHub owner of this repository there.`,
  };
}

/** The section `## [version]` or `## version` of a keep-a-changelog file, without its heading. */
export function releaseNotes(changelog: string, version: string): string {
  const lines = changelog.split(/\r?\n/);
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const heading = new RegExp(`^## \\[?v?${escaped}\\]?(\\s|$)`);
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0)
    throw new Error(`CHANGELOG.md has no section "## [${version}]": add one before tagging v${version}.`);
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
  if (body === '') throw new Error(`CHANGELOG.md's section "## [${version}]" is empty: say what changed.`);
  return `${body}\n`;
}

function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function main(): void {
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const [command, wanted] = process.argv.slice(2);
  if (command === 'notes') {
    const v = (wanted ?? version).replace(/^v/, '');
    if (v !== version) {
      console.error(
        `The tag says v${v} but package.json says ${version}: set "version" to ${v} and tag again.`,
      );
      process.exit(1);
    }
    process.stdout.write(releaseNotes(readFileSync('CHANGELOG.md', 'utf8'), v));
    return;
  }
  const sha = git('rev-parse', 'HEAD');
  if (!sha) {
    console.error('Not in a git checkout: `git rev-parse HEAD` failed.');
    process.exit(1);
  }
  const pin = pinLine(version, sha, git('remote', 'get-url', 'origin'));
  console.log(pin.line);
  if (pin.note) console.error(pin.note);
  if (git('status', '--porcelain', '--', 'src', 'dist', 'action.yml')) {
    console.error('Uncommitted changes in src/, dist/ or action.yml: this SHA is not what you have.');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
