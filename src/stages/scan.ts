import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as core from '@actions/core';
import { logInfo } from '../util/log.js';
import { workspaceRelative, type Config } from '../config/index.js';
import { runUrl } from '../github-context.js';
import { isLoopbackRegistry } from '../registry/client.js';
import { errorMessage, UserError } from '../util/errors.js';
import { runnerPlatform } from './base-images.js';
import { registryOf, type Run, type Stage } from './run.js';

/**
 * Scan: every platform of the pushed digest (or the local archive) against the warmed DB, one JSON report each,
 * every other format from it, and the gate from the parsed report, never the scanner's exit code. Adds `run.scan`
 * and the scan outputs; a failed gate fails the run here, before anything is signed or tagged.
 */
export const scanStage: Stage = {
  id: 'scan',
  skipped: (run) => (run.build ? undefined : 'there is no image to scan'),
  async run(run) {
    const { config, report, build } = run;
    const tools = run.tools;
    const database = run.database;
    if (config.scanner === 'none' || !build || !tools || !database) return;
    const scanner = config.scanner;
    const { readGateRules, runScanStage, gateFailureMessage, scanPlatforms } =
      await import('../scan/scan-target.js');
    run.scan = await report.run('scan', async () => {
      const installed = await tools;
      if (!installed.scanner) throw new UserError(`${scanner} is not installed in this run`);
      const target = build.imageRef
        ? ({ kind: 'registry', ref: build.imageRef } as const)
        : build.archive
          ? ({ kind: 'archive', path: build.archive } as const)
          : undefined;
      if (!target) throw new UserError('The build produced neither a pushed digest nor an archive to scan.');
      const imageRef = build.imageRef ?? config.tags[0] ?? '';
      // The built stage's FROM line; another stage may start from the same image on an earlier line.
      const finalBase = run.baseImages?.finalBase;
      const baseImageLine =
        finalBase?.line ?? run.baseImages?.entries.find((e) => e.image === finalBase?.name)?.line;
      const rules = await readGateRules(
        scanner,
        config.ignoreFile ?? defaultIgnoreFile(config),
        config.vex,
        (p) => workspaceRelative(config.github.workspace || process.cwd(), p),
      );
      // A scan without `--platform` reads the one platform built: the input's, or the runner's, as the build does.
      const platforms = run.platforms ?? config.platforms;
      const defaultPlatform = platforms[0] ?? runnerPlatform(config.github.runnerArch);
      const scanned = scanPlatforms(scanner, target, platforms).platforms.map((p) => p ?? defaultPlatform);
      const baseLayers = await finalBaseLayers(run, scanned);
      // From here a scan runs. One that ends without a verdict (crash, timeout, unreadable report) did not pass:
      // `scan-passed` says false, so a later step that checks for anything but false is not misled by an empty value.
      const value = await runScanStage({
        scanner,
        scannerPath: installed.scanner.path,
        scannerVersion: installed.scanner.version,
        target,
        platforms,
        workDir: run.workDir,
        toolCacheDir: config.github.toolCache || join(run.workDir, 'tool-cache'),
        env: run.toolEnv,
        insecure: target.kind === 'registry' && isLoopbackRegistry(target.ref.split('/')[0] ?? ''),
        gate: { failOn: config.failOnSeverity, ignoreUnfixed: config.ignoreUnfixed, ...rules },
        dockerfile: config.dockerfileRelative,
        ...(baseImageLine !== undefined ? { baseImageLine } : {}),
        ...(baseLayers ? { baseLayers, defaultPlatform } : {}),
        imageRef,
        database,
        ...(config.registryAuth ? { login: { registry: registryOf(config), ...config.registryAuth } } : {}),
        invocation: { uri: runUrl(config.github), eventId: config.github.runId },
        timeoutMs: config.stageTimeoutMs,
      }).catch((error: unknown) => {
        core.setOutput('scan-passed', 'false');
        throw error;
      });
      for (const [name, output] of Object.entries(value.outputs)) core.setOutput(name, output);
      for (const warning of value.warnings) core.warning(warning);
      // An expired entry no longer ignores: said on its line of the ignore file, whether or not there is a summary.
      for (const { rule, message } of value.gate.expiredIgnores) {
        logInfo(message);
        run.annotations.push({
          level: 'warning',
          title: 'Ignore entry expired',
          message,
          ...(isAbsolute(rule.file) ? {} : { file: rule.file, line: rule.line }),
        });
      }
      const c = value.gate.counts;
      const detail = `${c.total} vulnerabilities (${c.critical} critical, ${c.high} high, ${c.fixable} fixable, ${c.ignored} ignored); gate: ${config.failOnSeverity}`;
      run.annotations.push({
        level: value.gate.passed ? 'notice' : 'error',
        title: value.gate.passed ? 'Vulnerability gate passed' : 'Vulnerability gate failed',
        message: value.gate.passed ? detail : (gateFailureMessage(value) ?? detail),
      });
      run.scan = value;
      if (!value.gate.passed) {
        throw new UserError(gateFailureMessage(value) ?? `The vulnerability gate failed: ${detail}`);
      }
      return { value, detail };
    });
  },
};

/**
 * The final base image's layers for each platform scanned, to tell findings of the base from the build's own:
 * a base image built for several platforms has other layers on each.
 */
async function finalBaseLayers(
  run: Run,
  platforms: readonly string[],
): Promise<Record<string, string[]> | undefined> {
  const base = run.baseImages?.finalBase;
  const digest = base?.digest;
  if (!base || !digest) return undefined;
  const [host, ...rest] = base.name.split('/');
  const repository = rest.join('/').replace(/:[^:/]+$/, '');
  const found = await Promise.all(
    [...new Set(platforms)].map(async (platform) => {
      try {
        return [platform, await run.registry.imageLayers(host ?? '', repository, digest, platform)] as const;
      } catch (error) {
        // A registry that fails, or a base image without this platform: either way no layers to compare with.
        logInfo(
          `No ${platform} layers of ${base.name} to tell its findings from the build's (${errorMessage(error)}); the ${platform} findings will not say base or app.`,
        );
        return [platform, []] as const;
      }
    }),
  );
  const layers = Object.fromEntries(found.filter(([, l]) => l.length > 0));
  return Object.keys(layers).length > 0 ? layers : undefined;
}

/** `ignore-file` empty: the scanner's usual file in the context root, when there is one. */
function defaultIgnoreFile(config: Config): string | undefined {
  const names =
    config.scanner === 'grype' ? ['.grype.yaml', '.grype.yml'] : ['.trivyignore.yaml', '.trivyignore'];
  return names.map((n) => join(config.context, n)).find((p) => existsSync(p));
}
