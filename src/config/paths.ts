import { isAbsolute, relative } from 'node:path';

/** `path` as the repository sees it (`app/.trivyignore`), for annotations; unchanged when outside the workspace. */
export function workspaceRelative(workspace: string, path: string): string {
  const rel = relative(workspace, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/');
}
