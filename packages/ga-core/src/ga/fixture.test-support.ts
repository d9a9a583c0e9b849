// Test-only helper. ga-core's tsconfig has no Node types and its lint bans static node:*
// imports (the package is pure), so the one Node function tests need is loaded dynamically and
// typed by hand — the same approach as formats/read-fixture.test-support.ts.
type ReadTextFile = (path: string, encoding: 'utf8') => string;
const fs = (await import('node:fs')) as unknown as { readFileSync: ReadTextFile };

/**
 * A file of the shared YOLOv5 fixtures as text. The path is relative to the working
 * directory, the repository root, where `npx vitest` runs.
 */
export function readFixture(name: string): string {
  return fs.readFileSync(`../shared/fixtures/yolov5/${name}`, 'utf8');
}
