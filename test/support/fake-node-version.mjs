// Preloaded with `node --import` in the Node-version test: the process then reports the Node.js
// version in HYPEREVOLVE_FAKE_NODE_VERSION (everything else is the real Node), so that the
// bins' version check can be driven on a machine that has only a supported Node.
const version = process.env.HYPEREVOLVE_FAKE_NODE_VERSION;
if (version !== undefined) {
  Object.defineProperty(process.versions, 'node', { value: version });
  Object.defineProperty(process, 'version', { value: `v${version}` });
}
