/** The API inside workerd: the real worker (worker/adapter/workerd/index.ts, shipped model, wrangler.toml) and the app on the fixture model. */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import worker from '../adapter/workerd/index';
import bundledManifest from '../model/manifest.json';
import { createStaticModelProvider, type ModelProvider } from '../model-provider/model-provider';
import { ortWorkerd } from '../adapter/workerd/ort';
import { describeApiContract } from './api-contract';
import fixtureBytes from './fixtures/test-model.onnx';
import fixtureManifest from './fixtures/test-model.manifest.json';
import { SERVING_DEFAULTS } from '../../shared/settings';

const BASE = 'http://worker.test';

describe('the API contract in workerd (worker/adapter/workerd/index.ts)', () => {
  describeApiContract({
    fetch: (path, init) => exports.default.fetch(`${BASE}${path}`, init),
    runtime: 'workerd',
    modelVersion: bundledManifest.version,
    texts: ['I love this, best day ever!', 'This is the worst service, I hate it', 'The meeting is at 3pm on Tuesday.'],
  });
});

describe('inside workerd', () => {
  it('has the bundled model loaded before the first request (the global scope created its session)', async () => {
    const key = 'admin-key-of-this-test';
    const env = { LOG_REQUESTS: 'false', ADMIN_API_KEY: key }; // a new env: a new app, but the isolate's model
    const request = new Request(`${BASE}/health`, { headers: { authorization: `Bearer ${key}` } });
    const health = await (await worker.fetch(request, env, {})).json();
    expect(health.details.model).toMatchObject({ state: 'ready', source: 'bundled', version: bundledManifest.version });
    expect(new Date(health.details.model.loaded_at).getTime()).toBeGreaterThan(0);
  });

  it('refuses bad requests before asking for the model', async () => {
    let calls = 0;
    const inner = createStaticModelProvider({
      ort: ortWorkerd,
      source: 'fixture',
      files: async () => ({ bytes: new Uint8Array(fixtureBytes), manifest: fixtureManifest }),
    });
    const models: ModelProvider = { current: () => (calls++, inner.current()), status: () => inner.status() };
    const app = createApp({ runtime: 'workerd', models, log: () => {} });
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      app.request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const statuses = [
      (await post('/v1/sentiment', 'x'.repeat(SERVING_DEFAULTS.maxBodyBytes + 1))).status,
      (await post('/v1/sentiment', '{"text":"hi"}', { 'content-length': String(SERVING_DEFAULTS.maxBodyBytes + 1) })).status,
      (await post('/v1/sentiment', JSON.stringify({ text: 'y'.repeat(SERVING_DEFAULTS.maxTextChars + 1) }))).status,
      (await post('/v1/sentiment/batch', JSON.stringify({ texts: Array(SERVING_DEFAULTS.maxBatchTexts + 1).fill('z') }))).status,
      (await post('/v1/sentiment/batch', JSON.stringify({ texts: ['fine', ''] }))).status,
      (await post('/v1/sentiment', 'not json')).status,
      (await post('/v1/sentiment', '{"text":"hi"}', { 'content-type': 'text/plain' })).status,
    ];
    expect(statuses).toEqual([413, 413, 413, 413, 422, 400, 415]);
    expect(calls).toBe(0);
    expect(inner.status().state).toBe('idle');
    // …and then serves normally.
    const ok = await post('/v1/sentiment', JSON.stringify({ text: 'I love this' }));
    expect(await ok.json()).toMatchObject({ label: 'positive', model_version: fixtureManifest.version });
  });

  it('takes limits and CORS origins from the worker vars', async () => {
    const env = { MAX_BATCH_TEXTS: '2', MAX_TEXT_CHARS: '20', CORS_ORIGINS: 'https://a.example', LOG_REQUESTS: 'false' };
    const call = (path: string, init?: RequestInit) => worker.fetch(new Request(`${BASE}${path}`, init), env, {});
    const post = (body: unknown) => call('/v1/sentiment/batch', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://a.example' }, body: JSON.stringify(body) });
    const tooMany = await post({ texts: ['a', 'b', 'c'] });
    expect(tooMany.status).toBe(413);
    expect(tooMany.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect((await tooMany.json()).error.message).toBe('texts: has 3 texts; the limit is 2');
    expect((await (await post({ texts: ['x'.repeat(21)] })).json()).error.code).toBe('text_too_long');
    expect((await post({ texts: ['I love it', 'I hate it'] })).status).toBe(200);
    const doc = await (await call('/openapi.json')).json();
    expect(doc.components.schemas.BatchSentimentRequest.properties.texts.maxItems).toBe(2);
  });

  it('reads nothing from the network while serving', async () => {
    const calls: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      calls.push(String(input));
      throw new Error('no network here');
    }) as typeof fetch;
    try {
      const env = { LOG_REQUESTS: 'false' };
      const call = (path: string, init?: RequestInit) => worker.fetch(new Request(`${BASE}${path}`, init), env, {});
      const json = { method: 'POST', headers: { 'content-type': 'application/json' } };
      const statuses = [
        (await call('/v1/sentiment', { ...json, body: JSON.stringify({ text: 'offline and happy' }) })).status,
        (await call('/v1/sentiment/batch', { ...json, body: JSON.stringify({ texts: ['a', 'b'] }) })).status,
        (await call('/v1/model')).status,
        (await call('/health')).status,
        (await call('/docs')).status,
      ];
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toEqual([]);
  });

  it('answers 500 internal_error, not a crash, when the vars are invalid', async () => {
    const response = await worker.fetch(new Request(`${BASE}/health`), { MAX_BATCH_TEXTS: 'lots' }, {});
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'internal_error', message: 'the server is misconfigured; see its logs' } });
  });
});
