/** The app through app.request(): no server, no workerd; the fixture model on Node. */
import { describe, expect, it, vi } from 'vitest';
import { createApp } from './app';
import type { LogLevel } from './logger';
import { createStaticModelProvider, type ModelProvider } from './model-provider/model-provider';
import { ortNode } from '../shared/ort/node';
import { describeApiContract } from './test/api-contract';
import { fixtureModelProvider } from './test/fixture-provider';
import { TEST_MODEL } from './test/fixtures/test-model-weights';
import { MONITORING_DEFAULTS, SERVING_DEFAULTS, type ServingConfig } from '../shared/settings';

type App = ReturnType<typeof createApp>;

const postJson = (app: App, path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** Counts how often the app asks for the model. */
function countingProvider(inner: ModelProvider = fixtureModelProvider()): ModelProvider & { calls: number } {
  const provider = {
    calls: 0,
    current() {
      provider.calls++;
      return inner.current();
    },
    status: () => inner.status(),
  };
  return provider;
}

function recordingLog() {
  const lines: { level: LogLevel; fields: Record<string, unknown> }[] = [];
  return { lines, log: (level: LogLevel, fields: Record<string, unknown>) => lines.push({ level, fields }) };
}

describe('the API contract on app.request', () => {
  const app = createApp({ runtime: 'node', models: fixtureModelProvider(), log: () => {} });
  describeApiContract({
    fetch: async (path, init) => app.request(path, init),
    runtime: 'node',
    modelVersion: TEST_MODEL.version,
    texts: ['I love this, great!', 'I hate the awful rain', 'okay okay the okay'],
  });
});

const ADMIN_KEY = 'admin-key-0123456789';
const asAdmin = { headers: { authorization: `Bearer ${ADMIN_KEY}` } };

describe('GET /health', () => {
  it('answers before any model is loaded, without loading one; details only with the admin key', async () => {
    const models = countingProvider();
    const app = createApp({ runtime: 'node', models, log: () => {}, startedAt: Date.now() - 12_345, monitoring: { ...MONITORING_DEFAULTS, adminApiKey: ADMIN_KEY } });
    const response = await app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: null, depth: null, alerts: null });
    for (const wrong of ['Bearer admin-key-0123456788', 'Bearer', `Basic ${ADMIN_KEY}`]) {
      expect(Object.keys(await (await app.request('/health', { headers: { authorization: wrong } })).json())).toEqual(['status', 'version', 'depth', 'alerts']);
    }
    expect(await (await app.request('/health', asAdmin)).json()).toEqual({
      status: 'ok',
      version: null,
      depth: null,
      alerts: null,
      details: {
        runtime: 'node',
        model: { state: 'idle', version: null, source: 'test fixture', loaded_at: null, error: null },
        uptime_s: expect.closeTo(12.3, 0),
        capture: null,
        capture_error: null,
      },
    });
    expect(models.calls).toBe(0);
    await postJson(app, '/v1/sentiment', { text: 'love' });
    expect(await (await app.request('/health')).json()).toEqual({ status: 'ok', version: TEST_MODEL.version, depth: null, alerts: null });
    expect((await (await app.request('/health', asAdmin)).json()).details.model).toMatchObject({ state: 'ready', version: TEST_MODEL.version, loaded_at: expect.any(String) });
  });

  it('shows no details to anyone when no admin key is set', async () => {
    const app = createApp({ runtime: 'node', models: countingProvider(), log: () => {} });
    expect(await (await app.request('/health', asAdmin)).json()).toEqual({ status: 'ok', version: null, depth: null, alerts: null });
  });
});

describe('limits and validation run before any model work', () => {
  it('never asks for the model on a refused request', async () => {
    const models = countingProvider();
    const app = createApp({ runtime: 'node', models, log: () => {} });
    const refused = [
      postJson(app, '/v1/sentiment', 'x'.repeat(SERVING_DEFAULTS.maxBodyBytes + 1)),
      app.request('/v1/sentiment', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '99999999' }, body: '{"text":"hi"}' }),
      postJson(app, '/v1/sentiment', { text: 'a'.repeat(SERVING_DEFAULTS.maxTextChars + 1) }),
      postJson(app, '/v1/sentiment/batch', { texts: Array(SERVING_DEFAULTS.maxBatchTexts + 1).fill('hi') }),
      postJson(app, '/v1/sentiment/batch', { texts: ['hi', ''] }),
      postJson(app, '/v1/sentiment', '{'),
      app.request('/v1/sentiment', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }),
      app.request('/v1/sentiment'),
      app.request('/v2'),
    ];
    const statuses = (await Promise.all(refused)).map((r) => r.status);
    expect(statuses).toEqual([413, 413, 413, 413, 422, 400, 415, 405, 404]);
    expect(models.calls).toBe(0);
    expect(models.status().state).toBe('idle');
  });

  it('takes its limits from the config', async () => {
    const config: ServingConfig = { ...SERVING_DEFAULTS, maxTextChars: 10, maxBatchTexts: 2, maxBodyBytes: 100 };
    const app = createApp({ runtime: 'node', models: fixtureModelProvider(), config, log: () => {} });
    expect((await postJson(app, '/v1/sentiment', { text: '0123456789' })).status).toBe(200);
    expect(await (await postJson(app, '/v1/sentiment', { text: '0123456789!' })).json()).toEqual({
      error: { code: 'text_too_long', message: 'text: is 11 characters long; the limit is 10' },
    });
    expect((await (await postJson(app, '/v1/sentiment/batch', { texts: ['a', 'b', 'c'] })).json()).error.code).toBe('batch_too_large');
    expect((await (await postJson(app, '/v1/sentiment/batch', { texts: ['a'.repeat(9), 'b'.repeat(9)], pad: 'x'.repeat(80) })).json()).error.code).toBe('payload_too_large');
    const doc = await (await app.request('/openapi.json')).json();
    expect(doc.components.schemas.BatchSentimentRequest.properties.texts).toMatchObject({ maxItems: 2, items: { maxLength: 10 } });
  });

  it('reports a batch that is too large before its invalid texts', async () => {
    const app = createApp({ runtime: 'node', models: fixtureModelProvider(), config: { ...SERVING_DEFAULTS, maxBatchTexts: 2 }, log: () => {} });
    expect((await (await postJson(app, '/v1/sentiment/batch', { texts: ['', 'x'.repeat(9999), 3] })).json()).error.code).toBe('batch_too_large');
  });
});

describe('no network in the request path', () => {
  it('serves every endpoint with fetch unavailable', async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new Error('no network here')));
    vi.stubGlobal('fetch', fetchSpy);
    try {
      const app = createApp({ runtime: 'node', models: fixtureModelProvider(), log: () => {} });
      const statuses = [
        (await postJson(app, '/v1/sentiment', { text: 'love' })).status,
        (await postJson(app, '/v1/sentiment/batch', { texts: ['love', 'hate'] })).status,
        (await app.request('/v1/model')).status,
        (await app.request('/health')).status,
        (await app.request('/openapi.json')).status,
        (await app.request('/docs')).status,
      ];
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('model failures', () => {
  it('model_unavailable (503, Retry-After) while the model cannot be loaded; /health says why', async () => {
    const { lines, log } = recordingLog();
    const broken = createApp({
      runtime: 'node',
      log,
      monitoring: { ...MONITORING_DEFAULTS, adminApiKey: ADMIN_KEY },
      models: createStaticModelProvider({ ort: ortNode, source: 'broken', files: async () => ({ bytes: new Uint8Array([1, 2, 3]), manifest: {} }) }),
    });
    for (const response of [await postJson(broken, '/v1/sentiment', { text: 'hello' }), await broken.request('/v1/model')]) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect((await response.json()).error).toEqual({ code: 'model_unavailable', message: expect.stringContaining('retry later') });
    }
    expect(await (await broken.request('/health')).json()).toEqual({ status: 'degraded', version: null, depth: null, alerts: null });
    const health = await (await broken.request('/health', asAdmin)).json();
    expect(health.details).toMatchObject({ model: { state: 'failed', error: expect.any(String) } });
    expect(lines.find((l) => l.level === 'error')?.fields.msg).toMatch(/model from broken failed to load/);
  });

  it('internal_error (500) without a stack; the log has it, with the request id', async () => {
    const { lines, log } = recordingLog();
    const app = createApp({
      runtime: 'node',
      log,
      models: { current: () => Promise.reject(new TypeError('boom at secret/path.ts:1')), status: () => fixtureModelProvider().status() },
    });
    const response = await postJson(app, '/v1/sentiment', { text: 'hello' }, { 'x-request-id': 'r-500' });
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(JSON.stringify(body)).not.toMatch(/boom|secret|TypeError/);
    const error = lines.find((l) => l.fields.msg === 'unhandled error');
    expect(error?.fields).toMatchObject({ request_id: 'r-500', error: 'TypeError: boom at secret/path.ts:1', stack: expect.stringContaining('TypeError') });
  });
});

describe('request log', () => {
  it('writes one line per request with method, path, status, duration, request id and batch size, never the text', async () => {
    const { lines, log } = recordingLog();
    const app = createApp({ runtime: 'node', models: fixtureModelProvider(), log });
    await postJson(app, '/v1/sentiment/batch', { texts: ['secret love', 'secret hate', 'secret okay'] }, { 'x-request-id': 'batch-1' });
    await postJson(app, '/v1/sentiment', { text: ' ', note: 'secret' }, { 'x-request-id': 'bad-1' });
    expect(lines.map((l) => l.fields)).toEqual([
      { msg: 'request', method: 'POST', path: '/v1/sentiment/batch', status: 200, duration_ms: expect.any(Number), request_id: 'batch-1', batch_size: 3, error_code: null },
      { msg: 'request', method: 'POST', path: '/v1/sentiment', status: 422, duration_ms: expect.any(Number), request_id: 'bad-1', batch_size: null, error_code: 'validation_failed' },
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('is off with logRequests: false (errors are still logged)', async () => {
    const { lines, log } = recordingLog();
    const app = createApp({ runtime: 'node', models: fixtureModelProvider(), log, config: { ...SERVING_DEFAULTS, logRequests: false } });
    await app.request('/health');
    expect(lines).toEqual([]);
  });

  it('goes to the console as JSON lines by default', async () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
    const app = createApp({ runtime: 'node', models: fixtureModelProvider() });
    await app.request('/health?q=secret');
    expect(spy).toHaveBeenCalledTimes(1);
    const line = JSON.parse(spy.mock.calls[0][0] as string);
    expect(line).toMatchObject({ level: 'info', msg: 'request', path: '/health', status: 200, time: expect.any(String) });
    expect(JSON.stringify(line)).not.toContain('secret');
    spy.mockRestore();
  });
});

describe('CORS with configured origins', () => {
  const app = createApp({ runtime: 'node', models: fixtureModelProvider(), log: () => {}, config: { ...SERVING_DEFAULTS, corsOrigins: ['https://a.example', 'http://localhost:3000'] } });

  it('allows the listed origins only, and varies on Origin', async () => {
    const allowed = await app.request('/health', { headers: { origin: 'https://a.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(allowed.headers.get('vary')).toContain('Origin');
    const other = await app.request('/health', { headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await app.request('/v1/sentiment', { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });
});
