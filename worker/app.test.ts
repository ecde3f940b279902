/** The app through app.request(): no server, no workerd; the fixture model on Node. */
import { describe, expect, it, vi } from 'vitest';
import { createApp } from './app';
import { createStaticModelProvider } from './model-provider/model-provider';
import { ortNode } from './runtime/ort-node';
import { fixtureModelProvider } from './test/fixture-provider';
import { TEST_MODEL } from './test/fixtures/test-model-weights';

const postJson = (app: ReturnType<typeof createApp>, path: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('GET /health', () => {
  it('answers before any model is loaded, without loading one', async () => {
    const app = createApp({ runtime: 'node', models: fixtureModelProvider() });
    const response = await app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      runtime: 'node',
      model: { state: 'idle', version: null, source: 'test fixture', loaded_at: null },
    });
  });
});

describe('POST /v1/sentiment', () => {
  const app = createApp({ runtime: 'node', models: fixtureModelProvider() });

  it('returns label, confidence, all scores and the model version', async () => {
    const response = await postJson(app, '/v1/sentiment', { text: 'I love this, great!' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ label: 'positive', model_version: TEST_MODEL.version });
    expect(Object.keys(body.scores)).toEqual(['negative', 'neutral', 'positive']);
    expect(body.confidence).toBe(body.scores.positive);
    expect(body.scores.negative + body.scores.neutral + body.scores.positive).toBeCloseTo(1, 6);
  });

  it('rejects a body without text', async () => {
    expect((await postJson(app, '/v1/sentiment', { txt: 'hi' })).status).toBe(400);
    expect((await postJson(app, '/v1/sentiment', { text: '' })).status).toBe(400);
  });

  it('answers 503 while the model cannot be loaded, and reports why on /health', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = createApp({
      runtime: 'node',
      models: createStaticModelProvider({
        ort: ortNode,
        source: 'broken',
        files: async () => ({ bytes: new Uint8Array([1, 2, 3]), manifest: {} }),
      }),
    });
    const response = await postJson(broken, '/v1/sentiment', { text: 'hello' });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: 'model unavailable' });
    const health = await (await broken.request('/health')).json();
    expect(health.model.state).toBe('failed');
    expect(log).toHaveBeenCalledWith(expect.stringContaining('model from broken failed to load'));
    log.mockRestore();
  });
});
