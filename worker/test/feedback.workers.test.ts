/**
 * Feedback inside workerd: the real worker (worker/adapter/workerd/index.ts) stores a POST /v1/feedback in the
 * CAPTURE_DB D1 binding, its scheduled() handler (the Cron Trigger) commits it to the local Hub
 * (local-hub.global-setup.ts), and low-confidence predictions land in D1 after the response.
 */
import * as workers from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { parseRecordLine } from '../../shared/feedback-record';
import type { D1Like } from '../adapter/workerd/d1-buffer';
import { readShards } from '../capture/hub.test-helpers';
import type { Env } from '../deps';
import worker from '../adapter/workerd/index';

const env = (workers as unknown as { env: Env }).env;
const db = env.CAPTURE_DB as D1Like | undefined;
const hubUrl = inject('captureHubUrl') as string | undefined;
const BASE = 'http://worker.test';

async function storedBody(id: string): Promise<string | null> {
  const row = await db!.prepare('SELECT body FROM capture_buffer WHERE id = ?').bind(id).first<{ body: string }>();
  return row?.body ?? null;
}

/** What workerd's runtime passes to fetch/scheduled: here, collects waitUntil promises. */
function executionContext() {
  const pending: Promise<unknown>[] = [];
  return { pending, ctx: { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException: () => {}, props: {} } };
}

describe.skipIf(!db || !hubUrl)('feedback in workerd', () => {
  it('POST /v1/feedback → 202, the record in D1; the cron handler commits it to the dataset repo', async () => {
    const repo = `acme/workerd-feedback-${Date.now()}`;
    // Its own env object, so the worker builds an app and capture for it (vars as wrangler would pass them).
    const hubEnv: Env = { ...env, HF_ENDPOINT: hubUrl, HF_TOKEN: 'hf_workerd_feedback', HF_DATASET_REPO: repo, ADMIN_API_KEY: 'workerd-admin-key-16' };
    const text = `workerd feedback ${Date.now()}`;
    const fetchCtx = executionContext();
    const response = await worker.fetch(
      new Request(`${BASE}/v1/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.7' },
        body: JSON.stringify({ text, model_label: 'negative', correct_label: 'positive', confidence: 0.51, model_version: 'v1' }),
      }),
      hubEnv,
      fetchCtx.ctx,
    );
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    expect(parseRecordLine((await storedBody(id))!)).toMatchObject({ id, kind: 'feedback', text, correct_label: 'positive' });
    await Promise.all(fetchCtx.pending); // the 'size' flush: below the threshold, so it skips

    const cron = executionContext();
    worker.scheduled(undefined, hubEnv, cron.ctx);
    expect(cron.pending).toHaveLength(1);
    await Promise.all(cron.pending);
    expect(await storedBody(id)).toBeNull(); // committed, so removed from the buffer
    const { records } = await readShards({ hubUrl, accessToken: 'hf_workerd_feedback', repo: { type: 'dataset', name: repo } });
    expect(records.filter((r) => r.id === id)).toEqual([expect.objectContaining({ id, kind: 'feedback', text, model_label: 'negative', correct_label: 'positive', source: 'api' })]);

    const admin = { authorization: `Bearer ${hubEnv.ADMIN_API_KEY}` };
    const health = (await (await worker.fetch(new Request(`${BASE}/health`, { headers: admin }), hubEnv, executionContext().ctx)).json()) as { details: { capture: Record<string, unknown> } };
    expect(health.details.capture).toMatchObject({ last_error: null, consecutive_failures: 0, commits_last_hour: 1 });
  });

  it('records a low-confidence prediction in D1 after the response, through waitUntil', async () => {
    // Threshold 1: every prediction is "low confidence".
    const lowEnv: Env = { ...env, LOW_CONFIDENCE_LOGGING: 'true', LOW_CONFIDENCE_THRESHOLD: '1' };
    const text = `a workerd prediction ${Date.now()}`;
    const { pending, ctx } = executionContext();
    const response = await worker.fetch(
      new Request(`${BASE}/v1/sentiment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, full_precision: true }) }),
      lowEnv,
      ctx,
    );
    expect(response.status).toBe(200);
    const prediction = (await response.json()) as { label: string; confidence: number };
    expect(pending).toHaveLength(1);
    await Promise.all(pending);
    const { results } = await db!.prepare("SELECT body FROM capture_buffer WHERE kind = 'low_confidence'").all<{ body: string }>();
    const mine = results.map((r) => parseRecordLine(r.body)).filter((r) => r.text === text);
    expect(mine).toEqual([expect.objectContaining({ kind: 'low_confidence', label: prediction.label, confidence: prediction.confidence, source: 'auto' })]);
  });

  it('stores feedback scrubbed, dry_run stores nothing, and "store": false keeps scoring texts out of D1', async () => {
    const lowEnv: Env = { ...env, LOW_CONFIDENCE_LOGGING: 'true', LOW_CONFIDENCE_THRESHOLD: '1' };
    const post = async (path: string, body: unknown) => {
      const { pending, ctx } = executionContext();
      const response = await worker.fetch(new Request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), lowEnv, ctx);
      await Promise.all(pending);
      return response;
    };
    const stamp = Date.now();
    const feedback = { model_label: 'negative', correct_label: 'positive' };
    const stored = await post('/v1/feedback', { ...feedback, text: `workerd ${stamp}\u0000 mail me@example.com or +1 555 123 4567` });
    expect(stored.status).toBe(202);
    const { id } = (await stored.json()) as { id: string };
    expect(parseRecordLine((await storedBody(id))!).text).toBe(`workerd ${stamp} mail <email> or <phone>`);

    const dry = await post('/v1/feedback', { ...feedback, text: `dry ${stamp} https://x.example/?token=1`, dry_run: true });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toEqual({ dry_run: true, text: `dry ${stamp} <url>` });

    const secret = `never stored ${stamp}`;
    expect((await post('/v1/sentiment', { text: secret, store: false })).status).toBe(200);
    expect((await post('/v1/sentiment/batch', { texts: [secret, secret], store: false })).status).toBe(200);
    const { results } = await db!.prepare('SELECT body FROM capture_buffer').all<{ body: string }>();
    expect(results.filter((r) => r.body.includes(`dry ${stamp}`) || r.body.includes(secret))).toEqual([]);
  });
});
