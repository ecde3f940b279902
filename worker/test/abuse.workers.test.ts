/**
 * Per-client limits inside workerd (the real worker, worker/adapter/workerd/index.ts): the client is the
 * CF-Connecting-IP Cloudflare sets. Failed API keys are throttled; the optional scoring limit.
 */
import * as workers from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../deps';
import worker from '../adapter/workerd/index';

const env = (workers as unknown as { env: Env }).env;
const BASE = 'http://worker.test';
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };

const post = async (vars: Env, path: string, body: unknown, headers: Record<string, string>) =>
  worker.fetch(new Request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }), vars, ctx);

describe('per-client limits in workerd', () => {
  it('throttles failed API keys per CF-Connecting-IP: 401 up to AUTH_FAILURE_LIMIT_PER_MINUTE, then 429 with Retry-After', async () => {
    // Its own env object: the worker builds an app with these vars.
    const vars: Env = { ...env, FEEDBACK_API_KEYS: 'k-workerd-aaaaaaaaaaaaaaaa', AUTH_FAILURE_LIMIT_PER_MINUTE: '5' };
    const feedback = { text: 'fine', model_label: 'negative', correct_label: 'positive', dry_run: true };
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await post(vars, '/v1/feedback', feedback, { authorization: `Bearer guess-${i}-xxxxxxxxxxxxxxxx`, 'cf-connecting-ip': '198.51.100.20' })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const throttled = await post(vars, '/v1/feedback', feedback, { authorization: 'Bearer guess-again-xxxxxxxxxxxx', 'cf-connecting-ip': '198.51.100.20' });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another address is not affected, and the right key works there.
    expect((await post(vars, '/v1/feedback', feedback, { authorization: 'Bearer k-workerd-aaaaaaaaaaaaaaaa', 'cf-connecting-ip': '198.51.100.21' })).status).toBe(200);
  });

  it('limits scoring per client only when SCORING_RATE_LIMIT_PER_MINUTE is set', async () => {
    const limited: Env = { ...env, SCORING_RATE_LIMIT_PER_MINUTE: '1' };
    const body = { text: 'hi', store: false };
    expect((await post(limited, '/v1/sentiment', body, { 'cf-connecting-ip': '192.0.2.10' })).status).toBe(200);
    const second = await post(limited, '/v1/sentiment/batch', { texts: ['hi'], store: false }, { 'cf-connecting-ip': '192.0.2.10' });
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await post(limited, '/v1/sentiment', body, { 'cf-connecting-ip': '192.0.2.11' })).status).toBe(200);
    // Default env: no limit.
    const statuses = await Promise.all(Array.from({ length: 20 }, () => post(env, '/v1/sentiment', body, { 'cf-connecting-ip': '192.0.2.12' }).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
