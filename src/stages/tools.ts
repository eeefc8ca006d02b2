import { join } from 'node:path';
import { logInfo } from '../util/log.js';
import type { DatabaseState } from '../scan/database.js';
import type { InstallResult, ToolReport } from '../tools/install.js';
import type { Run } from './run.js';

/** Starts a promise now and keeps an unawaited rejection from ending the process; it is awaited later. */
export function early<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Tools: cosign and the scanner, installed and verified into the tool cache. Starts at once and runs beside the
 * Dockerfile read; `run.cosign` resolves as soon as cosign is verified, so the base-image checks need not wait
 * for the scanner. Sets `run.tools`, `run.cosign` and `run.installed`.
 */
export function startTools(run: Run): void {
  const { config, plan, report } = run;
  const needCosign = (plan['base-images'].run && config.verifyBaseImages !== 'off') || plan.sign.run;
  const needScanner = plan.scan.run && config.scanner !== 'none';
  if (!needCosign && !needScanner) {
    if (plan.tools.run) report.set('tools', 'skipped', 'no stage in this run needs cosign or a scanner');
    return;
  }
  let announce: (report: ToolReport) => void = () => undefined;
  const announced = new Promise<ToolReport>((resolve) => (announce = resolve));
  run.tools = early(report.run('tools', () => install(run, needCosign, needScanner, announce)));
  // A failed install of cosign rejects `tools` first, and with it this.
  run.cosign = early(Promise.race([announced, run.tools.then((t) => t.cosign)]));
}

async function install(
  run: Run,
  needCosign: boolean,
  needScanner: boolean,
  onCosign: (cosign: ToolReport) => void,
): Promise<{ value: InstallResult; detail: string }> {
  const { config } = run;
  const { installTools } = await import('../tools/install.js');
  const value = await installTools(
    {
      needCosign,
      scanner: needScanner && config.scanner !== 'none' ? config.scanner : 'none',
      runnerOs: config.github.runnerOs,
      runnerArch: config.github.runnerArch,
      ...(config.cosignVersion ? { cosignVersion: config.cosignVersion } : {}),
      ...(config.scannerVersion ? { scannerVersion: config.scannerVersion } : {}),
      ...(config.cosignPath ? { cosignPath: config.cosignPath } : {}),
      ...(config.scannerPath ? { scannerPath: config.scannerPath } : {}),
      ...(config.toolMirror ? { toolMirror: config.toolMirror } : {}),
    },
    { ...run.seams.install, onCosign },
  );
  run.installed = value;
  const describe = (t: ToolReport): string =>
    `${t.name} ${t.version} (${t.source === 'provided' ? 'provided, not verified' : t.source === 'cache' ? 'tool cache, re-verified' : 'downloaded, verified'})`;
  const detail = [value.cosign, value.scanner]
    .filter((t): t is ToolReport => t !== undefined)
    .map(describe)
    .join('; ');
  // A provided binary runs unverified: the row says so, as the Tools table under it does.
  const provided = [value.cosign, value.scanner].some((t) => t?.source === 'provided');
  return { value, detail, ...(provided ? { status: 'warning' as const } : {}) };
}

/**
 * The vulnerability DB warms beside the build, for the scan. A run that fails before its scan stops it (the
 * returned `stop`), so it ends at once rather than waiting for a download nobody will read. By the time a scan has
 * run, the warm-up has finished and the scan stage has saved the DB, so stopping it then changes nothing.
 */
export function startDatabaseWarmup(run: Run): { stop: () => void } {
  const { config, plan } = run;
  const tools = run.tools;
  if (!plan.scan.run || config.scanner === 'none' || !tools) return { stop: () => undefined };
  const scanner = config.scanner;
  const warmup = new AbortController();
  let warmed = false;
  const database: Promise<DatabaseState> = early(
    tools.then(async (t) => {
      const { warmDatabase } = await import('../scan/database.js');
      return warmDatabase({
        scanner,
        scannerPath: t.scanner?.path ?? '',
        toolCacheDir: config.github.toolCache || join(run.workDir, 'tool-cache'),
        env: run.toolEnv,
        log: (m) => logInfo(m),
        signal: warmup.signal,
      });
    }),
  );
  void database.then(
    () => (warmed = true),
    () => (warmed = true),
  );
  run.database = database;
  return {
    stop: () => {
      if (!warmed) logInfo('Stopping the vulnerability DB warm-up: the run ended before its scan.');
      warmup.abort();
    },
  };
}
