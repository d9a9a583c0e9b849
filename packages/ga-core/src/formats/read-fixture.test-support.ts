// Test-only helper. ga-core's tsconfig has no Node types on purpose (the package is pure), so
// the one Node function the tests need is typed here by hand instead of pulling them in.
// (Tests may read files; ga-core's code may not.)
type ReadTextFile = (path: string, encoding: 'utf8') => string;
const fs = (await import('node:fs')) as unknown as { readFileSync: ReadTextFile };

/**
 * A file of the repository's YOLOv5 fixtures (`fixtures/yolov5/`) as text, exactly as stored. The path is relative to the
 * working directory, the repository root, where `npx vitest` runs.
 */
export function readFixture(name: string): string {
  return fs.readFileSync(`fixtures/yolov5/${name}`, 'utf8');
}

/** A file real trainers wrote (`fixtures/trainer-runs/`), e.g. `ultralytics-detect/results.csv`. */
export function readTrainerRun(name: string): string {
  return fs.readFileSync(`fixtures/trainer-runs/${name}`, 'utf8');
}
