import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, errorMessage } from '../util/errors.js';
import {
  GRYPE_SCAN_CONFIG,
  type RegistryLogin,
  type ScanTarget,
  type Scanner,
  dockerConfigJson,
  grypeEnv,
  grypeScanArgs,
  platformSlug,
  targetIsInsecure,
  trivyConvertArgs,
  trivyEnv,
  trivyScanArgs,
} from './args.js';
import { type CosignVulnOptions, toCosignVulnPredicate } from './cosign-vuln.js';
import { type CacheService, type DatabaseState, STALE_DB_HOURS, saveDatabase } from './database.js';
import {
  type ScanReport,
  SEVERITIES,
  type Severity,
  type SummaryFinding,
  isFixable,
  summaryFinding,
} from './finding.js';
import { type Counts, type GateOptions, type GateResult, countsJson, evaluateGate } from './gate.js';
import { type IgnoreRule, parseIgnoreFile } from './ignore-file.js';
import { type PlatformReport, mergeCycloneDx, mergeRaw, mergeReports } from './merge.js';
import { type Exec, type ScanPlan, runScan, runToolStep, withoutScannerVariables } from './run.js';
import { toSarifForWriting } from './sarif.js';
import { type VexStatement, parseOpenVex } from './vex.js';
import { writeJsonFile } from '../util/json-file.js';

/**
 * The scan stage as the pipeline calls it: wait for the warmed DB, scan every platform at once against it (one
 * scanner run each, to JSON), read the reports, gate, and write every other format from the same reports: SARIF
 * (ours, located in the Dockerfile), the CycloneDX SBOM (`trivy convert`, or grype's second output of the same
 * run) and the cosign vuln predicate. The DB is saved to the Actions cache whatever the verdict.
 */
export interface ScanStageInput {
  scanner: Scanner;
  scannerPath: string;
  scannerVersion: string;
  /** The pushed digest (`repo@sha256:…`) or the build's OCI archive; its `platform` is ignored, see `platforms`. */
  target: ScanTarget;
  /** The platforms built; several are scanned concurrently, one scan each. */
  platforms: string[];
  /** Under RUNNER_TEMP; the stage writes into `<workDir>/scan`. */
  workDir: string;
  /** RUNNER_TOOL_CACHE (the DB lives there; kept for callers that warm the DB from here). */
  toolCacheDir: string;
  /** Proxy, CA and DOCKER_CONFIG for the registry login; scanner variables (`TRIVY_*`, `GRYPE_*`) are dropped. */
  env: Record<string, string>;
  /** Plain HTTP / unverified TLS for the registry; loopback registries are insecure anyway. */
  insecure: boolean;
  gate: Omit<GateOptions, 'now'> & { now?: Date };
  /** Repository-relative Dockerfile path, for the SARIF locations. */
  dockerfile: string;
  baseImageLine?: number;
  /**
   * Layer digests / diff IDs of the final base image by platform (`linux/arm64`), to tell base-image findings from
   * the build's own; each platform's scan is read against its own platform's layers.
   */
  baseLayers?: Readonly<Record<string, string[]>>;
  /** The platform of a scan that runs without `--platform` (one platform): the one built, or the runner's. */
  defaultPlatform?: string;
  imageRef: string;
  database: Promise<DatabaseState>;
  /** A login for the target registry when no docker config holds one; never put in argv. */
  login?: RegistryLogin;
  /** The whole stage's budget for scanner processes; default 15 minutes. */
  timeoutMs?: number;
  /** SARIF `runAutomationDetails.id`, for several images analysed in one workflow. */
  automationId?: string;
  /** Where the scan ran (workflow run URL…), for the cosign vuln predicate. */
  invocation?: CosignVulnOptions['invocation'];
  cache?: CacheService;
  exec?: Exec;
}

/** What the report stage shows about the scan. */
export interface ScanSummary {
  scanner: Scanner;
  scannerVersion: string;
  imageRef: string;
  /** The platforms scanned; empty for a single-platform image. */
  platforms: string[];
  passed: boolean;
  failOn: Severity | 'never';
  ignoreUnfixed: boolean;
  counts: Counts;
  /** Of each severity, how many an upgrade fixes (each vulnerability in each package version once). */
  fixableBySeverity: Record<Severity, number>;
  /** The findings that count, most severe and fixable first; at most TOP_FINDINGS. */
  top: SummaryFinding[];
  /** How many findings fail the gate. */
  blocking: number;
  /** What was ignored and why; at most IGNORED_LISTED, `counts.ignored` has the total. */
  ignored: Array<SummaryFinding & { reason: string }>;
  expiredIgnores: string[];
  database: {
    source: DatabaseState['source'];
    updatedAt?: string;
    ageHours?: number;
    repository?: string;
    stale: boolean;
    /** trivy's Java index DB, when one was in place for the scans (several hundred MB: where it came from counts). */
    java?: { source: DatabaseState['source']; updatedAt?: string };
  };
  warnings: string[];
  durationMs: number;
}

export interface ScanStageResult {
  /** The merged report the gate read (one platform: that platform's report). */
  report: ScanReport;
  gate: GateResult;
  /** The scanner's JSON report (`scan-report`); for several platforms, the platforms' reports merged. */
  reportFile: string;
  sarifFile: string;
  sbomFile: string;
  vulnPredicateFile?: string;
  platformReports: Array<{ platform?: string; reportFile: string; sbomFile: string }>;
  database: DatabaseState;
  durationMs: number;
  warnings: string[];
  summary: ScanSummary;
  /** The action outputs this stage owns, ready for `core.setOutput`. */
  outputs: {
    vulnerabilities: string;
    'scan-passed': 'true' | 'false';
    'scan-report': string;
    'sarif-file': string;
    'sbom-file': string;
  };
}

export type { SummaryFinding } from './finding.js';

export const DEFAULT_SCAN_TIMEOUT_MS = 15 * 60 * 1000;
export const TOP_FINDINGS = 10;
export const IGNORED_LISTED = 50;

const SCANNER_URI: Record<Scanner, string> = {
  trivy: 'https://github.com/aquasecurity/trivy',
  grype: 'https://github.com/anchore/grype',
};

/**
 * Which scans to run. A trivy archive scan reads only the first image of a multi-platform OCI archive (trivy
 * pkg/fanal/image/oci.go: `--platform` applies to registry images), so the other platforms cannot be scanned
 * from it; that is said, not hidden. One platform is scanned without `--platform`, so a single-platform image
 * never fails on a platform mismatch.
 */
export function scanPlatforms(
  scanner: Scanner,
  target: ScanTarget,
  platforms: readonly string[],
): { platforms: Array<string | undefined>; warning?: string } {
  const unique = [...new Set(platforms.map((p) => p.trim()).filter((p) => p !== ''))];
  if (unique.length <= 1) return { platforms: [undefined] };
  if (scanner === 'trivy' && target.kind === 'archive') {
    return {
      platforms: [undefined],
      warning: `trivy reads only the first image of a multi-platform OCI archive, so only one of ${unique.join(', ')} was scanned. Push the image (\`push: true\`) or use \`scanner: grype\` to scan every platform.`,
    };
  }
  return { platforms: unique };
}

/** The summary data from a gate result (pure). */
export function scanSummary(input: {
  scanner: Scanner;
  scannerVersion: string;
  imageRef: string;
  platforms: string[];
  ignoreUnfixed: boolean;
  gate: GateResult;
  database: DatabaseState;
  warnings: string[];
  durationMs: number;
}): ScanSummary {
  const { gate, database } = input;
  const fixableBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of [...gate.top, ...gate.ignored.map((i) => i.finding)]) {
    if (isFixable(f)) fixableBySeverity[f.severity] += 1;
  }
  return {
    scanner: input.scanner,
    scannerVersion: input.scannerVersion,
    imageRef: input.imageRef,
    platforms: input.platforms,
    passed: gate.passed,
    failOn: gate.failOn,
    ignoreUnfixed: input.ignoreUnfixed,
    counts: gate.counts,
    fixableBySeverity,
    top: gate.top.slice(0, TOP_FINDINGS).map(summaryFinding),
    blocking: gate.blocking.length,
    ignored: gate.ignored
      .slice(0, IGNORED_LISTED)
      .map((i) => ({ ...summaryFinding(i.finding), reason: i.reason })),
    expiredIgnores: gate.expiredIgnores.map((e) => e.message),
    database: {
      source: database.source,
      ...(database.updatedAt ? { updatedAt: database.updatedAt.toISOString() } : {}),
      ...(database.ageHours !== undefined ? { ageHours: database.ageHours } : {}),
      ...(database.repository ? { repository: database.repository } : {}),
      stale: database.ageHours !== undefined && database.ageHours > STALE_DB_HOURS,
      ...(database.java?.ready && database.java.source
        ? {
            java: {
              source: database.java.source,
              ...(database.java.updatedAt ? { updatedAt: database.java.updatedAt.toISOString() } : {}),
            },
          }
        : {}),
    },
    warnings: input.warnings,
    durationMs: input.durationMs,
  };
}

/** The message a failed gate stops the pipeline with (before signing), or undefined when it passed. */
export function gateFailureMessage(result: Pick<ScanStageResult, 'gate' | 'summary'>): string | undefined {
  const { gate } = result;
  if (gate.passed) return undefined;
  const n = gate.blocking.length;
  const listed = gate.blocking.slice(0, 5).map((f) => {
    const fix = isFixable(f) ? `fixed in ${f.fixedVersions.join(', ') || 'a newer version'}` : 'no fix yet';
    return `- ${f.id} (${f.severity}) in ${f.packageName} ${f.installedVersion}: ${fix}`;
  });
  const more = n > listed.length ? [`- … and ${n - listed.length} more`] : [];
  return [
    `The scan found ${n} vulnerabilit${n === 1 ? 'y' : 'ies'} at or above \`fail-on-severity: ${gate.failOn}\` that ${n === 1 ? 'is' : 'are'} not ignored, so the image is not signed:`,
    ...listed,
    ...more,
    'Upgrade the packages or the base image, or, when a finding does not apply, record why in the ignore file (`ignore-file`) or a VEX document (`vex`).',
  ].join('\n');
}

/**
 * The ignore rules and VEX statements the gate reads, from the files the inputs name. `display` names a file in
 * what the rules and their messages say (the workspace-relative path, which annotations need).
 */
export async function readGateRules(
  scanner: Scanner,
  ignoreFile: string | undefined,
  vexFiles: readonly string[],
  display: (path: string) => string = (path) => path,
): Promise<{ ignores: IgnoreRule[]; vex: VexStatement[] }> {
  const read = async (path: string, input: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new UserError(`Input \`${input}\`: cannot read ${path}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  };
  const ignores = ignoreFile
    ? parseIgnoreFile(scanner, await read(ignoreFile, 'ignore-file'), display(ignoreFile))
    : [];
  const vex: VexStatement[] = [];
  for (const file of vexFiles) vex.push(...parseOpenVex(await read(file, 'vex'), file));
  return { ignores, vex };
}

/** A docker config dir holding only the login, for trivy (see `trivyEnv` for why not TRIVY_USERNAME). */
async function writeLoginDir(dir: string, login: RegistryLogin): Promise<string> {
  const path = join(dir, `auth-${randomBytes(6).toString('hex')}`);
  await mkdir(path, { recursive: true, mode: 0o700 });
  const file = join(path, 'config.json');
  await writeFile(file, dockerConfigJson(login), { mode: 0o600 });
  await chmod(file, 0o600);
  return path;
}

/** Runs every promise to the end (no scanner left running), then throws the first failure. */
async function allOrFirstError<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  const first = failures[0];
  if (first) {
    if (failures.length > 1 && first.reason instanceof Error) {
      first.reason.message += `\n(${failures.length - 1} other platform scan${failures.length === 2 ? '' : 's'} failed too.)`;
    }
    throw first.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

export async function runScanStage(input: ScanStageInput): Promise<ScanStageResult> {
  const started = performance.now();
  const database = await input.database;
  // The DB is as good after a failed gate or a crashed scan as after a pass: it is kept for the next run.
  const save = (scansCompleted: boolean): ReturnType<typeof saveDatabase> =>
    saveDatabase(database, { scansCompleted, ...(input.cache ? { cache: input.cache } : {}) });
  let result: ScanStageResult;
  try {
    result = await scanWithDatabase(input, database, started);
  } catch (error) {
    await save(false);
    throw error;
  }
  const saved = await save(true);
  // The summary holds the same array.
  if (saved.warning) result.warnings.push(saved.warning);
  return result;
}

async function scanWithDatabase(
  input: ScanStageInput,
  database: DatabaseState,
  started: number,
): Promise<ScanStageResult> {
  const budgetMs = input.timeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS;
  const deadline = Date.now() + budgetMs;
  const remaining = (): number => Math.max(1000, deadline - Date.now());
  const scanStarted = new Date();
  const dir = join(input.workDir, 'scan');
  await mkdir(dir, { recursive: true });

  const warnings: string[] = [...database.warnings];
  const chosen = scanPlatforms(input.scanner, input.target, input.platforms);
  if (chosen.warning) warnings.push(chosen.warning);
  const insecure = targetIsInsecure(input.target, input.insecure);
  const baseEnv = withoutScannerVariables(input.env);
  const secrets = input.login ? [input.login.password] : [];
  let loginDir: string | undefined;
  let grypeConfig: string | undefined;
  if (input.scanner === 'trivy' && input.login) loginDir = await writeLoginDir(dir, input.login);
  if (input.scanner === 'grype') {
    grypeConfig = join(dir, 'grype-config.yaml');
    await writeFile(grypeConfig, GRYPE_SCAN_CONFIG);
  }
  const scanEnv: Record<string, string> =
    input.scanner === 'trivy'
      ? { ...baseEnv, ...trivyEnv(loginDir ? { dockerConfigDir: loginDir } : {}) }
      : {
          ...baseEnv,
          ...grypeEnv({
            dbDir: database.dir,
            insecureHttp: insecure,
            ...(input.login ? { login: input.login } : {}),
          }),
        };

  try {
    const several = chosen.platforms.length > 1;
    const plans = chosen.platforms.map((platform) => {
      const suffix = several ? `-${platformSlug(platform)}` : '';
      const reportFile = join(dir, `${input.scanner}-report${suffix}.json`);
      const sbomFile = join(dir, `sbom${suffix}.cdx.json`);
      const target: ScanTarget = { ...input.target, ...(platform ? { platform } : {}) };
      if (!platform) delete target.platform;
      const common = {
        scanner: input.scanner,
        command: input.scannerPath,
        env: scanEnv,
        secrets,
        cwd: dir,
        budgetMs,
        reportFile,
        ...(platform ? { platform } : {}),
      };
      const timeoutMs = remaining();
      const plan: ScanPlan =
        input.scanner === 'trivy'
          ? {
              ...common,
              args: trivyScanArgs({
                target,
                cacheDir: database.dir,
                output: reportFile,
                insecure,
                timeoutSeconds: timeoutMs / 1000 + 30,
                skipJavaDbUpdate: database.java?.ready === true,
              }),
              timeoutMs,
              label: 'trivy image',
            }
          : {
              ...common,
              args: grypeScanArgs({
                target,
                output: reportFile,
                sbomOutput: sbomFile,
                ...(grypeConfig ? { configFile: grypeConfig } : {}),
              }),
              timeoutMs,
              extraFiles: [sbomFile],
              label: 'grype',
            };
      return { plan, platform, reportFile, sbomFile };
    });

    const runs = await allOrFirstError(
      plans.map(({ plan, platform }) => {
        const baseLayers = input.baseLayers?.[platform ?? input.defaultPlatform ?? ''];
        return runScan(plan, {
          ...(baseLayers ? { baseLayers } : {}),
          ...(input.exec ? { exec: input.exec } : {}),
        });
      }),
    );

    // The SBOM from the same report: grype wrote it in the scan run; trivy converts its JSON, in its own process
    // while this one reads the report, applies the gate and writes the SARIF and the vuln predicate.
    const sbomsWritten = (async (): Promise<void> => {
      if (input.scanner === 'trivy') {
        await allOrFirstError(
          plans.map(({ reportFile, sbomFile, platform }) =>
            runToolStep(
              {
                command: input.scannerPath,
                args: trivyConvertArgs('cyclonedx', reportFile, sbomFile),
                env: { ...baseEnv, ...trivyEnv() },
                cwd: dir,
                timeoutMs: remaining(),
                budgetMs,
                label: `trivy convert --format cyclonedx${platform ? ` (${platform})` : ''}`,
                output: sbomFile,
              },
              input.exec,
            ),
          ),
        );
      } else {
        for (const { sbomFile, platform } of plans) {
          const text = await readFile(sbomFile, 'utf8').catch(() => '');
          if (text.trim() === '') {
            throw new UserError(
              `grype${platform ? ` (${platform})` : ''} wrote its JSON report but no CycloneDX SBOM at ${sbomFile}.`,
            );
          }
        }
      }
    })();
    // Awaited below; a failure here must not go unhandled while the report is read.
    sbomsWritten.catch(() => undefined);

    const platformReports: PlatformReport[] = plans.map((p, i) => ({
      ...(p.platform ? { platform: p.platform } : {}),
      report: (runs[i] as (typeof runs)[number]).report,
    }));
    const report = mergeReports(platformReports, input.imageRef);

    let reportFile = plans[0]?.reportFile ?? '';
    let sbomFile = plans[0]?.sbomFile ?? '';
    if (several) {
      reportFile = join(dir, `${input.scanner}-report.json`);
      // Each platform's report is read again here rather than kept in memory through the scans: a report
      // of many thousand findings is parsed one finding at a time, and only a multi-platform image needs it whole.
      const raws = await Promise.all(
        plans.map(async (p) => JSON.parse(await readFile(p.reportFile, 'utf8')) as unknown),
      );
      await writeJsonFile(reportFile, mergeRaw(raws, input.scanner, input.imageRef));
    }

    const gate = evaluateGate(report, {
      ...input.gate,
      now: input.gate.now ?? new Date(),
      imageName: input.gate.imageName ?? input.imageRef,
    });

    const sarifFile = join(dir, 'results.sarif');
    await writeJsonFile(
      sarifFile,
      toSarifForWriting(report, gate, {
        dockerfile: input.dockerfile,
        ...(input.baseImageLine !== undefined ? { baseImageLine: input.baseImageLine } : {}),
        toolVersion: input.scannerVersion,
        imageRef: input.imageRef,
        ...(input.automationId ? { automationId: input.automationId } : {}),
      }),
    );

    // One predicate shape for both scanners (built from the Finding model), so one policy reads either.
    const vulnPredicateFile = join(dir, 'vuln-predicate.json');
    await writeJsonFile(
      vulnPredicateFile,
      toCosignVulnPredicate(report, {
        scannerUri: SCANNER_URI[input.scanner],
        scannerVersion: input.scannerVersion,
        ...(database.repository ? { dbUri: database.repository } : {}),
        ...(database.updatedAt ? { dbVersion: database.updatedAt.toISOString() } : {}),
        startedOn: scanStarted,
        finishedOn: new Date(),
        ...(input.invocation ? { invocation: input.invocation } : {}),
      }),
    );

    await sbomsWritten;
    if (several) {
      sbomFile = join(dir, 'sbom.cdx.json');
      const boms = await Promise.all(
        plans.map(async (p) => JSON.parse(await readFile(p.sbomFile, 'utf8')) as unknown),
      ).catch((error: unknown) => {
        throw new UserError(`The scanner's CycloneDX SBOM is not JSON: ${errorMessage(error)}`, {
          cause: error,
        });
      });
      await writeJsonFile(
        sbomFile,
        mergeCycloneDx(
          boms,
          chosen.platforms.filter((p): p is string => !!p),
        ),
      );
    }

    const durationMs = Math.round(performance.now() - started);
    const summary = scanSummary({
      scanner: input.scanner,
      scannerVersion: input.scannerVersion,
      imageRef: input.imageRef,
      platforms: chosen.platforms.filter((p): p is string => !!p),
      ignoreUnfixed: input.gate.ignoreUnfixed,
      gate,
      database,
      warnings,
      durationMs,
    });
    return {
      report,
      gate,
      reportFile,
      sarifFile,
      sbomFile,
      vulnPredicateFile,
      platformReports: plans.map((p) => ({
        ...(p.platform ? { platform: p.platform } : {}),
        reportFile: p.reportFile,
        sbomFile: p.sbomFile,
      })),
      database,
      durationMs,
      warnings,
      summary,
      outputs: {
        vulnerabilities: countsJson(gate.counts),
        'scan-passed': gate.passed ? 'true' : 'false',
        'scan-report': reportFile,
        'sarif-file': sarifFile,
        'sbom-file': sbomFile,
      },
    };
  } finally {
    if (loginDir) await rm(loginDir, { recursive: true, force: true });
  }
}
