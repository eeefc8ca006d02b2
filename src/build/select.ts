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
