/** The real worker (worker/adapter/workerd/index.ts, shipped model) inside workerd, compared with Node. */
import { exports } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { LABELS } from '../../shared/labels';
import bundledManifest from '../model/manifest.json';
import { PARITY_TEXTS } from './fixtures/texts';

const post = (text: string) =>
  exports.default.fetch('http://worker.test/v1/sentiment', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, full_precision: true }),
  });

describe('POST /v1/sentiment in workerd', () => {
  it('returns the probabilities Node computes for the same model, to 1e-6', async () => {
    const expected = inject('nodeProbabilities');
    for (const [row, text] of PARITY_TEXTS.entries()) {
      const response = await post(text);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { label: string; confidence: number; scores: Record<string, number>; model_version: string };
      expect(body.model_version).toBe(bundledManifest.version);
      LABELS.forEach((label, c) => expect(Math.abs(body.scores[label] - expected[row * 3 + c])).toBeLessThanOrEqual(1e-6));
      expect(body.confidence).toBe(Math.max(...Object.values(body.scores)));
      expect(body.scores[body.label]).toBe(body.confidence);
    }
  });

  it('reports the loaded model on /health', async () => {
    await post('warm up');
    const response = await exports.default.fetch('http://worker.test/health');
    expect(await response.json()).toMatchObject({ status: 'ok', version: bundledManifest.version, depth: expect.any(Number) });
  });
});
