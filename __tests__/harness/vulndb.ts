// Vulnerability DBs the tests write themselves, and an image with packages they know: what the real trivy and grype
// scan against offline. secure-image-vulndb (scripts/vulndb, built by scripts/install-real-tools.sh) writes trivy's
// DB with trivy-db's own writer and grype's with grype's own v6 build pipeline, from the advisories below; the image
// is the busybox of registry.ts with a Debian 12 os-release and a dpkg database (one status file per package under
// /var/lib/dpkg/status.d/, as distroless images have it), so each package sits in the layer that added it.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pushBusyboxImageWith, type Registry } from './registry.js';

const run = promisify(execFile);

export type AdvisorySeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/** One advisory as secure-image-vulndb reads it: versions below `fixed` are vulnerable; `fixed` empty: no fix. */
export interface Advisory {
  os: 'debian';
  release: string;
  package: string;
  fixed: string;
  id: string;
  severity: AdvisorySeverity;
  title: string;
}

export interface DebPackage {
  name: string;
  version: string;
}

/** In the base image (its own layer). */
export const BASE_PACKAGE: DebPackage = { name: 'sihello-base', version: '1.0-1' };
/** Added by the app's Dockerfile (a layer of the build). */
export const APP_PACKAGE: DebPackage = { name: 'sihello-app', version: '2.4.1-1' };

const debian = (
  pkg: DebPackage,
  id: string,
  severity: AdvisorySeverity,
  fixed: string,
  title: string,
  release = '12',
): Advisory => ({ os: 'debian', release, package: pkg.name, fixed, id, severity, title });

/**
 * Fixed and unfixed, every severity, in the base and in the app; and two that must not match: one fixed before the
 * installed version, one for another Debian release.
 */
export const ADVISORIES: readonly Advisory[] = [
  debian(
    BASE_PACKAGE,
    'CVE-2099-1001',
    'CRITICAL',
    '1.0-2',
    'sihello-base: heap overflow in the greeting parser',
  ),
  debian(BASE_PACKAGE, 'CVE-2099-1002', 'HIGH', '', 'sihello-base: greeting read past its end'),
  debian(BASE_PACKAGE, 'CVE-2099-1003', 'LOW', '0.9-1', 'sihello-base: fixed before the installed version'),
  debian(APP_PACKAGE, 'CVE-2099-2001', 'CRITICAL', '', 'sihello-app: remote greeting injection'),
  debian(APP_PACKAGE, 'CVE-2099-2002', 'MEDIUM', '2.4.1-3', 'sihello-app: greeting timing leak'),
  debian(APP_PACKAGE, 'CVE-2099-2003', 'LOW', '2.4.1-2', 'sihello-app: verbose greeting log'),
  debian(BASE_PACKAGE, 'CVE-2099-3001', 'CRITICAL', '', 'sihello-base on Debian 11 only', '11'),
];

/** What a scan of the app image must find: the advisories that match an installed version on Debian 12. */
export function expectedFindings(advisories: readonly Advisory[] = ADVISORIES): Advisory[] {
  return advisories.filter((a) => a.release === '12' && a.id !== 'CVE-2099-1003');
}

/** A dpkg status paragraph, as one file of /var/lib/dpkg/status.d/ holds it. */
export function dpkgStatus(pkg: DebPackage): string {
  return [
    `Package: ${pkg.name}`,
    'Status: install ok installed',
    'Priority: optional',
    'Section: libs',
    'Maintainer: Secure Image Tests <tests@example.com>',
    'Architecture: amd64',
    `Version: ${pkg.version}`,
    `Description: ${pkg.name}, a package the tests declare`,
    '',
  ].join('\n');
}

/** The files that make the busybox image a Debian 12 with BASE_PACKAGE installed. */
export function debianBaseFiles(): Record<string, string> {
  return {
    '/etc/os-release': [
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
      'NAME="Debian GNU/Linux"',
      'VERSION_ID="12"',
      'VERSION="12 (bookworm)"',
      'VERSION_CODENAME=bookworm',
      'ID=debian',
      '',
    ].join('\n'),
    '/etc/debian_version': '12.5\n',
    [`/var/lib/dpkg/status.d/${BASE_PACKAGE.name}`]: dpkgStatus(BASE_PACKAGE),
  };
}

/** Builds and pushes the Debian-flavoured busybox base image. */
export function pushDebianBase(
  registry: Registry,
  repo: string,
  tag: string,
): Promise<{ ref: string; digest: string }> {
  return pushBusyboxImageWith(registry, repo, tag, debianBaseFiles());
}

/**
 * The app's build context in `dir`: a Dockerfile from `base` that installs APP_PACKAGE the way a package manager
 * leaves it (its status file), and that file.
 */
export function writeAppContext(dir: string, base: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'Dockerfile'),
    [
      `FROM ${base}`,
      `COPY ${APP_PACKAGE.name}.status /var/lib/dpkg/status.d/${APP_PACKAGE.name}`,
      'USER 65532',
      'ENTRYPOINT ["/bin/sh"]',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, `${APP_PACKAGE.name}.status`), dpkgStatus(APP_PACKAGE));
}

export interface VulnDbs {
  /** trivy's cache dir: the DB is in `<trivy>/db` (trivy.db, metadata.json). */
  trivy: string;
  /** grype's DB cache dir (GRYPE_DB_CACHE_DIR): the v6 DB is in `<grype>/6`. */
  grype: string;
  built: Date;
}

/** Runs secure-image-vulndb: both scanners' DBs in `dir`, saying they were built at `built`. */
export async function writeVulnDbs(
  tool: string,
  dir: string,
  options: { advisories?: readonly Advisory[]; built: Date },
): Promise<VulnDbs> {
  mkdirSync(dir, { recursive: true });
  const input = join(dir, 'advisories.json');
  writeFileSync(
    input,
    JSON.stringify({ built: options.built.toISOString(), advisories: options.advisories ?? ADVISORIES }),
  );
  const dbs = { trivy: join(dir, 'trivy'), grype: join(dir, 'grype'), built: options.built };
  await run(tool, ['-in', input, '-trivy', dbs.trivy, '-grype', dbs.grype], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: dir },
    timeout: 60_000,
  });
  return dbs;
}

/**
 * Puts a scanner's DB where a runner keeps it between jobs: the directory under RUNNER_TOOL_CACHE the action's
 * warm-up uses (`<tool cache>/secure-image/<scanner>-db`, the one its "restore the DB into … before this step"
 * error names), as a self-hosted runner has it from an earlier run or a step restores it from the Actions cache.
 */
export function seedToolCache(toolCache: string, scanner: 'trivy' | 'grype', dbs: VulnDbs): string {
  const dir = join(toolCache, 'secure-image', `${scanner}-db`);
  mkdirSync(dir, { recursive: true });
  cpSync(scanner === 'trivy' ? dbs.trivy : dbs.grype, dir, { recursive: true });
  return dir;
}
