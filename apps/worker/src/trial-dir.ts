import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface TrialDir {
  /** `<index>-<attempt>`, or `<index>-<attempt>-r2`, … when a stalled run of the same attempt left its directory. */
  runName: string;
  /** `<workdir>/<campaign>`: YOLOv5's --project. */
  projectDir: string;
  /** `<projectDir>/<runName>`, freshly created and empty. */
  path: string;
}

/**
 * Creates a directory no other run has used. mkdir without `recursive` fails on an existing
 * directory, so two workers sharing a workdir can never pick the same name; a fresh name also
 * keeps YOLOv5's --exist-ok from appending to an older results.csv.
 */
export async function createTrialDir(workdir: string, campaign: string, index: number, attempt: number): Promise<TrialDir> {
  const projectDir = join(workdir, campaign);
  const base = `${index}-${attempt}`;
  // The project directory exists after a campaign's first trial: make it only when missing,
  // which saves a file-system call between every two trials.
  let projectMade = false;
  for (let rerun = 1; ; ) {
    const runName = rerun === 1 ? base : `${base}-r${rerun}`;
    const path = join(projectDir, runName);
    try {
      await mkdir(path);
      return { runName, projectDir, path };
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      if (code === 'ENOENT' && !projectMade) {
        await mkdir(projectDir, { recursive: true });
        projectMade = true;
        continue;
      }
      if (code !== 'EEXIST') throw error;
      rerun += 1;
    }
  }
}

