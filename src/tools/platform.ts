import { UserError } from '../util/errors.js';

export type OsName = 'linux' | 'darwin' | 'windows';
export type ArchName = 'amd64' | 'arm64';
export type PlatformKey = `${OsName}/${ArchName}`;

/** The runner's platform in the names release assets use, plus what the tool cache and paths need. */
export interface Platform {
  os: OsName;
  arch: ArchName;
  key: PlatformKey;
  /** As the runner spells them (`RUNNER_OS`, `RUNNER_ARCH`), for messages. */
  runnerOs: string;
  runnerArch: string;
  /** Architecture folder in the tool cache: the runner's name lower-cased (`x64`, `arm64`), as setup-* actions use. */
  cacheArch: string;
  /** `.exe` on Windows. */
  exeSuffix: '' | '.exe';
}

/** Every platform the catalog has assets for, in the runner's own spelling for messages. */
export const SUPPORTED_PLATFORMS: readonly PlatformKey[] = [
  'linux/amd64',
  'linux/arm64',
  'darwin/amd64',
  'darwin/arm64',
  'windows/amd64',
];

const OS_FROM_RUNNER: Readonly<Record<string, OsName>> = {
  linux: 'linux',
  macos: 'darwin',
  windows: 'windows',
};
const ARCH_FROM_RUNNER: Readonly<Record<string, ArchName>> = { x64: 'amd64', arm64: 'arm64' };
const RUNNER_OS_NAME: Readonly<Record<OsName, string>> = {
  linux: 'Linux',
  darwin: 'macOS',
  windows: 'Windows',
};
const RUNNER_ARCH_NAME: Readonly<Record<ArchName, string>> = { amd64: 'X64', arm64: 'ARM64' };

export function describeRunnerPlatform(key: PlatformKey): string {
  const [os, arch] = key.split('/') as [OsName, ArchName];
  return `${RUNNER_OS_NAME[os]} ${RUNNER_ARCH_NAME[arch]}`;
}

/**
 * Maps `RUNNER_OS`/`RUNNER_ARCH` to a supported platform. Anything else is an error that names the platform
 * and lists the supported ones, because guessing an asset for an unknown platform would install the wrong binary.
 */
export function resolvePlatform(
  runnerOs: string,
  runnerArch: string,
  supported: readonly PlatformKey[] = SUPPORTED_PLATFORMS,
): Platform {
  const os = OS_FROM_RUNNER[runnerOs.trim().toLowerCase()];
  const arch = ARCH_FROM_RUNNER[runnerArch.trim().toLowerCase()];
  const key = os && arch ? (`${os}/${arch}` as PlatformKey) : undefined;
  if (!os || !arch || !key || !supported.includes(key)) {
    const shown = `${runnerOs || '(RUNNER_OS unset)'} ${runnerArch || '(RUNNER_ARCH unset)'}`;
    throw new UserError(
      `secure-image cannot install cosign or a scanner on ${shown} (RUNNER_OS=${JSON.stringify(runnerOs)}, ` +
        `RUNNER_ARCH=${JSON.stringify(runnerArch)}). Supported runners: ${supported.map(describeRunnerPlatform).join(', ')}. ` +
        'On another platform, install the tools yourself and pass them with `cosign-path` and `scanner-path`.',
    );
  }
  return {
    os,
    arch,
    key,
    runnerOs,
    runnerArch,
    cacheArch: runnerArch.trim().toLowerCase(),
    exeSuffix: os === 'windows' ? '.exe' : '',
  };
}
