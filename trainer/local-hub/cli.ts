/**
 * Run the local Hub standalone:
 *   tsx trainer/local-hub/cli.ts [--dir .data/local-hub] [--port 7861] [--host 127.0.0.1] [--quiet]
 * Env: LOCAL_HUB_DIR, LOCAL_HUB_PORT, LOCAL_HUB_HOST, LOCAL_HUB_TOKEN (the only token accepted
 * for writes, if set; there is deliberately no --token flag, so it never shows up in `ps`).
 * Then point clients at it: HF_ENDPOINT=http://127.0.0.1:7861 (any HF_TOKEN starting with hf_).
 */
import { parseArgs } from 'node:util';
import { startLocalHub } from './server';
import { formatLogLine } from './log-format';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: local-hub [--dir .data/local-hub] [--port 7861] [--host 127.0.0.1] [--quiet]\nenv: LOCAL_HUB_DIR, LOCAL_HUB_PORT, LOCAL_HUB_HOST, LOCAL_HUB_TOKEN');
    return;
  }
  const port = Number(values.port ?? process.env.LOCAL_HUB_PORT ?? 7861);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port ?? process.env.LOCAL_HUB_PORT}`);
  const token = process.env.LOCAL_HUB_TOKEN || undefined;
  const hub = await startLocalHub({
    dir: values.dir ?? process.env.LOCAL_HUB_DIR ?? '.data/local-hub',
    port,
    host: values.host ?? process.env.LOCAL_HUB_HOST ?? '127.0.0.1',
    token,
    onRequest: values.quiet ? undefined : (entry) => console.log(formatLogLine(entry)),
  });
  console.log(`local-hub listening on ${hub.url}`);
  console.log(`  repos in ${hub.dir}`);
  console.log(`  writes accept ${token ? 'only the token in LOCAL_HUB_TOKEN' : 'any bearer token'}`);
  console.log(`  use it with HF_ENDPOINT=${hub.url}`);
  const stop = () => {
    hub.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`local-hub: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
