import { describe, expect, it } from 'vitest';
import { Budget } from '../self-label/budget';
import { chatCompletion, retryAfterMs, type ChatClientOptions } from './chat-completions';

const KEY = 'sk-secret-key-never-printed';
const completion = (content: string, usage = { prompt_tokens: 40, completion_tokens: 10 }) =>
  new Response(JSON.stringify({ choices: [{ message: { role: 'assistant', content }, finish_reason: 'stop' }], usage }), { status: 200, headers: { 'content-type': 'application/json' } });
const error = (status: number, headers: Record<string, string> = {}) => new Response(JSON.stringify({ error: { message: `status ${status}` } }), { status, headers });

/** A client whose fetch answers from `responses` in turn, recording requests and waits. */
function client(responses: Array<Response | 'hang' | 'network'>, overrides: Partial<ChatClientOptions> = {}) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const waits: number[] = [];
  const options: ChatClientOptions = {
    baseUrl: 'http://llm.test/v1/',
    model: 'm',
    apiKey: KEY,
    timeoutMs: 50,
    maxRetries: 3,
    backoffBaseMs: 100,
    backoffMaxMs: 1000,
    maxRetryAfterMs: 10_000,
    random: () => 1,
    sleep: async (ms) => void waits.push(ms),
    fetch: (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      const next = responses.shift();
      if (next === 'network') throw new TypeError('fetch failed');
      if (next === 'hang' || !next) return new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
      return next;
    }) as typeof fetch,
    ...overrides,
  };
  return { options, requests, waits };
}
const request = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 50, reserveTokens: 100, jsonMode: true };

describe('chatCompletion', () => {
  it('posts an OpenAI chat completion at temperature 0 with the key as a bearer token, and reports usage', async () => {
    const c = client([completion('{"labels":[]}')]);
    const budget = new Budget(10, 1000);
    const outcome = await chatCompletion(c.options, request, budget);
    expect(outcome).toMatchObject({ ok: true, content: '{"labels":[]}', usage: { prompt_tokens: 40, completion_tokens: 10 }, attempts: 1 });
    expect(c.requests[0].url).toBe('http://llm.test/v1/chat/completions');
    expect((c.requests[0].init.headers as Record<string, string>).authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(c.requests[0].init.body as string)).toEqual({ model: 'm', messages: request.messages, temperature: 0, max_tokens: 50, response_format: { type: 'json_object' } });
    expect(budget).toMatchObject({ requests: 1, tokens: 50 });
  });

  it('retries 429 and 5xx, waiting at least what Retry-After asks (seconds or a date), and gives their tokens back', async () => {
    const c = client([error(429, { 'retry-after': '3' }), error(503), error(429, { 'retry-after': new Date(Date.now() + 5000).toUTCString() }), completion('ok')]);
    const budget = new Budget(10, 1000);
    const outcome = await chatCompletion(c.options, request, budget);
    expect(outcome).toMatchObject({ ok: true, attempts: 4 });
    expect(c.waits[0]).toBe(3000);
    expect(c.waits[1]).toBe(200); // backoff: 100 * 2^1 with full jitter at its top
    expect(c.waits[2]).toBeGreaterThan(3000);
    expect(budget).toMatchObject({ requests: 4, tokens: 50 });
  });

  it('gives up on a Retry-After longer than it may wait, and after its retries', async () => {
    const long = client([error(429, { 'retry-after': '3600' })]);
    expect(await chatCompletion(long.options, request, new Budget(10, 1000))).toMatchObject({ ok: false, reason: 'rate_limited', attempts: 1, fatal: false });
    const flaky = client([error(500), error(500), error(500), error(500)]);
    expect(await chatCompletion(flaky.options, request, new Budget(10, 1000))).toMatchObject({ ok: false, reason: 'server_error', status: 500, attempts: 4 });
  });

  it('does not retry a request the provider rejects; a bad key or model is fatal', async () => {
    expect(await chatCompletion(client([error(400)]).options, request, new Budget(10, 1000))).toMatchObject({ ok: false, reason: 'rejected', status: 400, fatal: false, attempts: 1 });
    const unauthorised = await chatCompletion(client([error(401)]).options, request, new Budget(10, 1000));
    expect(unauthorised).toMatchObject({ ok: false, reason: 'rejected', status: 401, fatal: true });
    expect(JSON.stringify(unauthorised)).not.toContain(KEY);
  });

  it('times out a hanging attempt, retries, and keeps the timed-out attempts on the budget (they may be billed)', async () => {
    const c = client(['hang', 'network', completion('ok')]);
    const budget = new Budget(10, 1000);
    const outcome = await chatCompletion(c.options, request, budget);
    expect(outcome).toMatchObject({ ok: true, attempts: 3 });
    expect(budget).toMatchObject({ requests: 3, tokens: 100 + 100 + 50 });
  });

  it('never sends an attempt the budget refuses', async () => {
    const c = client([error(429), completion('ok')]);
    const budget = new Budget(1, 1000);
    expect(await chatCompletion(c.options, request, budget)).toMatchObject({ ok: false, reason: 'rate_limited', attempts: 1 });
    expect(c.requests).toHaveLength(1);
    const tokens = client([completion('ok')]);
    expect(await chatCompletion(tokens.options, request, new Budget(10, 99))).toMatchObject({ ok: false, reason: 'budget', attempts: 0 });
    expect(tokens.requests).toHaveLength(0);
  });

  it('reports a body that is not a chat completion instead of throwing', async () => {
    const c = client([new Response('<html>gateway</html>', { status: 200 })]);
    expect(await chatCompletion(c.options, request, new Budget(10, 1000))).toMatchObject({ ok: false, reason: 'bad_response', attempts: 1 });
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates, and ignores the rest', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Wed, 02 Dec 2026 00:00:10 GMT', Date.parse('Wed, 02 Dec 2026 00:00:00 GMT'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });
});
