/**
 * The Node server's process entry: `npm run start:node` and the Dockerfile's bundle. With
 * WEB_CONCURRENCY above 1 this process only forks and supervises that many serving processes
 * (cluster.ts); each serving process starts reading and compiling ORT's wasm before
 * it loads the app (shared/ort/node.ts), then serves (server.ts).
 */
import cluster from 'node:cluster';
import { stdoutLogger } from './buffered-logger';
import { runClusterPrimary } from './cluster';
import { compileOrtWasm } from '../../../shared/ort/node';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`usage: npm run start:node      (node dist/node-server.mjs in the Docker image)

The API on Node, configured only by environment variables: PORT (7860), HOST (0.0.0.0),
WEB_CONCURRENCY (processes), MODEL_DIR, HF_* and the rest of the README's Configuration table.`);
  process.exit(0);
}

// server.ts validates WEB_CONCURRENCY with everything else; a bad value serves alone and fails there.
const workers = Number(process.env.WEB_CONCURRENCY ?? 1);

if (cluster.isPrimary && Number.isInteger(workers) && workers > 1) {
  runClusterPrimary({ workers, log: stdoutLogger() });
} else {
  compileOrtWasm().catch(() => undefined); // a failure surfaces at the first model load
  const { serveFromEnv } = await import('./server');
  await serveFromEnv();
}
