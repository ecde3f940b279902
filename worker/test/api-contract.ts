/**
 * The HTTP contract of the API, written once against a `fetch` and run everywhere the app runs:
 * app.request() on Node (app.test.ts), real HTTP on the Node server (node-server.test.ts) and
 * the real worker inside workerd (api.workers.test.ts). Model-agnostic: it checks shapes, the
 * errors, and that answers agree with each other (batch vs single, parallel vs sequential).
 */
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../shared/labels';
import { ERROR_CODES, ERRORS, type ErrorCode } from '../errors';
import { SERVING_DEFAULTS } from '../../shared/settings';

export type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

export interface ApiContractOptions {
  fetch: Fetch;
  runtime: 'workerd' | 'node';
  modelVersion: string;
  /** Texts the model scores differently, to see order preserved (at least 3). */
  texts: readonly string[];
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const { maxTextChars, maxBatchTexts, maxBodyBytes } = SERVING_DEFAULTS;

interface Result {
  label: string;
  confidence: number;
  scores: Record<string, number>;
  language: string;
  supported: boolean;
  explanation?: Explanation | null;
}

interface Explanation {
  label: string;
  versus: string;
  logit_difference: number;
  bias: number;
  toward: { ngram: string; kind: string; contribution: number }[];
  against: { ngram: string; kind: string; contribution: number }[];
  rest: number;
}

const DECIMALS = SERVING_DEFAULTS.scoreDecimals;
const hasAtMostDecimals = (x: number, decimals: number) => Math.abs(Math.round(x * 10 ** decimals) - x * 10 ** decimals) < 1e-6;

export function describeApiContract({ fetch, runtime, modelVersion, texts }: ApiContractOptions): void {
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(path, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const single = async (text: string) => {
    const response = await postJson('/v1/sentiment', { text });
    expect(response.status).toBe(200);
    return (await response.json()) as Result & { model_version: string };
  };

  async function expectError(response: Response, code: ErrorCode, message?: RegExp): Promise<void> {
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect({ status: response.status, code: body.error.code }).toEqual({ status: ERRORS[code].status, code });
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error)).toEqual(['code', 'message']);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-request-id')).toMatch(UUID);
    if (message) expect(body.error.message).toMatch(message);
    expect(body.error.message).not.toMatch(/\n\s+at /); // never a stack trace
  }

  function expectPrediction(result: Result): void {
    expect(Object.keys(result.scores)).toEqual([...LABELS]);
    const values = LABELS.map((label) => result.scores[label]);
    expect(Math.abs(values.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(2e-4); // rounded to 4 decimals each
    expect(result.confidence).toBe(Math.max(...values));
    expect(result.scores[result.label]).toBe(result.confidence);
    expect(result.language).toMatch(/^([a-z]{2}|und)$/);
    expect(typeof result.supported).toBe('boolean');
  }

  describe('endpoints', () => {
    it('GET /health tells anyone only the status, the model version and the buffer depth', async () => {
      for (const headers of [{}, { authorization: 'Bearer not-the-admin-key-at-all' }] as Record<string, string>[]) {
        const response = await fetch('/health', { headers });
        expect(response.status).toBe(200);
        const body = await response.json();
        expect(Object.keys(body)).toEqual(['status', 'version', 'depth', 'alerts']);
        expect(body.status).toBe('ok');
        expect([null, modelVersion]).toContain(body.version);
      }
    });

    it('POST /v1/sentiment returns label, confidence, every score and the model version', async () => {
      const body = await single(texts[0]);
      expect(Object.keys(body)).toEqual(['label', 'confidence', 'scores', 'language', 'supported', 'model_version']);
      expect(body.model_version).toBe(modelVersion);
      expectPrediction(body);
    });

    it('POST /v1/sentiment/batch returns one result per text, in input order, equal to single answers', async () => {
      const batchTexts = [...texts, ...[...texts].reverse()];
      const response = await postJson('/v1/sentiment/batch', { texts: batchTexts, full_precision: true });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { results: Result[]; model_version: string };
      expect(Object.keys(body)).toEqual(['results', 'model_version']);
      expect(body.model_version).toBe(modelVersion);
      expect(body.results).toHaveLength(batchTexts.length);
      for (const [i, text] of batchTexts.entries()) {
        const alone = (await (await postJson('/v1/sentiment', { text, full_precision: true })).json()) as Result;
        expectPrediction(body.results[i]);
        expect(body.results[i].label).toBe(alone.label);
        // One run pads the batch to its longest row; float sums may differ in the last bits.
        for (const label of LABELS) expect(Math.abs(body.results[i].scores[label] - alone.scores[label])).toBeLessThan(1e-6);
      }
      expect(new Set(body.results.map((r) => r.label)).size).toBeGreaterThan(1); // the texts really differ
      expect(body.results.slice(texts.length)).toEqual([...body.results.slice(0, texts.length)].reverse());
    });

    it('accepts exactly the limits: a batch of the maximum size, a text of the maximum length in characters', async () => {
      const full = await postJson('/v1/sentiment/batch', { texts: Array.from({ length: maxBatchTexts }, (_, i) => texts[i % texts.length]) });
      expect(full.status).toBe(200);
      expect(((await full.json()) as { results: unknown[] }).results).toHaveLength(maxBatchTexts);
      // Emoji are two UTF-16 units each but one character.
      expect((await postJson('/v1/sentiment', { text: '🙂'.repeat(maxTextChars) })).status).toBe(200);
    });

    it(`rounds probabilities to ${DECIMALS} decimals unless full precision is asked for, in the body or the query`, async () => {
      const rounded = await single(texts[0]);
      for (const value of Object.values(rounded.scores)) expect(hasAtMostDecimals(value, DECIMALS)).toBe(true);
      for (const full of [
        (await (await postJson('/v1/sentiment', { text: texts[0], full_precision: true })).json()) as Result,
        (await (await postJson('/v1/sentiment?full_precision=true', { text: texts[0] })).json()) as Result,
      ]) {
        expectPrediction(full);
        expect(Object.values(full.scores).some((value) => !hasAtMostDecimals(value, DECIMALS))).toBe(true);
        for (const label of LABELS) expect(Math.abs(full.scores[label] - rounded.scores[label])).toBeLessThanOrEqual(0.5 * 10 ** -DECIMALS + 1e-12);
      }
    });

    it('explains a prediction when asked (query or body): contributions plus bias give the logit difference', async () => {
      expect(await single(texts[0])).not.toHaveProperty('explanation');
      const asked = [
        (await (await postJson('/v1/sentiment?explain=true&full_precision=true', { text: texts[0] })).json()) as Result,
        (await (await postJson('/v1/sentiment', { text: texts[0], explain: true, full_precision: true })).json()) as Result,
        ((await (await postJson('/v1/sentiment/batch', { texts: [texts[1], texts[0]], explain: true, full_precision: true })).json()) as { results: Result[] }).results[1],
      ];
      for (const result of asked) {
        const explanation = result.explanation;
        if (explanation === null) continue; // a model without readable weights says so
        expect(explanation).toMatchObject({ label: result.label, versus: expect.any(String) });
        expect(explanation!.versus).not.toBe(result.label);
        const { toward, against, bias, rest, logit_difference } = explanation!;
        for (const item of toward) expect(item.contribution).toBeGreaterThan(0);
        for (const item of against) expect(item.contribution).toBeLessThan(0);
        expect(Math.abs(bias + rest + [...toward, ...against].reduce((sum, item) => sum + item.contribution, 0) - logit_difference)).toBeLessThan(1e-9);
        expect(Math.abs(Math.log(result.scores[result.label] / result.scores[explanation!.versus]) - logit_difference)).toBeLessThan(1e-4);
      }
      expect(asked[1]).toEqual(asked[0]);
    });

    it('says when it cannot judge a text: language and supported on every result', async () => {
      const foreign = await single('Me encanta este lugar, la comida es buenísima y el servicio excelente');
      expect({ language: foreign.language, supported: foreign.supported }).toEqual({ language: 'es', supported: false });
      expectPrediction(foreign); // the model's probabilities are still there
    });

    it('on_error "item": invalid texts get an error in place, the valid ones are scored (200)', async () => {
      const items = [texts[0], '  ', 42, 'x'.repeat(maxTextChars + 1), texts[1]];
      const response = await postJson('/v1/sentiment/batch', { texts: items, on_error: 'item', full_precision: true });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { results: (Result | { error: { code: string; message: string } })[]; model_version: string };
      expect(body.model_version).toBe(modelVersion);
      expect(body.results.slice(1, 4)).toEqual([
        { error: { code: 'validation_failed', message: expect.stringMatching(/^texts\[1\]: must contain a visible character/) } },
        { error: { code: 'validation_failed', message: 'texts[2]: must be a string, not a number' } },
        { error: { code: 'text_too_long', message: `texts[3]: is ${maxTextChars + 1} characters long; the limit is ${maxTextChars}` } },
      ]);
      for (const [i, text] of [[0, texts[0]], [4, texts[1]]] as const) {
        const alone = (await (await postJson('/v1/sentiment', { text, full_precision: true })).json()) as Result;
        expectPrediction(body.results[i] as Result);
        expect((body.results[i] as Result).label).toBe(alone.label);
      }
      // Nothing valid: every item answered in place, still 200.
      const none = await postJson('/v1/sentiment/batch', { texts: [null, ''], on_error: 'item' });
      expect(none.status).toBe(200);
      expect(((await none.json()) as { results: unknown[] }).results).toEqual([
        { error: { code: 'validation_failed', message: 'texts[0]: must be a string, not null' } },
        { error: { code: 'validation_failed', message: expect.stringMatching(/^texts\[1\]: must contain a visible character/) } },
      ]);
      // The batch itself must still be valid, and strict stays the default.
      await expectError(await postJson('/v1/sentiment/batch', { texts: Array.from({ length: maxBatchTexts + 1 }, () => 'hi'), on_error: 'item' }), 'batch_too_large');
      await expectError(await postJson('/v1/sentiment/batch', { texts: ['hi'], on_error: 'skip' }), 'validation_failed', /^on_error: must be one of strict, item$/);
      await expectError(await postJson('/v1/sentiment/batch', { texts: ['hi', ''], on_error: 'strict' }), 'validation_failed', /^texts\[1\]: /);
    });

    it('GET /v1/model returns the serving model manifest', async () => {
      const response = await fetch('/v1/model');
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ version: modelVersion, featurizer: { name: expect.any(String) }, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(body).toHaveProperty('metrics');
      expect(body).toHaveProperty('created_at');
    });

    it('GET /openapi.json describes every endpoint with the configured limits', async () => {
      const response = await fetch('/openapi.json');
      expect(response.status).toBe(200);
      const doc = await response.json();
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths).sort()).toEqual(['/dashboard', '/health', '/v1/feedback', '/v1/metrics', '/v1/model', '/v1/sentiment', '/v1/sentiment/batch']);
      const batch = doc.components.schemas.BatchSentimentRequest.properties.texts;
      expect(batch).toMatchObject({ maxItems: maxBatchTexts, minItems: 1, items: { maxLength: maxTextChars } });
      expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(ERROR_CODES);
      expect(Object.keys(doc.paths['/v1/sentiment/batch'].post.responses).sort()).toEqual(['200', '400', '413', '415', '422', '500', '503']);
      // Both batch modes, the options (body and query) and the per-item error are documented.
      const request = doc.components.schemas.BatchSentimentRequest.properties;
      expect(request.on_error).toMatchObject({ enum: ['strict', 'item'], description: expect.stringMatching(/strict.*item/s) });
      for (const option of ['explain', 'full_precision']) {
        expect(request[option]).toMatchObject({ type: 'boolean' });
        expect(doc.components.schemas.SentimentRequest.properties[option]).toMatchObject({ type: 'boolean' });
        for (const path of ['/v1/sentiment', '/v1/sentiment/batch']) expect(doc.paths[path].post.parameters).toContainEqual(expect.objectContaining({ name: option, in: 'query' }));
      }
      const results = doc.components.schemas.BatchSentimentResult.properties.results.items;
      expect(JSON.stringify(results)).toContain('#/components/schemas/ItemError');
      expect(doc.components.schemas.Prediction.required).toEqual(expect.arrayContaining(['language', 'supported']));
      expect(doc.components.schemas.Prediction.properties.explanation.properties).toHaveProperty('logit_difference');
    });

    it('GET /docs is a self-contained page listing every endpoint', async () => {
      const response = await fetch('/docs');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      const html = await response.text();
      for (const path of ['/health', '/v1/sentiment', '/v1/sentiment/batch', '/v1/model']) expect(html).toContain(`<code>${path}</code>`);
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i); // nothing from a CDN
      // Try-it forms show the options, with a curl snippet per endpoint.
      const shown = html.replaceAll('&#39;', "'").replaceAll('&quot;', '"');
      expect(shown).toContain(`curl -s -X POST 'http://localhost:8787/v1/sentiment' -H 'content-type: application/json' -d '{"text":"I love this!"`);
      expect(shown).toMatch(/curl -s -X POST 'http:\/\/localhost:8787\/v1\/sentiment\/batch' -H 'content-type: application\/json' -d '\{"texts":\[/);
      expect(shown).toContain(`curl -s 'http://localhost:8787/health'`);
      for (const option of ['explain', 'on_error', 'full_precision']) expect(shown).toContain(`"${option}":`);
    });

    it('HEAD works wherever GET does', async () => {
      const response = await fetch('/health', { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    });

    it('GET / sends people to the docs', async () => {
      const response = await fetch('/', { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/docs');
    });
  });

  describe('errors', () => {
    it('invalid_json: a body that is not JSON, or empty', async () => {
      await expectError(await postJson('/v1/sentiment', '{"text": "unterminated'), 'invalid_json', /not valid JSON/);
      await expectError(await postJson('/v1/sentiment/batch', ''), 'invalid_json', /empty/);
    });

    it('unsupported_media_type: no Content-Type, or not JSON', async () => {
      await expectError(await fetch('/v1/sentiment', { method: 'POST', body: new TextEncoder().encode('{"text":"hi"}') }), 'unsupported_media_type');
      await expectError(
        await fetch('/v1/sentiment', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"text":"hi"}' }),
        'unsupported_media_type',
        /text\/plain/,
      );
      expect((await postJson('/v1/sentiment', { text: 'hi' }, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
    });

    it('validation_failed (422): the message names the field and why', async () => {
      await expectError(await postJson('/v1/sentiment', { txt: 'hi' }), 'validation_failed', /^text: is required$/);
      await expectError(await postJson('/v1/sentiment', { text: 42 }), 'validation_failed', /^text: must be a string, not a number$/);
      await expectError(await postJson('/v1/sentiment', { text: '' }), 'validation_failed', /^text: must contain a visible character/);
      await expectError(await postJson('/v1/sentiment', { text: ' \n\t ' }), 'validation_failed', /^text: must contain a visible character \(not only whitespace, control or zero-width characters\)$/);
      await expectError(await postJson('/v1/sentiment', ['hi']), 'validation_failed', /^body: must be a JSON object, not an array$/);
      await expectError(await postJson('/v1/sentiment/batch', { texts: 'hi' }), 'validation_failed', /^texts: must be an array of strings, not a string$/);
      await expectError(await postJson('/v1/sentiment/batch', { texts: [] }), 'validation_failed', /^texts: must contain at least one text$/);
      await expectError(
        await postJson('/v1/sentiment/batch', { texts: ['ok', 'fine', 'good', '  ', null] }),
        'validation_failed',
        /^texts\[3\]: must contain a visible character \(not only whitespace, control or zero-width characters\) \(and 1 more problem\)$/,
      );
    });

    it('validation_failed (422) for what would poison the dataset: invalid UTF-8, lone surrogates, invisible-only text', async () => {
      const invalidUtf8 = new Uint8Array([...new TextEncoder().encode('{"text":"caf'), 0xe9, ...new TextEncoder().encode('"}')]); // Latin-1 é
      await expectError(await fetch('/v1/sentiment', { method: 'POST', headers: JSON_HEADERS, body: invalidUtf8 }), 'validation_failed', /^body: is not valid UTF-8/);
      await expectError(await postJson('/v1/sentiment', '{"text":"\\ud800"}'), 'validation_failed', /^text: contains a lone surrogate/);
      await expectError(await postJson('/v1/sentiment/batch', '{"texts":["fine","ok \\udfff"]}'), 'validation_failed', /^texts\[1\]: contains a lone surrogate/);
      await expectError(await postJson('/v1/feedback', '{"text":"x\\ud83d","model_label":"negative","correct_label":"positive"}'), 'validation_failed', /^text: contains a lone surrogate/);
      // Zero-width space, joiners, word joiner, BOM, soft hyphen, bidi marks, Hangul filler, Braille blank, NUL and other controls.
      for (const text of ['\u200b', '\u200c\u200d\u2060', '\ufeff \u00ad', '\u200e\u202e', '\u3164', '\u2800\u2800', '\u0000', '\u0001\u001b\u007f']) {
        await expectError(await postJson('/v1/sentiment', { text }), 'validation_failed', /^text: must contain a visible character/);
      }
      // A visible character among them is a text: scored (what is stored is cleaned, see the capture tests).
      for (const text of ['a\u0000b', '\u200bok', '😀', 'e\u0301']) expect((await postJson('/v1/sentiment', { text })).status).toBe(200);
    });

    it('validation_failed (422) messages for the optional fields say what is expected', async () => {
      const feedback = { text: 'fine', model_label: 'negative', correct_label: 'positive' };
      await expectError(await postJson('/v1/feedback', { ...feedback, model_version: '' }), 'validation_failed', /^model_version: must be a model version such as v3/);
      await expectError(await postJson('/v1/feedback', { ...feedback, model_version: 'x'.repeat(65) }), 'validation_failed', /^model_version: must be a model version such as v3/);
      await expectError(await postJson('/v1/feedback', { ...feedback, model_version: 'v1\u0000' }), 'validation_failed', /^model_version: must be a model version/);
      await expectError(await postJson('/v1/feedback', { ...feedback, model_version: 3 }), 'validation_failed', /^model_version: must be a string, not a number$/);
      await expectError(await postJson('/v1/feedback', { ...feedback, confidence: 'high' }), 'validation_failed', /^confidence: must be a number, not a string$/);
      await expectError(await postJson('/v1/feedback', { ...feedback, confidence: 1.5 }), 'validation_failed', /^confidence: must be between 0 and 1$/);
      await expectError(await postJson('/v1/feedback', { ...feedback, dry_run: 'yes' }), 'validation_failed', /^dry_run: must be true or false, not a string$/);
      await expectError(await postJson('/v1/sentiment', { text: 'fine', store: 0 }), 'validation_failed', /^store: must be true or false, not a number$/);
    });

    it('text_too_long and batch_too_large (413)', async () => {
      await expectError(await postJson('/v1/sentiment', { text: 'a'.repeat(maxTextChars + 1) }), 'text_too_long', new RegExp(`^text: is ${maxTextChars + 1} characters long; the limit is ${maxTextChars}$`));
      await expectError(
        await postJson('/v1/sentiment/batch', { texts: ['fine', 'x'.repeat(maxTextChars + 5)] }),
        'text_too_long',
        /^texts\[1\]: is \d+ characters long/,
      );
      await expectError(
        await postJson('/v1/sentiment/batch', { texts: Array.from({ length: maxBatchTexts + 1 }, () => 'hi') }),
        'batch_too_large',
        new RegExp(`^texts: has ${maxBatchTexts + 1} texts; the limit is ${maxBatchTexts}$`),
      );
    });

    it('payload_too_large (413): a body over the byte limit is refused before it is parsed', async () => {
      // Not even JSON: the size is checked first.
      await expectError(await postJson('/v1/sentiment', 'x'.repeat(maxBodyBytes + 1)), 'payload_too_large', new RegExp(`limit is ${maxBodyBytes} bytes`));
      // Texts each within the limits whose total is over the byte limit.
      expect(Math.ceil(maxBodyBytes / maxTextChars) + 1).toBeLessThanOrEqual(maxBatchTexts);
      await expectError(await postJson('/v1/sentiment/batch', { texts: Array.from({ length: Math.ceil(maxBodyBytes / maxTextChars) + 1 }, () => 'a'.repeat(maxTextChars)) }), 'payload_too_large');
    });

    it('payload_too_large (413) for 10 MB, sent with a Content-Length or streamed without one: the answer arrives', async () => {
      const tenMegabytes = new Blob([new Uint8Array(10 * 1_048_576).fill(0x61)]); // a Blob's size is sent as Content-Length
      await expectError(await fetch('/v1/sentiment', { method: 'POST', headers: JSON_HEADERS, body: tenMegabytes }), 'payload_too_large');
      const streamed = tenMegabytes.stream();
      await expectError(await fetch('/v1/sentiment', { method: 'POST', headers: JSON_HEADERS, body: streamed, duplex: 'half' } as RequestInit), 'payload_too_large');
    });

    it('Content-Encoding: gzip is decompressed and limited by its decompressed size; other encodings get 415', async () => {
      const gzip = async (text: string) => new Uint8Array<ArrayBuffer>(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
      const gzipped = (body: Uint8Array<ArrayBuffer>, encoding = 'gzip') => fetch('/v1/sentiment', { method: 'POST', headers: { ...JSON_HEADERS, 'content-encoding': encoding }, body });
      const ok = await gzipped(await gzip(JSON.stringify({ text: texts[0] })));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual(await single(texts[0]));
      // A gzip bomb: 10 KB on the wire, 10 MB once inflated; stopped at the limit.
      const bomb = await gzip(JSON.stringify({ text: ' '.repeat(10 * 1_048_576) }));
      expect(bomb.byteLength).toBeLessThan(maxBodyBytes);
      await expectError(await gzipped(bomb), 'payload_too_large', /more than/);
      await expectError(await gzipped(new TextEncoder().encode('{"text": "not gzip"}')), 'invalid_json', /Content-Encoding: gzip but does not decompress/);
      await expectError(await gzipped(new TextEncoder().encode('{"text": "hi"}'), 'br'), 'unsupported_media_type', /Content-Encoding: br is not supported/);
    });

    it('not_found (404) and method_not_allowed (405, with Allow)', async () => {
      await expectError(await fetch('/v2/sentiment'), 'not_found', /\/v2\/sentiment/);
      await expectError(await postJson('/v1/sentiment/batch/', { texts: ['hi'] }), 'not_found');
      const get = await fetch('/v1/sentiment');
      expect(get.headers.get('allow')).toBe('POST, OPTIONS');
      await expectError(get, 'method_not_allowed', /GET is not allowed on \/v1\/sentiment/);
      const post = await postJson('/health', {});
      expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      await expectError(post, 'method_not_allowed');
      await expectError(await fetch('/v1/model', { method: 'DELETE' }), 'method_not_allowed');
    });
  });

  describe('headers', () => {
    it('CORS: preflight answered with 204, simple responses readable from any origin', async () => {
      const preflight = await fetch('/v1/sentiment/batch', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-request-id' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-request-id');
      expect(preflight.headers.get('access-control-max-age')).toBe('86400');

      const response = await postJson('/v1/sentiment', { text: texts[0] }, { origin: 'https://app.example' });
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-expose-headers')).toBe('X-Request-Id');
      const error = await fetch('/nope', { headers: { origin: 'https://app.example' } });
      expect(error.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('X-Request-Id on every response: generated, or the valid incoming one', async () => {
      const a = (await fetch('/health')).headers.get('x-request-id');
      const b = (await fetch('/health')).headers.get('x-request-id');
      expect(a).toMatch(UUID);
      expect(b).toMatch(UUID);
      expect(a).not.toBe(b);
      expect((await fetch('/health', { headers: { 'x-request-id': 'client-req_42.a:b=' } })).headers.get('x-request-id')).toBe('client-req_42.a:b=');
      const replaced = await fetch('/health', { headers: { 'x-request-id': 'has spaces & <html>' } });
      expect(replaced.headers.get('x-request-id')).toMatch(UUID);
      expect((await fetch('/health', { headers: { 'x-request-id': 'x'.repeat(129) } })).headers.get('x-request-id')).toMatch(UUID);
      const error = await postJson('/v1/sentiment', { text: '' }, { 'x-request-id': 'trace-me' });
      expect(error.headers.get('x-request-id')).toBe('trace-me');
      expect((await fetch('/v1/sentiment', { method: 'OPTIONS', headers: { 'x-request-id': 'pre' } })).headers.get('x-request-id')).toBe('pre');
    });
  });

  describe('concurrency', () => {
    it('100 parallel requests get the same answers as sequential ones', async () => {
      const requests = Array.from({ length: 100 }, (_, i) =>
        i % 10 === 9
          ? { path: '/v1/sentiment/batch', body: { texts: [texts[i % texts.length], `${texts[(i + 1) % texts.length]} #${i}`, texts[(i + 2) % texts.length]] } }
          : { path: '/v1/sentiment', body: { text: `${texts[i % texts.length]} ${i % 7 === 0 ? 'again' : ''}`.trim() } },
      );
      const run = async ({ path, body }: (typeof requests)[number]) => {
        const response = await postJson(path, body);
        expect(response.status).toBe(200);
        return response.json();
      };
      const sequential: unknown[] = [];
      for (const request of requests) sequential.push(await run(request));
      const parallel = await Promise.all(requests.map(run));
      expect(parallel).toEqual(sequential);
    });
  });
}
