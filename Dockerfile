# syntax=docker/dockerfile:1
#
# hyperevolve images. One build stage, two runtime targets:
#   docker build --target scheduler -t hyperevolve-scheduler .
#   docker build --target worker -t hyperevolve-worker .                # on YOLOv5's own image
#   docker build --target worker --build-arg WORKER_BASE_IMAGE=my/train:latest -t my-worker .
#   docker build --target worker --build-arg WORKER_BASE_IMAGE=ultralytics/ultralytics:8.4.190 \
#     -t hyperevolve-worker-ultralytics .                                # YOLOv8/YOLO11 (docs/ultralytics.md)
# The worker target is the training image (CUDA, PyTorch, the trainer's Python packages) with
# Node and hyperevolve added, so trials run exactly where `python train.py` already works.
# Its base must have glibc 2.28 or newer (Debian 10+, Ubuntu 20.04+; not Alpine): Node's binary
# is copied in.

# Node.js major of both images: the one CI tests (.ci/node-version.sh; a test keeps them equal).
ARG NODE_VERSION=24
ARG WORKER_BASE_IMAGE=ultralytics/yolov5:latest

# ---- build: install, bundle (apps/*/dist), then keep only what runs ----
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /opt/hyperevolve
COPY package.json package-lock.json ./
COPY packages/ga-core/package.json packages/ga-core/
COPY packages/contract/package.json packages/contract/
COPY packages/runtime/package.json packages/runtime/
COPY packages/trial-store/package.json packages/trial-store/
COPY apps/sim-train/package.json apps/sim-train/
COPY apps/worker/package.json apps/worker/
COPY apps/scheduler/package.json apps/scheduler/
# No install scripts yet: the root `prepare` bundles the sources, which are not copied until below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm rebuild esbuild && node scripts/build.mjs

# The bins start apps/*/dist/main.mjs (made above); without sources beside it they never fall back to tsx.
FROM build AS dist
RUN npm prune --omit=dev --no-audit --no-fund \
  && mkdir -p /out/scripts \
  && cp -a package.json node_modules /out/ \
  && cp scripts/launch.mjs scripts/require-node.mjs /out/scripts/ \
  && for app in scheduler worker sim-train; do mkdir -p /out/apps/$app && cp -a apps/$app/package.json apps/$app/bin apps/$app/dist /out/apps/$app/; done \
  && for pkg in ga-core contract runtime trial-store; do mkdir -p /out/packages/$pkg && cp -a packages/$pkg/package.json /out/packages/$pkg/; done

FROM node:${NODE_VERSION}-bookworm-slim AS node-runtime

# ---- scheduler: slim Node ----
FROM node-runtime AS scheduler
ENV NODE_ENV=production
# evolve.png's text (titles, axes) is drawn with system fonts; the slim image has none, and
# without them resvg silently leaves every label out.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY --from=dist /out /opt/hyperevolve
RUN ln -s /opt/hyperevolve/apps/scheduler/bin/scheduler.js /usr/local/bin/scheduler \
  && ln -s /opt/hyperevolve/apps/sim-train/bin/sim-train.js /usr/local/bin/sim-train \
  && scheduler --help >/dev/null
# Exports go to ./runs/evolve/<campaign> from here; mount the host's runs/ at /data/runs.
WORKDIR /data
EXPOSE 3000
ENTRYPOINT ["scheduler"]
CMD ["serve"]

# ---- worker: the training image plus Node and hyperevolve ----
FROM ${WORKER_BASE_IMAGE} AS worker
# Where the training repository is in the base image (YOLOv5's image keeps it here); trials run
# in this directory, so `python train.py` means what it means in a shell there.
ARG TRAIN_DIR=/usr/src/app
# No pip installs in the middle of a trial (both trainers install missing packages by default).
ENV NODE_ENV=production \
  YOLOv5_AUTOINSTALL=false \
  YOLO_AUTOINSTALL=false
COPY --from=node-runtime /usr/local/bin/node /usr/local/bin/node
COPY --from=dist /out /opt/hyperevolve
RUN ln -s /opt/hyperevolve/apps/worker/bin/worker.js /usr/local/bin/worker \
  && ln -s /opt/hyperevolve/apps/sim-train/bin/sim-train.js /usr/local/bin/sim-train \
  && node --version && worker --help >/dev/null
WORKDIR ${TRAIN_DIR}
ENTRYPOINT ["worker"]
CMD ["--device", "auto", "--allow-command", "python train.py"]
