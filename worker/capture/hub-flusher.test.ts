/** flushOnce through the real @huggingface/hub client against the local Hub stand-in. */
import { datasetInfo, listCommits } from '@huggingface/hub';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestHub } from '../../trainer/local-hub/local-hub.test-helpers';
import { FlushError, flushOnce, type HubTarget } from './hub-flusher';
import { readShards } from './hub.test-helpers';
import { SqliteRecordBuffer } from '../adapter/node/sqlite-buffer';
import { makeRecords } from './records.test-helpers';

const TOKEN = 'hf_capture_test_secret_token';
const hub = useTestHub({ token: TOKEN });
let dir: string;
let repoCounter = 0;
const buffers: SqliteRecordBuffer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capture-flush-'));
});
afterEach(() => hub.faults.clear());
afterAll(async () => {
  for (const b of buffers) b.close();
  await rm(dir, { recursive: true, force: true });
});

/** A fresh dataset repo name (not created yet) and a fresh file-backed buffer. */
function setup(): { target: HubTarget; buffer: SqliteRecordBuffer } {
  const buffer = new SqliteRecordBuffer(join(dir, `buffer-${++repoCounter}.sqlite`));
  buffers.push(buffer);
  return { buffer, target: { hubUrl: hub.url, accessToken: TOKEN, repo: { type: 'dataset', name: `acme/capture-${repoCounter}` } } };
}

describe('flushOnce against the local Hub', () => {
  it('delivers 1,000 concurrently appended records, one commit per flush, and empties the buffer', async () => {
    const { buffer, target } = setup();
    const records = makeRecords(1000);
    const appendStart = performance.now();
    await Promise.all(records.map((r) => buffer.append([r])));
    const appendMs = performance.now() - appendStart;

    const since = hub.requests.lastSeq;
    const results = [];
    const flushStart = performance.now();
    while ((await buffer.depth()) > 0) results.push(await flushOnce({ buffer, hub: target, maxRecords: 300 }));
    const flushMs = performance.now() - flushStart;
    console.log(`capture: 1000 single-record appends ${appendMs.toFixed(0)} ms; ${results.length} flushes ${flushMs.toFixed(0)} ms (${results.map((r) => r.ms).join('/')} ms each)`);

    expect(results.map((r) => r.records)).toEqual([300, 300, 300, 100]);
    expect(results.map((r) => r.createdRepo)).toEqual([true, false, false, false]);
    // One successful commit request per flush, plus the one repo creation.
    expect(hub.requests.count({ route: 'commit', since })).toBe(4);
    expect(hub.requests.list({ route: 'commit', since }).every((e) => e.status === 200)).toBe(true);
    expect(hub.requests.count({ route: 'create-repo', since })).toBe(1);
    const commits = [];
    for await (const c of listCommits({ repo: target.repo, hubUrl: hub.url, accessToken: TOKEN })) commits.push(c);
    expect(commits.length - 1).toBe(4); // minus the repo's initial commit

    const { paths, records: stored } = await readShards(target);
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((r) => r.id))).toEqual(new Set(records.map((r) => r.id)));
    // Each flush wrote one shard per kind, into the right folder.
    expect(paths).toHaveLength(8);
    for (const path of paths) expect(path).toMatch(/^(feedback|low_confidence)\/\d{4}\/\d{2}\/\d{2}\/\d{9}-[0-9a-z]{10}\.jsonl$/);
    for (const r of stored) expect(paths.some((p) => p.startsWith(`${r.kind}/`))).toBe(true);
    expect(await buffer.depth()).toBe(0);
    // The repo it created is private: feedback is user text.
    expect((await datasetInfo({ name: target.repo.name, hubUrl: hub.url, accessToken: TOKEN })).private).toBe(true);
  }, 60_000);

  it('does nothing, and sends nothing, when the buffer is empty', async () => {
    const { buffer, target } = setup();
    const since = hub.requests.lastSeq;
    expect(await flushOnce({ buffer, hub: target, maxRecords: 10 })).toMatchObject({ records: 0, commit: null });
    expect(hub.requests.count({ since })).toBe(0);
  });

  it('leaves the buffer untouched when the Hub fails, and never shows the token', async () => {
    const { buffer, target } = setup();
    const records = makeRecords(20);
    await buffer.append(records);
    hub.faults.failNext(); // every request answers 500
    const error = await flushOnce({ buffer, hub: target, maxRecords: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlushError);
    expect((error as FlushError).committed).toBe(false);
    expect((error as FlushError).message).toMatch(/500/);
    expect((error as FlushError).message).not.toContain(TOKEN);
    expect(await buffer.oldest(100)).toEqual(records);
  });

  it('keeps records appended while a flush is in flight', async () => {
    const { buffer, target } = setup();
    await buffer.append(makeRecords(100));
    hub.faults.inject({ mode: 'delay', route: 'commit', delayMs: 300, count: 1 });
    const flushing = flushOnce({ buffer, hub: target, maxRecords: 1000 });
    await new Promise((r) => setTimeout(r, 100));
    const late = makeRecords(50, 100);
    await Promise.all(late.map((r) => buffer.append([r])));
    const result = await flushing;
    expect(result.records).toBe(100);
    expect(await buffer.oldest(1000)).toEqual(late);
    await flushOnce({ buffer, hub: target, maxRecords: 1000 });
    expect((await readShards(target)).records).toHaveLength(150);
  });

  it('reports a commit that landed when the buffer could not be trimmed', async () => {
    const { buffer, target } = setup();
    await buffer.append(makeRecords(5));
    const failing = Object.assign(Object.create(buffer) as SqliteRecordBuffer, {
      oldest: (n: number) => buffer.oldest(n),
      remove: async () => {
        throw new Error('disk full');
      },
    });
    const error = (await flushOnce({ buffer: failing, hub: target, maxRecords: 10 }).catch((e: unknown) => e)) as FlushError;
    expect(error.committed).toBe(true);
    expect(error.message).toMatch(/disk full/);
    expect(await buffer.depth()).toBe(5); // sent again later; readers dedupe by id
  });
});
