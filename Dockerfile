# The Node server (the Hugging Face Space mirror): the API on port 7860 with the shipped model.
#   docker build -t edge-sentiment . && docker run --rm -p 7860:7860 edge-sentiment
#
# The production image has no devDependencies (`npm ci --omit=dev`), so no tsx: a build stage
# bundles worker/adapter/node/main.ts, the repo code and the npm packages it imports into one plain ESM
# file with esbuild (TypeScript compiled away): one file loads faster than hundreds of package
# modules. onnxruntime-web stays external (it reads its wasm from its own folder) and comes from
# node_modules.
# worker/adapter/node/bundle.test.ts runs the esbuild command below and checks that every package the
# bundle imports is a production dependency.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY shared ./shared
COPY worker ./worker
# The alert rules the service shares with `trainer monitor` (inlined into the bundle).
COPY trainer/configs ./trainer/configs
RUN npx esbuild worker/adapter/node/main.ts --bundle --platform=node --format=esm --target=node24 --external:onnxruntime-web --outfile=dist/node-server.mjs

FROM node:24-slim
WORKDIR /app
# WEB_CONCURRENCY: one process per core of a free CPU Space (2 vCPU); each holds its own model (~200 MB).
# CAPTURE_DB_PATH: the feedback buffer lives outside the read-only /app, in /data: a Space's
# persistent storage is mounted there when enabled; without it /data is the container's own
# (ephemeral) disk, and records not yet flushed to the dataset repo are lost when the Space restarts.
# TRUST_PROXY_HOPS=1: a Space is reached through the Hub's proxy, which appends the client's address to
# X-Forwarded-For; without it every client would share the proxy's address (one rate-limit bucket).
# Set 0 when the container is reachable directly: then a client could pick its own address.
ENV NODE_ENV=production \
    PORT=7860 \
    HOST=0.0.0.0 \
    MODEL_DIR=/app/model \
    WEB_CONCURRENCY=2 \
    CAPTURE_DB_PATH=/data/capture.sqlite \
    TRUST_PROXY_HOPS=1
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY worker/model ./model
# Spaces run containers as uid 1000, which is `node` in this image. /app stays root's and read-only
# for it (worker/adapter/node/bundle.test.ts starts the bundle the same way); /data is the one writable folder.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 7860) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A young generation of at most 4 MB per semi-space: with V8's default the heap grows to ~160 MB
# under load (most of it empty young-generation space). 4 MB keeps the whole serving isolate (heap,
# buffers and ORT's 33 MB of wasm memory) under 128 MB at the same throughput (worker/bench:
# isolate memory; 8 MB reached 130 MB). node:cluster workers inherit the flag.
CMD ["node", "--max-semi-space-size=4", "dist/node-server.mjs"]
