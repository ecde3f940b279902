/** The Node entry over real HTTP on a random loopback port, with the shipped model. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SentimentModel } from '../shared/sentiment-model';
import { startNodeServer, type NodeServer } from './node-server';
import { ortNode } from './runtime/ort-node';
import manifest from './model/manifest.json';

let server: NodeServer;

beforeAll(async () => {
  server = await startNodeServer({ port: 0, hostname: '127.0.0.1' });
});
afterAll(() => server?.close());

describe('node-server', () => {
  it('listens on loopback and answers /health', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', runtime: 'node', model: { source: 'bundled' } });
  });

  it('serves POST /v1/sentiment with the shipped model', async () => {
    const text = 'Worst flight ever, they lost my bag';
    const response = await fetch(`${server.url}/v1/sentiment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.model_version).toBe(manifest.version);

    const model = await SentimentModel.load(ortNode, new Uint8Array(readFileSync(new URL('./model/model.onnx', import.meta.url))));
    const [expected] = await model.predict([text]);
    expect(body).toEqual({ ...expected, model_version: manifest.version });
    await model.release();
  }, 30_000);
});
