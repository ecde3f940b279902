/**
 * Several Node processes (node:cluster) on one SQLite file, each with its own scheduler: the
 * shared SqliteFlushLedger must keep them to one flush at a time, so every record reaches the
 * Hub exactly once and the commit count is the sum of their flushes.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { useTempDir } from '../../../shared/test/temp-dir.test-helpers';
import { useTestHub } from '../../../trainer/local-hub/local-hub.test-helpers';
import type { FlushOutcome } from '../../capture/flush-scheduler';
import type { HubTarget } from '../../capture/hub-flusher';
import { readShards } from '../../capture/hub.test-helpers';
import { SqliteRecordBuffer } from './sqlite-buffer';
import { makeRecords } from '../../capture/records.test-helpers';

const TOKEN = 'hf_cluster_test_token';
const hub = useTestHub({ token: TOKEN });
const tmp = useTempDir('capture-cluster-');

function runChild(args: string[]): Promise<FlushOutcome[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./cluster-flush-child.test-helpers.ts', import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => (code === 0 ? resolve(out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as FlushOutcome)) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

it('three processes sharing one SQLite buffer deliver every record exactly once', async () => {
  const dbPath = join(tmp.path, 'shared.sqlite');
  const seed = new SqliteRecordBuffer(dbPath);
  await seed.append(makeRecords(100)); // waiting from before the restart
  seed.close();
  const target: HubTarget = { hubUrl: hub.url, accessToken: TOKEN, repo: { type: 'dataset', name: 'acme/cluster' } };
  const since = hub.requests.lastSeq;

  const outcomes = (await Promise.all([1, 2, 3].map((k) => runChild([dbPath, hub.url, target.repo.name, TOKEN, String(k * 1000), '300'])))).flat();

  const flushed = outcomes.filter((o) => o.status === 'flushed');
  const failed = outcomes.filter((o) => o.status === 'failed');
  expect(failed).toEqual([]);
  expect(flushed.reduce((n, o) => n + (o.status === 'flushed' ? o.records : 0), 0)).toBe(1000);
  expect(outcomes.some((o) => o.status === 'skipped' && o.cause === 'leased')).toBe(true); // they did contend
  expect(hub.requests.count({ route: 'commit', since })).toBe(flushed.length);

  const { records } = await readShards(target);
  expect(records).toHaveLength(1000); // no duplicates
  expect(new Set(records.map((r) => r.id)).size).toBe(1000);
  const check = new SqliteRecordBuffer(dbPath);
  expect(await check.depth()).toBe(0);
  check.close();
}, 60_000);
