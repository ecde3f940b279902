/** POST /v1/feedback and low-confidence logging through app.request, on an in-memory SQLite buffer. */
import type { Context } from 'hono';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createApp } from '../app';
import { createCapture, type Capture } from '../capture/capture';
import type { RecordBuffer } from '../capture/record-buffer';
import { SqliteRecordBuffer } from '../adapter/node/sqlite-buffer';
import { fixtureModelProvider } from '../test/fixture-provider';
import { captureConfigFromEnv, INTAKE_DEFAULTS, type IntakeConfig, MONITORING_DEFAULTS, SERVING_DEFAULTS } from '../../shared/settings';

const buffers: SqliteRecordBuffer[] = [];
afterEach(() => {
  for (const b of buffers.splice(0)) b.close();
});

const ADMIN_KEY = 'feedback-test-admin-key';

function setup(intake: Partial<IntakeConfig> = {}, buffer?: RecordBuffer) {
  const sqlite = new SqliteRecordBuffer(':memory:');
  buffers.push(sqlite);
  const capture = createCapture({ buffer: buffer ?? sqlite, config: captureConfigFromEnv({}) });
  // The address as workerd gives it (Cloudflare sets CF-Connecting-IP).
  const clientAddress = (c: Context) => c.req.header('cf-connecting-ip');
  const app = createApp({ runtime: 'node', models: fixtureModelProvider(), log: () => {}, capture, clientAddress, monitoring: { ...MONITORING_DEFAULTS, adminApiKey: ADMIN_KEY }, intake: { ...INTAKE_DEFAULTS, feedbackRatePerMinute: 0, ...intake } });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { app, capture, sqlite, post };
}

const GOOD = { text: 'not bad at all', model_label: 'negative', correct_label: 'positive' };
const stored = async (capture: Capture) => capture.buffer.depth();
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('POST /v1/feedback', () => {
  it('answers 202 with the id of the stored record', async () => {
    const { capture, post } = setup();
    const response = await post('/v1/feedback', { ...GOOD, confidence: 0.51, model_version: 'v1' });
    expect(response.status).toBe(202);
    const { id } = await response.json();
    expect(await capture.buffer.oldest(10)).toEqual([
      expect.objectContaining({ id, kind: 'feedback', text: GOOD.text, model_label: 'negative', correct_label: 'positive', confidence: 0.51, model_version: 'v1', source: 'api' }),
    ]);
  });

  it('stores the caller\'s source, and refuses one that is not a short name', async () => {
    const { capture, post } = setup();
    const response = await post('/v1/feedback', { ...GOOD, source: 'support-inbox' });
    expect(response.status).toBe(202);
    expect(await capture.buffer.oldest(10)).toEqual([expect.objectContaining({ id: (await response.json()).id, source: 'support-inbox' })]);
    for (const source of ['', 'has space', 'x'.repeat(65), 'auto', 'llm', '../etc', 42]) {
      const refused = await post('/v1/feedback', { ...GOOD, source });
      expect({ source, status: refused.status, code: (await refused.json()).error.code }).toEqual({ source, status: 422, code: 'validation_failed' });
    }
    expect(await stored(capture)).toBe(1);
  });

  it('refuses bad input with the API errors and stores nothing', async () => {
    const { capture, post, app } = setup();
    const cases: Array<[string, Response, number, string]> = [
      ['missing text', await post('/v1/feedback', { model_label: 'negative', correct_label: 'positive' }), 422, 'validation_failed'],
      ['missing correct_label', await post('/v1/feedback', { text: 'x', model_label: 'negative' }), 422, 'validation_failed'],
      ['unknown label', await post('/v1/feedback', { ...GOOD, correct_label: 'happy' }), 422, 'validation_failed'],
      ['empty text', await post('/v1/feedback', { ...GOOD, text: '   ' }), 422, 'validation_failed'],
      ['confidence out of range', await post('/v1/feedback', { ...GOOD, confidence: 2 }), 422, 'validation_failed'],
      ['text over the limit', await post('/v1/feedback', { ...GOOD, text: 'y'.repeat(SERVING_DEFAULTS.maxTextChars + 1) }), 413, 'text_too_long'],
      ['1 MB text', await post('/v1/feedback', { ...GOOD, text: 'z'.repeat(1_048_576) }), 413, 'payload_too_large'],
      ['invalid JSON', await post('/v1/feedback', '{"text": "x",'), 400, 'invalid_json'],
      ['an array', await post('/v1/feedback', [GOOD]), 422, 'validation_failed'],
      ['wrong content type', await app.request('/v1/feedback', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(GOOD) }), 415, 'unsupported_media_type'],
      ['GET', await app.request('/v1/feedback'), 405, 'method_not_allowed'],
    ];
    for (const [what, response, status, code] of cases) {
      expect({ what, status: response.status, code: (await response.json()).error.code }).toEqual({ what, status, code });
    }
    expect(await stored(capture)).toBe(0);
  });

  it('with API keys: 401 without or with a wrong key, 202 with a right one', async () => {
    const keys = ['k-aaaaaaaaaaaaaaaaaaaa', 'k-bbbbbbbbbbbbbbbbbbbb'];
    const { capture, post, app } = setup({ feedbackApiKeys: keys });
    const none = await post('/v1/feedback', GOOD);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post('/v1/feedback', GOOD, { authorization: 'Bearer k-aaaaaaaaaaaaaaaaaaab' })).status).toBe(401);
    expect((await post('/v1/feedback', GOOD, { authorization: 'Basic abc' })).status).toBe(401);
    expect(await stored(capture)).toBe(0);
    expect((await post('/v1/feedback', GOOD, { authorization: `Bearer ${keys[1]}` })).status).toBe(202);
    expect(await stored(capture)).toBe(1);
    const doc = await (await app.request('/openapi.json')).json();
    expect(doc.paths['/v1/feedback'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('10,000 requests from one client at one instant: the burst is accepted, the rest get 429 with Retry-After and are not stored', async () => {
    // The clock stands still, so the count does not depend on how fast this machine answers.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { capture, post } = setup({ feedbackRatePerMinute: 60, feedbackRateBurst: 60 });
    const responses = await Promise.all(Array.from({ length: 10_000 }, (_, i) => post('/v1/feedback', { ...GOOD, text: `flood ${i}` }, { 'cf-connecting-ip': '198.51.100.1' })));
    const statuses = responses.map((r) => r.status);
    const accepted = statuses.filter((s) => s === 202).length;
    expect(accepted).toBe(60);
    expect(statuses.filter((s) => s === 429).length).toBe(10_000 - accepted);
    const limited = responses.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error.code).toBe('rate_limited');
    expect(await stored(capture)).toBe(accepted);
    // Another client is not affected.
    expect((await post('/v1/feedback', GOOD, { 'cf-connecting-ip': '198.51.100.2' })).status).toBe(202);
  }, 60_000);

  it('stores the text without control characters and with personal data replaced by placeholders', async () => {
    const { capture, post } = setup();
    const text = 'nul\u0000 esc\u001b[31m: mail jane.doe@example.com, call +44 20 7946 0958, see https://shop.example/reset?token=abc123 or https://example.com/page';
    const { id } = await (await post('/v1/feedback', { ...GOOD, text })).json();
    const [record] = await capture.buffer.oldest(10);
    expect(record).toMatchObject({ id, text: 'nul esc[31m: mail <email>, call <phone>, see <url> or https://example.com/page' });
  });

  it('dry_run: 200 with the text as it would be stored; nothing is stored, even without a capture buffer', async () => {
    const { capture, post } = setup();
    const response = await post('/v1/feedback', { ...GOOD, text: 'write to me@example.org', dry_run: true });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ dry_run: true, text: 'write to <email>' });
    expect(await stored(capture)).toBe(0);
    expect((await post('/v1/feedback', { ...GOOD, dry_run: false })).status).toBe(202);
    expect(await stored(capture)).toBe(1);
    const bare = createApp({ runtime: 'node', models: fixtureModelProvider(), log: () => {} });
    const dry = await bare.request('/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...GOOD, dry_run: true }) });
    expect(dry.status).toBe(200);
  });

  it("the /docs Try-it form for feedback sends dry_run, and the scoring forms send store: false", async () => {
    const { app } = setup();
    const page = await (await app.request('/docs')).text();
    const forms = [...page.matchAll(/<form class="try" data-method="POST" data-path="([^"]+)">\s*<textarea[^>]*>([^<]*)<\/textarea>/g)].map(([, path, body]) => [path, JSON.parse(body.replace(/&quot;/g, '"').replace(/&amp;/g, '&'))]);
    expect(Object.fromEntries(forms)).toMatchObject({ '/v1/feedback': { dry_run: true }, '/v1/sentiment': { store: false }, '/v1/sentiment/batch': { store: false } });
    expect(page).toContain('Stored for retraining');
  });

  it('2,000 wrong API keys from one client: the first AUTH_FAILURE_LIMIT_PER_MINUTE get 401, the rest 429 with Retry-After', async () => {
    const key = 'k-aaaaaaaaaaaaaaaaaaaa';
    const { capture, post } = setup({ feedbackApiKeys: [key], authFailuresPerMinute: 10 });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 2_000; i++) {
      last = await post('/v1/feedback', GOOD, { authorization: `Bearer wrong-key-${String(i).padStart(12, '0')}`, 'cf-connecting-ip': '198.51.100.9' });
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1_990);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await last!.json()).error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/failed authentications/) });
    // Throttled even with the right key until the wait is over (a guesser learns nothing); other clients are not affected.
    expect((await post('/v1/feedback', GOOD, { authorization: `Bearer ${key}`, 'cf-connecting-ip': '198.51.100.9' })).status).toBe(429);
    expect((await post('/v1/feedback', GOOD, { authorization: `Bearer ${key}`, 'cf-connecting-ip': '198.51.100.10' })).status).toBe(202);
    expect(await stored(capture)).toBe(1);
    // 0 turns the throttle off.
    const open = setup({ feedbackApiKeys: [key], authFailuresPerMinute: 0 });
    const wrong = await Promise.all(Array.from({ length: 50 }, () => open.post('/v1/feedback', GOOD, { authorization: 'Bearer nope-nope-nope-nope' })));
    expect(new Set(wrong.map((r) => r.status))).toEqual(new Set([401]));
  }, 60_000);

  it('503 capture_unavailable without a capture buffer, or when the buffer fails', async () => {
    const app = createApp({ runtime: 'node', models: fixtureModelProvider(), log: () => {} });
    const response = await app.request('/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(GOOD) });
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe('capture_unavailable');
    const failing: RecordBuffer = { append: async () => Promise.reject(new Error('disk full')), oldest: async () => [], remove: async () => {}, depth: async () => 0, depthEstimate: async () => 0 };
    const { post } = setup({}, failing);
    expect((await post('/v1/feedback', GOOD)).status).toBe(503);
  });
});

describe('low-confidence logging', () => {
  // The fixture model's answers: confident on the first, unsure on the second (checked below).
  const CONFIDENT = 'I love this, great!';
  const UNSURE = 'The meeting is at 3pm tomorrow in the office';
  // Just as unsure, but in Spanish: the model cannot judge it, so it is never recorded.
  const FOREIGN = 'La reunión es mañana a las tres en la oficina';

  it('records a prediction under the threshold, not a confident one, after the response', async () => {
    const { capture, post } = setup({ lowConfidenceThreshold: 0.55 });
    const sure = await (await post('/v1/sentiment', { text: CONFIDENT })).json();
    const unsure = await (await post('/v1/sentiment', { text: UNSURE, full_precision: true })).json();
    const foreign = await (await post('/v1/sentiment', { text: FOREIGN })).json();
    expect(sure.confidence).toBeGreaterThanOrEqual(0.55);
    expect(unsure.confidence).toBeLessThan(0.55);
    expect([unsure.supported, foreign.supported, foreign.confidence < 0.55]).toEqual([true, false, true]);
    await vi.waitFor(async () => expect(await capture.buffer.depth()).toBe(1));
    await settle();
    expect(await capture.buffer.oldest(10)).toEqual([
      expect.objectContaining({ kind: 'low_confidence', text: UNSURE, label: unsure.label, confidence: unsure.confidence, scores: unsure.scores, model_version: unsure.model_version, source: 'auto' }),
    ]);
    await post('/v1/sentiment/batch', { texts: [CONFIDENT, UNSURE, FOREIGN, UNSURE] });
    await vi.waitFor(async () => expect(await capture.buffer.depth()).toBe(3));
    await settle();
    expect(await capture.buffer.depth()).toBe(3);
  });

  it('does not wait for the record: the response comes while the buffer is still writing', async () => {
    let release!: () => void;
    const appended: unknown[] = [];
    const slow: RecordBuffer = {
      append: (records) => new Promise<void>((resolve) => (release = () => (appended.push(...records), resolve()))),
      oldest: async () => [],
      remove: async () => {},
      depth: async () => appended.length,
      depthEstimate: async () => appended.length,
    };
    const { post } = setup({ lowConfidenceThreshold: 1 }, slow);
    const response = await post('/v1/sentiment', { text: UNSURE });
    expect(response.status).toBe(200);
    expect(appended).toHaveLength(0);
    await vi.waitFor(() => expect(release).toBeDefined()); // append() started, after the response
    release();
    await vi.waitFor(() => expect(appended).toHaveLength(1));
  });

  it('is off with LOW_CONFIDENCE_LOGGING=false or a sample rate of 0; a failing buffer never fails the prediction', async () => {
    for (const intake of [{ lowConfidenceLogging: false }, { lowConfidenceSampleRate: 0 }]) {
      const { capture, post } = setup({ ...intake, lowConfidenceThreshold: 1 });
      expect((await post('/v1/sentiment', { text: UNSURE })).status).toBe(200);
      await settle();
      expect(await capture.buffer.depth()).toBe(0);
    }
    const failing: RecordBuffer = { append: async () => Promise.reject(new Error('disk full')), oldest: async () => [], remove: async () => {}, depth: async () => 0, depthEstimate: async () => 0 };
    const { post } = setup({ lowConfidenceThreshold: 1 }, failing);
    expect((await post('/v1/sentiment', { text: UNSURE })).status).toBe(200);
    await settle();
  });
});

describe('low-confidence storage opt-out and scrubbing', () => {
  it('"store": false keeps the texts of either scoring endpoint out of storage', async () => {
    const { capture, post } = setup({ lowConfidenceThreshold: 1 });
    expect((await post('/v1/sentiment', { text: 'we will see about the meeting at 3', store: false })).status).toBe(200);
    expect((await post('/v1/sentiment/batch', { texts: ['we will see about the meeting at 4', 'we will see about the meeting at 5'], store: false })).status).toBe(200);
    await settle();
    expect(await capture.buffer.depth()).toBe(0);
    // store: true and no flag are the default: stored.
    await post('/v1/sentiment', { text: 'we will see about the meeting at 6', store: true });
    await post('/v1/sentiment/batch', { texts: ['we will see about the meeting at 7'] });
    await vi.waitFor(async () => expect(await capture.buffer.depth()).toBe(2));
  });

  it('stores low-confidence texts scrubbed; the prediction is made on the text as sent', async () => {
    const { capture, post } = setup({ lowConfidenceThreshold: 1 });
    const text = 'please ping me on 555-123-4567 or write to bob@example.net today\u0007';
    const response = await post('/v1/sentiment', { text });
    expect(response.status).toBe(200);
    await vi.waitFor(async () => expect(await capture.buffer.depth()).toBe(1));
    expect(await capture.buffer.oldest(1)).toEqual([expect.objectContaining({ kind: 'low_confidence', text: 'please ping me on <phone> or write to <email> today' })]);
  });
});

describe('scoring rate limit (SCORING_RATE_LIMIT_PER_MINUTE)', () => {
  it('is off by default; when set, a client over its burst gets 429 with Retry-After on both endpoints, others are not affected', async () => {
    const off = setup();
    const many = await Promise.all(Array.from({ length: 100 }, () => off.post('/v1/sentiment', { text: 'hi', store: false }, { 'cf-connecting-ip': '192.0.2.1' })));
    expect(new Set(many.map((r) => r.status))).toEqual(new Set([200]));

    const clientAddress = (c: Context) => c.req.header('cf-connecting-ip');
    const app = createApp({ runtime: 'node', models: fixtureModelProvider(), log: () => {}, clientAddress, config: { ...SERVING_DEFAULTS, scoringRatePerMinute: 60, scoringRateBurst: 3 } });
    const score = (path: string, body: unknown, ip: string) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip }, body: JSON.stringify(body) });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await score('/v1/sentiment', { text: 'hi' }, '192.0.2.1')).status);
    const limited = await score('/v1/sentiment/batch', { texts: ['hi'] }, '192.0.2.1');
    expect([...statuses, limited.status]).toEqual([200, 200, 200, 429]);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error.code).toBe('rate_limited');
    expect((await score('/v1/sentiment', { text: 'hi' }, '192.0.2.2')).status).toBe(200);
    const doc = await (await app.request('/openapi.json')).json();
    expect(Object.keys(doc.paths['/v1/sentiment'].post.responses)).toContain('429');
    expect(doc.paths['/v1/sentiment'].post.description).toMatch(/Rate limit: 60 scoring requests/);
  });
});

describe('low-confidence volume cap', () => {
  it('records at most LOW_CONFIDENCE_MAX_PER_MINUTE per process; the predictions themselves are unaffected', async () => {
    const { capture, post } = setup({ lowConfidenceThreshold: 1, lowConfidenceMaxPerMinute: 5 });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => post('/v1/sentiment', { text: `we will see about the meeting at ${i} tomorrow` })));
    expect(responses.map((r) => r.status).filter((status) => status !== 200)).toEqual([]);
    await vi.waitFor(async () => expect(await capture.buffer.depth()).toBe(5));
    await post('/v1/sentiment/batch', { texts: ['we will see about the meeting at 3', 'we will see about the meeting at 4'] });
    await settle();
    expect(await capture.buffer.depth()).toBe(5);
  });
});

describe('GET /health with capture', () => {
  it('shows the buffer depth and the flush state', async () => {
    const { app, post } = setup();
    await post('/v1/feedback', GOOD);
    expect((await (await app.request('/health')).json()).depth).toBe(1);
    const body = await (await app.request('/health', { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json();
    expect(body.details.capture).toMatchObject({ depth: 1, last_flush_at: null, consecutive_failures: 0, flushing: false });
  });
});
