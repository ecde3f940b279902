/**
 * One `npx vitest run` runs two projects:
 *  - node:    every *.test.ts except worker tests meant for workerd (shared/, trainer/, worker/ on Node)
 *  - workers: worker/**\/*.workers.test.ts inside workerd via @cloudflare/vitest-plugin, with the
 *             real wrangler.toml (module rules, compatibility date) and worker/adapter/workerd/index.ts as SELF.
 * Pick one with `npx vitest run --project node` or `--project workers`.
 */
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

const WORKERS_TESTS = 'worker/**/*.workers.test.ts';

export default defineConfig({
  test: {
    // Root level, so it is resolved by plain Node (the workers project would resolve
    // onnxruntime-web with workerd's export conditions): scores PARITY_TEXTS with ORT on Node and
    // provides the numbers the workers tests must reproduce.
    globalSetup: ['worker/test/node-reference.global-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          // Loading ORT's wasm takes ~1 s on a quiet machine and several on a loaded 2-core one.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          include: ['shared/**/*.test.ts', 'trainer/**/*.test.ts', 'worker/**/*.test.ts', 'e2e/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: [WORKERS_TESTS, '**/node_modules/**'],
        },
      },
      {
        // LOG_REQUESTS=false: the API contract sends hundreds of requests; app.test.ts checks the log lines.
        // MAX_BATCH_TEXTS=256: the contract tests the code's defaults, not wrangler.toml's Free-plan cap.
        // LOW_CONFIDENCE_LOGGING=false: those requests would otherwise fill CAPTURE_DB while the
        // capture tests count its rows (feedback.workers.test.ts turns it on for its own env).
        plugins: [
          cloudflareTest({ wrangler: { configPath: './wrangler.toml' }, miniflare: { bindings: { LOG_REQUESTS: 'false', LOW_CONFIDENCE_LOGGING: 'false', MAX_BATCH_TEXTS: '256' } } }),
        ],
        test: {
          name: 'workers',
          include: [WORKERS_TESTS],
          // A local Hub stand-in on Node, for the capture tests that flush from workerd.
          globalSetup: ['worker/test/local-hub.global-setup.ts'],
          // The plugin hands binary modules to workerd as JSON arrays of numbers: about 1 s per MB,
          // so ORT's 14 MB wasm takes ~12 s and the 8.4 MB model ~8 s to import. Sharing one
          // module registry between test files pays that once per run instead of once per file.
          isolate: false,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
