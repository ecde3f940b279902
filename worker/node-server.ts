/**
 * Node entry (Hugging Face Space mirror, Docker): the same app on @hono/node-server, ORT from
 * node_modules, the model read from worker/model. `PORT` defaults to 7860 (the Spaces port).
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app';
import { createStaticModelProvider } from './model-provider/model-provider';
import { ortNode } from './runtime/ort-node';

export interface NodeServerOptions {
  port?: number;
  hostname?: string;
  /** Folder with model.onnx and manifest.json. */
  modelDir?: URL;
}

export interface NodeServer {
  server: ServerType;
  url: string;
  close(): Promise<void>;
}

export function startNodeServer({
  port = 7860,
  hostname = '0.0.0.0',
  modelDir = new URL('./model/', import.meta.url),
}: NodeServerOptions = {}): Promise<NodeServer> {
  const app = createApp({
    runtime: 'node',
    models: createStaticModelProvider({
      ort: ortNode,
      source: 'bundled',
      files: async () => ({
        bytes: new Uint8Array(await readFile(new URL('model.onnx', modelDir))),
        manifest: JSON.parse(await readFile(new URL('manifest.json', modelDir), 'utf8')),
      }),
    }),
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        server,
        url: `http://${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}`,
        close: () => new Promise((done, fail) => server.close((error) => (error ? fail(error) : done()))),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startNodeServer({ port: Number(process.env.PORT ?? 7860) });
  console.log(`listening on ${url}`);
}
