import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The code's shape, checked rather than hoped for (issue 22): no source file over 300 lines, no
// import circle, and no relative import that leaves its own app or package (another app or
// package is reached by its @hyperevolve/* name, which only packages have).
const ROOT = resolve(import.meta.dirname, '..');
const MAX_LINES = 300;
const SOURCE_ROOTS = ['apps', 'packages'].flatMap((group) => readdirSync(join(ROOT, group)).map((name) => join(ROOT, group, name, 'src')));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [path] : [];
  });
}

const FILES = SOURCE_ROOTS.flatMap((root) => sourceFiles(root));
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The relative imports of a file, resolved to the .ts files they name. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => {
    const target = resolve(dirname(file), match[1] ?? match[2] ?? '');
    return target.replace(/\.js$/, '.ts');
  });
}

const rootOf = (file: string): string | undefined => SOURCE_ROOTS.find((root) => file.startsWith(`${root}/`));
const shown = (file: string): string => relative(ROOT, file);

/** Circles in the import graph (Tarjan's strongly connected components of more than one file, or a file importing itself). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const to of graph.get(file) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop() ?? file;
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.map(shown).sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the code\'s shape', () => {
  it('finds the sources it checks', () => {
    expect(FILES.length).toBeGreaterThan(200);
    expect(FILES.some((file) => file.endsWith('apps/worker/src/trial-runner.ts'))).toBe(true);
  });

  it(`has no source file over ${MAX_LINES} lines (split one by purpose when it grows)`, () => {
    const long = FILES.map((file) => ({ file: shown(file), lines: readFileSync(file, 'utf8').split('\n').length - 1 })).filter((entry) => entry.lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('has no relative import that leaves its own app or package (use the package name, @hyperevolve/…)', () => {
    const leaving = FILES.flatMap((file) => relativeImports(file).filter((target) => rootOf(target) !== rootOf(file)).map((target) => `${shown(file)} -> ${shown(target)}`));
    expect(leaving).toEqual([]);
  });

  it('has no import circle', () => {
    const graph = new Map(FILES.map((file) => [file, relativeImports(file)]));
    expect(circles(graph)).toEqual([]);
  });

  it('would see a circle and a long file (the checks themselves)', () => {
    const a = '/x/a.ts';
    const b = '/x/b.ts';
    const c = '/x/c.ts';
    expect(circles(new Map([[a, [b]], [b, [c]], [c, [a]]]))).toHaveLength(1);
    expect(circles(new Map([[a, [b]], [b, [c]], [c, []]]))).toEqual([]);
    expect(circles(new Map([[a, [a]]]))).toHaveLength(1);
    expect(relativeImports(join(ROOT, 'apps/worker/src/trial-runner.ts')).length).toBeGreaterThan(2);
  });
});
