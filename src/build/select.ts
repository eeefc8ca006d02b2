import { execTool } from '../util/exec.js';
import type { Builder } from './types.js';
import type { BuilderName } from './types.js';
import { UserError } from '../util/errors.js';

export interface BuilderChoice {
  builder: BuilderName;
  why: string;
}

async function answers(command: string, args: string[]): Promise<boolean> {
  try {
    const r = await execTool({ command, args, timeoutMs: 15_000, label: `${command} probe` });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}

/** `auto`: buildx when a Docker engine answers, else buildah, else podman; and say why. */
export async function chooseBuilder(wanted: Builder): Promise<BuilderChoice> {
  if (wanted !== 'auto') return { builder: wanted, why: `\`builder: ${wanted}\`` };
  if (await answers('docker', ['version', '--format', '{{.Server.Version}}'])) {
    if (await answers('docker', ['buildx', 'version']))
      return { builder: 'docker', why: 'a Docker engine with buildx answered' };
  }
  if (await answers('buildah', ['--version']))
    return { builder: 'buildah', why: 'no Docker engine answered; buildah is installed' };
  if (await answers('podman', ['--version']))
    return { builder: 'podman', why: 'no Docker engine answered; podman is installed' };
  throw new UserError(
    'No builder found: no Docker engine answered, and neither buildah nor podman is installed. Use a GitHub-hosted runner, or install buildah on the self-hosted runner.',
  );
}

/** The first versions whose `build` takes `--build-context` (buildah's own help lists it from 1.28). */
const BUILD_CONTEXT_SINCE: Record<'buildah' | 'podman', [number, number]> = {
  buildah: [1, 28],
  podman: [4, 3],
};

/** The builder's version as `<name> version X.Y.Z` prints it; undefined when it says something else. */
export function builderVersion(text: string): [number, number, number] | undefined {
  const m = /version (\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** `build-contexts` needs a buildah or podman that has `--build-context`; an older one is refused by version. */
export async function requireBuildContexts(builder: BuilderName): Promise<void> {
  if (builder === 'docker') return;
  const r = await execTool({
    command: builder,
    args: ['--version'],
    timeoutMs: 15_000,
    label: `${builder} --version`,
  });
  const version = builderVersion(r.stdout);
  const [major, minor] = BUILD_CONTEXT_SINCE[builder];
  if (!version || version[0] < major || (version[0] === major && version[1] < minor)) {
    throw new UserError(
      `Input \`build-contexts\` needs ${builder} ${major}.${minor} or later (\`--build-context\`); this runner has ${version ? version.join('.') : `a ${builder} whose version could not be read (${r.stdout.trim() || r.stderr.trim()})`}. Install a newer ${builder}, or use \`builder: docker\`.`,
    );
  }
}
