import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import type { Config } from '../config/index.js';
import { RegistryClient } from '../registry/client.js';
import { lookupCredentials, writeAuthDir } from '../registry/credentials.js';
import { RunReport } from '../report/run-report.js';
import { baseEnvironment } from '../util/exec.js';
import { loadPolicyFile } from './base-images.js';
import { planStages } from './plan.js';
import { registryOf, type Run, type RunSeams } from './run.js';

/**
 * The run's shared state from good inputs: the trust policy (a malformed one is an input error too, reported before
 * anything runs, on its own lines), the plan, the report, the work folder, the registry login and client.
 */
export async function setUp(config: Config, seams: RunSeams): Promise<Run> {
  const policyFile = loadPolicyFile(config);
  const plan = planStages(config);
  const report = new RunReport(plan);
  for (const record of report.list()) {
    if (record.status === 'skipped') core.notice(`${record.title} skipped: ${record.detail}.`);
  }
  const workDir = join(config.github.runnerTemp || process.cwd(), `secure-image-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const authDir = config.registryAuth
    ? writeAuthDir(workDir, registryOf(config), config.registryAuth)
    : undefined;
  const registry = new RegistryClient({
    onWriteRetry: (message) => core.warning(message),
    writeTimeoutMs: config.stageTimeoutMs,
    credentials: lookupCredentials(
      authDir ? { ...process.env, DOCKER_CONFIG: authDir.dir } : process.env,
      config.registryAuth ? { registry: registryOf(config), credentials: config.registryAuth } : undefined,
    ),
  });
  return {
    config,
    plan,
    report,
    annotations: [],
    registry,
    toolEnv: { ...baseEnvironment(), ...(authDir ? { DOCKER_CONFIG: authDir.dir } : {}) },
    workDir,
    ...(authDir ? { authDir } : {}),
    ...(policyFile ? { policyFile } : {}),
    seams,
  };
}
