/** A Node server with a capture, as the loop tests run it: on a free loopback port, quiet, its buffer flushing to a dataset repo. */
import { captureConfigFromEnv } from '../../../shared/settings';
import { startNodeCapture, type NodeCapture } from './capture';
import { startNodeServer, type NodeServer, type NodeServerOptions } from './server';

export interface CapturingServer extends AsyncDisposable {
  server: NodeServer;
  capture: NodeCapture;
  /** POSTs JSON; the answer's status and parsed body. */
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
  /** Flushes until the buffer is empty (a flush that finds the scheduler busy is retried); the depth left. */
  flushAll(): Promise<number>;
  close(): Promise<void>;
}

const quiet = () => {};

interface CapturingServerOptions extends NodeServerOptions {
  hubUrl: string;
  token: string;
  datasetRepo: string;
  /** The SQLite buffer's file. */
  capturePath: string;
  /** More capture settings (FLUSH_…), as environment variables. */
  captureEnv?: Record<string, string>;
}

/** Feedback is not rate-limited; `options` add to or replace the server's. `await using` closes it. */
export async function startCapturingServer({ hubUrl, token, datasetRepo, capturePath, captureEnv, ...options }: CapturingServerOptions): Promise<CapturingServer> {
  const config = captureConfigFromEnv({ HF_ENDPOINT: hubUrl, HF_TOKEN: token, HF_DATASET_REPO: datasetRepo, ...captureEnv });
  const capture = startNodeCapture({ path: capturePath, config, log: quiet });
  const server = await startNodeServer({
    port: 0,
    hostname: '127.0.0.1',
    log: quiet,
    config: { logRequests: false },
    capture: capture.capture,
    ...options,
    intake: { feedbackRatePerMinute: 0, ...options.intake },
  });
  const close = async () => {
    await server.close();
    capture.close();
  };
  return {
    server,
    capture,
    post: async (path, body) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    },
    flushAll: async () => {
      const { buffer, scheduler } = capture.capture;
      for (let i = 0; i < 50 && (await buffer.depth()) > 0; i++) {
        if ((await scheduler.maybeFlush('schedule')).status !== 'flushed') await new Promise((r) => setTimeout(r, 100));
      }
      return buffer.depth();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
