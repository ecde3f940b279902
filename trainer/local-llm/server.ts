/** Starts the stand-in on a loopback port (0 = any free port) and stops it again. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createLlmApp, newStats, type LlmStats } from './app';
import { DEFAULT_SCRIPT, type Script } from './behaviour';

export interface LocalLlm {
  /** Base URL for an OpenAI-compatible client, e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  script: Script;
  stats: LlmStats;
  close(): Promise<void>;
}

export async function startLocalLlm(script: Partial<Script> & Pick<Script, 'truth'>, options: { port?: number; host?: string } = {}): Promise<LocalLlm> {
  const full: Script = { ...DEFAULT_SCRIPT, ...script };
  const stats = newStats();
  const app = createLlmApp(full, stats);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${host}:${port}/v1`,
    script: full,
    stats,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
