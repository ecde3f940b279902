import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFeedbackRecord } from '../../shared/feedback-record';
import type { Label } from '../../shared/labels';
import type { SentimentModel } from '../../shared/sentiment-model';
import { readLabelledCsv } from '../data/csv';
import { loadModelFile } from '../onnx/load-model';
import { checkAlerts } from './alerts';
import { retrainConfigSchema } from './retrain-config';

let model: SentimentModel;
const policy = retrainConfigSchema.parse({}).alerts;
const now = new Date('2026-11-29T03:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

beforeAll(async () => {
  model = await loadModelFile('worker/model/model.onnx');
});
afterAll(async () => model?.release());

async function feedback(n: number, when: Date, label: (gold: Label) => Label) {
  const rows = (await readLabelledCsv('datasets/tweeteval/val.csv')).slice(0, n);
  return rows.map((row) => newFeedbackRecord({ text: row.text, model_label: 'neutral', correct_label: label(row.label) }, when));
}

describe('checkAlerts', () => {
  it('is quiet when production agrees with the newest corrections as well as it does on validation', async () => {
    const alerts = await checkAlerts(model, await feedback(200, daysAgo(1), (gold) => gold), policy, now);
    expect(alerts.map((a) => a.status)).toEqual(['ok', 'ok']);
    expect(alerts[0].value).toBeGreaterThan(0.6);
    expect(alerts[0].samples).toBe(200);
  });

  it('fires when production is mostly wrong on the newest week of corrections, and says what to do', async () => {
    const wrong = (gold: Label): Label => (gold === 'positive' ? 'negative' : 'positive');
    const alerts = await checkAlerts(model, await feedback(200, daysAgo(2), wrong), policy, now);
    expect(alerts[0]).toMatchObject({ name: 'correction_accuracy', status: 'alert' });
    expect(alerts[0].message).toMatch(/below the floor of 50\.0%: look at the newest corrections and retrain/);
  });

  it('fires when the share of low-confidence texts rises above the ceiling', async () => {
    const alerts = await checkAlerts(model, await feedback(200, daysAgo(1), (gold) => gold), { ...policy, max_low_confidence_share: 0.05 }, now);
    expect(alerts[1]).toMatchObject({ name: 'low_confidence_share', status: 'alert' });
  });

  it('does not judge on too few samples, and only looks at the newest window', async () => {
    const old = await feedback(200, daysAgo(30), () => 'negative');
    const alerts = await checkAlerts(model, [...old, ...(await feedback(5, daysAgo(1), (gold) => gold))], policy, now);
    expect(alerts.map((a) => a.status)).toEqual(['too_few_samples', 'too_few_samples']);
    expect(alerts[0].message).toBe('only 5 feedback since 2026-11-22 (need 20): not judged');
  });
});
