import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * containers/image (buildah, podman) has no per-registry TLS switch on the command line: `--tls-verify=false` turns
 * verification off for every registry the build pulls from, so one loopback base image would let any other registry's
 * pull be intercepted. A registries.conf that marks only the loopback registries `insecure` keeps TLS on for the rest.
 */
export interface RegistriesConf {
  /** Where the file goes; the builder gets it as CONTAINERS_REGISTRIES_CONF. */
  path: string;
  /** Registries (host:port) reached over plain HTTP. */
  insecure: string[];
}

/** The file the builder would read without us: CONTAINERS_REGISTRIES_CONF, the user's, or the system's. */
export function activeRegistriesConf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const candidates = [
    env.CONTAINERS_REGISTRIES_CONF,
    join(env.HOME ?? homedir(), '.config', 'containers', 'registries.conf'),
    '/etc/containers/registries.conf',
  ];
  return candidates.find((path) => path !== undefined && path !== '' && existsSync(path));
}

/**
 * The builder's own settings (search registries, mirrors, short names) with one `[[registry]]` table per loopback
 * registry appended. A v1 file (`[registries.insecure]`) cannot be mixed with v2 tables; then only ours are written,
 * and short names, which the pinned Dockerfile never has, fall back to the builder's defaults.
 */
export function registriesConfText(insecure: readonly string[], current: string | undefined): string {
  const usable = current !== undefined && !/^\s*\[registries\./m.test(current) ? current : '';
  // Its settings without its comment lines: the system file is mostly examples, and RUNNER_TEMP may be tight.
  const base = usable
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .join('\n');
  const ours = insecure.map(
    (location) => `[[registry]]\nlocation = ${JSON.stringify(location)}\ninsecure = true\n`,
  );
  return [base.trimEnd(), '# secure-image: plain HTTP for these loopback registries only', ...ours]
    .filter((part) => part !== '')
    .join('\n\n');
}

/** Writes the file and returns the environment that points the builder at it. */
export function writeRegistriesConf(
  conf: RegistriesConf,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const current = activeRegistriesConf(env);
  writeFileSync(
    conf.path,
    `${registriesConfText(conf.insecure, current ? readFileSync(current, 'utf8') : undefined)}\n`,
  );
  return { CONTAINERS_REGISTRIES_CONF: conf.path };
}
