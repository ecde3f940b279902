import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commit, createRepo } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFeedbackRecord, newLowConfidenceRecord } from '../../shared/feedback-record';
import { TOKEN, useTestHub } from '../local-hub/local-hub.test-helpers';
import { pullDataset, readPullManifest } from './pull';
import { readDatasetRecords } from './records';

const hub = useTestHub();
let dir: string;
const REPO = 'team/feedback';
const quiet = () => {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pull-'));
  const repo = { type: 'dataset' as const, name: REPO };
  await createRepo({ repo, hubUrl: hub.url, accessToken: TOKEN, private: true });
  const a = newFeedbackRecord({ text: 'loved it', model_label: 'negative', correct_label: 'positive' });
  const b = newLowConfidenceRecord({ text: 'meh', label: 'neutral', confidence: 0.4, scores: { negative: 0.3, neutral: 0.4, positive: 0.3 }, model_version: 'v1' });
  const line = (record: unknown) => JSON.stringify(record) + '\n';
  await commit({
    repo,
    hubUrl: hub.url,
    accessToken: TOKEN,
    title: 'two flushes, one retried',
    operations: [
      { operation: 'addOrUpdate', path: 'feedback/2026/11/20/120000000-a.jsonl', content: new Blob([line(a)]) },
      // The retried flush wrote `a` again, and someone hand-edited a broken line in.
      { operation: 'addOrUpdate', path: 'feedback/2026/11/21/120000000-b.jsonl', content: new Blob([line(a) + '{"kind":"feedback","text":""}\n']) },
      { operation: 'addOrUpdate', path: 'low_confidence/2026/11/21/120000000-b.jsonl', content: new Blob([line(b)]) },
      { operation: 'addOrUpdate', path: 'README.md', content: new Blob(['not a shard']) },
    ],
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pullDataset', () => {
  it('copies every shard at the head revision, records it, and reads each record once', async () => {
    const out = join(dir, 'first');
    const pulled = await pullDataset({ repo: REPO, hubUrl: hub.url, accessToken: TOKEN, dir: out, log: quiet });
    expect(pulled.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(pulled.files).toEqual(['feedback/2026/11/20/120000000-a.jsonl', 'feedback/2026/11/21/120000000-b.jsonl', 'low_confidence/2026/11/21/120000000-b.jsonl']);
    expect(await readPullManifest(out)).toEqual(pulled);

    const records = await readDatasetRecords(out, pulled);
    expect(records.feedback.map((r) => r.text)).toEqual(['loved it']);
    expect(records.lowConfidence.map((r) => r.text)).toEqual(['meh']);
    expect(records.duplicateIds).toBe(1);
    expect(records.invalid).toEqual([expect.stringMatching(/^feedback\/2026\/11\/21\/120000000-b\.jsonl:2: /)]);
  });

  it('does not download a shard it already has (shards are never rewritten)', async () => {
    const out = join(dir, 'cached');
    await pullDataset({ repo: REPO, hubUrl: hub.url, accessToken: TOKEN, dir: out, log: quiet });
    const downloads = hub.requests.count({ route: 'resolve' });
    const again = await pullDataset({ repo: REPO, hubUrl: hub.url, accessToken: TOKEN, dir: out, log: quiet });
    expect(again.files).toHaveLength(3);
    expect(hub.requests.count({ route: 'resolve' })).toBe(downloads);
    expect(JSON.parse(await readFile(join(out, 'revision.json'), 'utf8')).revision).toBe(again.revision);
  });

  it('makes every Hub request through the fetch it is given', async () => {
    const seen: string[] = [];
    const fetchFn: typeof fetch = (input, init) => {
      seen.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init);
    };
    const before = hub.requests.count();
    const pulled = await pullDataset({ repo: REPO, hubUrl: hub.url, accessToken: TOKEN, fetch: fetchFn, dir: join(dir, 'own-fetch'), log: quiet });
    expect(pulled.files).toHaveLength(3);
    expect(seen.filter((path) => path.includes('/resolve/')).length).toBeGreaterThanOrEqual(3);
    expect(seen).toHaveLength(hub.requests.count() - before);
  });

  it('treats a dataset repo that does not exist yet as "no feedback so far"', async () => {
    const pulled = await pullDataset({ repo: 'team/nothing-yet', hubUrl: hub.url, accessToken: TOKEN, dir: join(dir, 'none'), log: quiet });
    expect(pulled).toMatchObject({ revision: null, files: [] });
  });
});
