import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The run directory YOLOv5 would use: `<project>/<name>`, reused with `exist_ok`, otherwise the
 * first free of `<name>`, `<name>2`, `<name>3`, … Created if missing.
 */
export function makeRunDir(project: string, name: string, existOk: boolean): string {
  let dir = join(project, name);
  for (let n = 2; !existOk && existsSync(dir); n += 1) dir = join(project, `${name}${n}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}
