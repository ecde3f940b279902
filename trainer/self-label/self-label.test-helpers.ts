/** Shared by the self-label tests: low-confidence records, a test config, and reading back what a run wrote. */
import { join } from 'node:path';
import { newLowConfidenceRecord, type LowConfidenceRecord } from '../../shared/feedback-record';
import type { Label } from '../../shared/labels';
import type { LabelledRow } from '../data/csv';
import { pullDataset } from '../dataset/pull';
import { readDatasetRecords } from '../dataset/records';
import { selfLabelConfigSchema, type SelfLabelConfig } from './settings';
import { type HubSettings } from '../../shared/settings';

/** Low-confidence records for rows, as the server logs them; `production` is what the model said (default: the truth). */
export function lowConfidence(rows: readonly LabelledRow[], production: (row: LabelledRow, i: number) => Label = (row) => row.label, start = Date.UTC(2026, 10, 1)): LowConfidenceRecord[] {
  return rows.map((row, i) =>
    newLowConfidenceRecord({ text: row.text, label: production(row, i), confidence: 0.45, scores: { negative: 0.3, neutral: 0.25, positive: 0.45 }, model_version: 'v1' }, new Date(start + i * 1000)),
  );
}

/** A config for tests: the local stand-in, a private cache file, fast retries, no base dataset to skip. */
export function testConfig(dir: string, baseUrl: string, overrides: Record<string, unknown> = {}): SelfLabelConfig {
  return selfLabelConfigSchema.parse({
    provider: 'local',
    base_url: baseUrl,
    batch_size: 10,
    skip_texts_in: [],
    cache_file: join(dir, 'answers.jsonl'),
    request: { timeout_s: 5, max_retries: 3, backoff_base_ms: 1, backoff_max_ms: 5, max_retry_after_s: 5, concurrency: 2, json_mode: true },
    ...overrides,
  });
}

/** Everything in the dataset repo now, read back through the trainer's own reader (which validates every line). */
export async function readBack(repo: string, hub: HubSettings, dir: string) {
  const pulled = await pullDataset({ ...hub, repo, dir, log: () => {} });
  return readDatasetRecords(dir, pulled);
}
