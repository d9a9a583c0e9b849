import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/processes.js';

/** Relative link targets of a markdown file (no URLs, no pure anchors), without their #anchor. */
async function relativeLinks(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  const withoutCode = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
    .map((target) => target.split('#')[0] ?? '');
}

describe('README and docs/', () => {
  it('the README stays a short front page: what it is, the two commands, quick starts, the CLI, links', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const headings = readme.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toEqual([
      '## Requirements',
      '## Two commands',
      '## Quick start: YOLOv5',
      '## Quick start: Ultralytics (YOLOv8, YOLO11)',
      '## CLI at a glance',
      '## Documentation',
    ]);
    expect(readme.split('\n').length).toBeLessThan(200);
  });

  it('every page under docs/ is linked from the README, and every relative link resolves', async () => {
    const pages = (await readdir(join(ROOT, 'docs'))).filter((name) => name.endsWith('.md'));
    const fromReadme = await relativeLinks(join(ROOT, 'README.md'));
    expect(pages.filter((page) => !fromReadme.includes(`docs/${page}`))).toEqual([]);

    const broken: string[] = [];
    for (const file of [join(ROOT, 'README.md'), ...pages.map((page) => join(ROOT, 'docs', page))]) {
      for (const target of await relativeLinks(file)) {
        if (!existsSync(resolve(dirname(file), target))) broken.push(`${file.slice(ROOT.length + 1)} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
