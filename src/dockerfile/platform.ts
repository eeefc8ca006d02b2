/**
 * The automatic platform ARGs BuildKit defines for every build (getPlatformArgs): BUILDPLATFORM,
 * BUILDOS, BUILDARCH, BUILDVARIANT and the same four for TARGET. Values are normalised the way
 * containerd's platforms package formats them ("linux/arm64", "linux/arm/v7").
 */

export interface Platform {
  os: string;
  architecture: string;
  variant: string;
}

/** containerd's Normalize for the common spellings (x86_64, aarch64, armhf, arm64/v8, …). */
export function parsePlatform(text: string): Platform {
  const [rawOs = '', rawArch = '', rawVariant = ''] = text.trim().toLowerCase().split('/');
  const os = rawOs === 'macos' ? 'darwin' : rawOs;
  let architecture = rawArch;
  let variant = rawVariant;
  switch (rawArch) {
    case 'i386':
      architecture = '386';
      variant = '';
      break;
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      architecture = 'amd64';
      if (variant === 'v1') variant = '';
      break;
    case 'aarch64':
    case 'arm64':
      architecture = 'arm64';
      if (variant === '8' || variant === 'v8') variant = '';
      break;
    case 'armhf':
      architecture = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      architecture = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (variant === '' || variant === '7') variant = 'v7';
      else if (variant === '5' || variant === '6' || variant === '8') variant = `v${variant}`;
      break;
    default:
  }
  return { os, architecture, variant };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((part) => part !== '').join('/');
}

export function platformArgs(buildPlatform: string, targetPlatform: string): Map<string, string> {
  const build = parsePlatform(buildPlatform);
  const target = parsePlatform(targetPlatform);
  return new Map([
    ['BUILDPLATFORM', formatPlatform(build)],
    ['BUILDOS', build.os],
    ['BUILDARCH', build.architecture],
    ['BUILDVARIANT', build.variant],
    ['TARGETPLATFORM', formatPlatform(target)],
    ['TARGETOS', target.os],
    ['TARGETARCH', target.architecture],
    ['TARGETVARIANT', target.variant],
  ]);
}
