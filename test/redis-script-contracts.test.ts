import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScriptCode, releaseHeldScript, renewHeldScript, type RedisScript, type ScriptCodeName } from '@hyperevolve/runtime';
import { extendBudgetScript, setStatusScript } from '../apps/scheduler/src/redis/scripts.js';
import { issueTrialScript } from '../packages/trial-store/src/issue-trials.js';
import { recordEpochScript } from '../packages/trial-store/src/record-epoch.js';
import { noteFailureScript } from '../packages/trial-store/src/note-failure.js';
import { recordResultScript } from '../packages/trial-store/src/record-result.js';
import { startTrialScript } from '../packages/trial-store/src/start-run.js';
import { warnRunScript } from '../packages/trial-store/src/warn-run.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every wrapper; a new script that is not listed here fails 'each script is wrapped once'. */
const WRAPPERS: readonly RedisScript<ScriptCodeName>[] = [
  setStatusScript,
  extendBudgetScript,
  renewHeldScript,
  releaseHeldScript,
  issueTrialScript,
  recordResultScript,
  noteFailureScript,
  startTrialScript,
  recordEpochScript,
  warnRunScript,
];

const luaFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.lua'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((path) => path !== '' && !path.includes('node_modules/'));

interface Parsed {
  header: string;
  body: string;
}

function parse(path: string): Parsed {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const match = /^--\[\[\n([\s\S]*?)\n\]\]\n([\s\S]*)$/.exec(text);
  if (match === null) throw new Error(`${path} does not open with a --[[ … ]] header`);
  return { header: match[1] ?? '', body: match[2] ?? '' };
}

/** `code  Name  …` lines of the header's Output section. */
function headerCodes(header: string): Map<number, string> {
  const output = header.slice(header.indexOf('Output:'));
  const codes = new Map<number, string>();
  for (const [, code, name] of output.matchAll(/^\s+(-?\d+)\s+([A-Z]\w*)/gm)) codes.set(Number(code), name ?? '');
  return codes;
}

/** The Lua without its comments. */
function code(body: string): string {
  return body.replace(/--\[\[[\s\S]*?\]\]/g, '').replace(/--.*$/gm, '');
}

describe('Redis scripts: one helper, one code table, one header format', () => {
  it('finds the scripts', () => {
    expect(luaFiles.length).toBeGreaterThanOrEqual(WRAPPERS.length);
  });

  it.each(luaFiles)('%s: header lists its KEYS (as many as its name says), ARGV and Output', (path) => {
    const { header, body } = parse(path);
    const keys = Number(/-(\d+)\.lua$/.exec(path)?.[1]);
    expect(Number.isInteger(keys), `${path}: name it <what>-<number of keys>.lua`).toBe(true);
    expect(header).toMatch(/^ {2}Input:$/m);
    expect(header).toMatch(/^ {2}Output: \{code[^}]*\} {2}\(codes: runtime's ScriptCode\)$/m);
    const declared = [...header.matchAll(/^ {4}KEYS\[(\d+)\]/gm)].map(([, n]) => Number(n));
    expect(declared, `${path}: KEYS[1..${keys}] in its header`).toEqual(Array.from({ length: keys }, (_, i) => i + 1));
    const used = Math.max(0, ...[...code(body).matchAll(/KEYS\[(\d+)\]/g)].map(([, n]) => Number(n)));
    expect(used, `${path}: uses KEYS[${used}]`).toBeLessThanOrEqual(keys);
  });

  it.each(luaFiles)('%s: returns only codes its header lists, each as runtime\'s ScriptCode names it', (path) => {
    const { header, body } = parse(path);
    const listed = headerCodes(header);
    expect(listed.size, `${path}: no codes in its Output section`).toBeGreaterThan(0);
    for (const [number, name] of listed) expect(ScriptCode[name as ScriptCodeName], `${path}: ${number} ${name}`).toBe(number);
    const returned = [...code(body).matchAll(/return\s*\{\s*(-?\d+)/g)].map(([, n]) => Number(n));
    expect(returned.length, `${path}: every reply is a table {code, …}`).toBe([...code(body).matchAll(/\breturn\b/g)].length);
    for (const number of returned) expect(listed.has(number), `${path} returns ${number}, which its header does not list`).toBe(true);
  });

  it.each(luaFiles)('%s: holds no user-facing text (messages and advice are written in TypeScript)', (path) => {
    const literals = [...code(parse(path).body).matchAll(/'([^'\n]*)'|"([^"\n]*)"/g)].map(([, a, b]) => a ?? b ?? '');
    expect(literals.filter((text) => /\s/.test(text)), path).toEqual([]);
  });

  it('each script is wrapped once, by a RedisScript declaring exactly the codes its header lists', () => {
    const wrapped = WRAPPERS.map((script) => fileURLToPath(script.file).slice(ROOT.length));
    expect([...wrapped].sort()).toEqual([...luaFiles].sort());
    for (const script of WRAPPERS) {
      const path = fileURLToPath(script.file).slice(ROOT.length);
      const listed = [...headerCodes(parse(path).header).values()].sort();
      expect([...script.codes].sort(), path).toEqual(listed);
    }
  });
});
