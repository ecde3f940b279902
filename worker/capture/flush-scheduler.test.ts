import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestHub } from '../../trainer/local-hub/local-hub.test-helpers';
import { MemoryFlushLedger } from './flush-ledger';
import { FlushScheduler, type FlushSchedulerOptions } from './flush-scheduler';
import { flushOnce, type FlushResult, type HubTarget } from './hub-flusher';
import { readShards } from './hub.test-helpers';
import { SqliteRecordBuffer } from '../adapter/node/sqlite-buffer';
import { makeRecords } from './records.test-helpers';

const TOKEN = 'hf_scheduler_test_secret_token';
const T0 = Date.parse('2026-11-27T10:00:00.000Z');
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

/** A manual clock: tests move time, the scheduler never waits. */
function clock(start = T0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
}

const buffers: SqliteRecordBuffer[] = [];
function memoryBuffer(): SqliteRecordBuffer {
  const b = new SqliteRecordBuffer(':memory:');
  buffers.push(b);
  return b;
}

/** A flush that just drains the buffer (no Hub), for the scheduler's own logic. */
function drain(buffer: SqliteRecordBuffer, max = 10): () => Promise<FlushResult> {
  return async () => {
    const records = await buffer.oldest(max);
    await buffer.remove(records.map((r) => r.id));
    return { records: records.length, shards: [], commit: records.length ? 'sha' : null, createdRepo: false, ms: 0 };
  };
}

afterAll(() => buffers.forEach((b) => b.close()));

describe('FlushScheduler against the local Hub', () => {
  const hub = useTestHub({ token: TOKEN });
  let dir: string;
  let n = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capture-sched-'));
  });
  afterEach(() => hub.faults.clear());
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function setup(options: Partial<FlushSchedulerOptions> & { maxRecords?: number } = {}) {
    const buffer = memoryBuffer();
    const target: HubTarget = { hubUrl: hub.url, accessToken: TOKEN, repo: { type: 'dataset', name: `acme/sched-${++n}` } };
    const time = clock();
    const scheduler = new FlushScheduler({
      buffer,
      flush: () => flushOnce({ buffer, hub: target, maxRecords: options.maxRecords ?? 1000, now: time.now }),
      now: time.now,
      secrets: [TOKEN],
      random: () => 0.5,
      ...options,
    });
    return { buffer, target, time, scheduler };
  }

  it('backs off while the Hub answers 500, keeps every record, and delivers them all once it recovers', async () => {
    const { buffer, target, time, scheduler } = setup({ backoffBaseMs: 10_000, backoffCapMs: 60_000 });
    await buffer.append(makeRecords(100));
    hub.faults.failNext(); // until cleared
    const since = hub.requests.lastSeq;

    const first = await scheduler.maybeFlush('schedule');
    expect(first.status).toBe('failed');
    // random 0.5 → 75% of the exponential delay: 7.5 s, then 15 s, 30 s, 45 s (cap 60 s)...
    expect(first).toMatchObject({ next_attempt_at: iso(T0 + 7_500) });
    await buffer.append(makeRecords(50, 100)); // traffic continues during the outage
    expect(await buffer.depth()).toBe(150);

    expect(await scheduler.maybeFlush('schedule')).toMatchObject({ status: 'skipped', cause: 'backoff' });
    const attemptsBefore = hub.requests.count({ since });
    time.advance(7_000);
    expect(await scheduler.maybeFlush('size')).toMatchObject({ status: 'skipped', cause: 'backoff' });
    expect(hub.requests.count({ since })).toBe(attemptsBefore); // skipped attempts send nothing

    const delays: number[] = [];
    let last = T0;
    for (let i = 0; i < 5; i++) {
      time.set(Date.parse((await scheduler.status()).next_attempt_at!));
      const outcome = await scheduler.maybeFlush('schedule');
      expect(outcome.status).toBe('failed');
      delays.push(time.now() - last);
      last = time.now();
    }
    expect(delays).toEqual([7_500, 15_000, 30_000, 45_000, 45_000]);

    const status = await scheduler.status();
    expect(status).toMatchObject({ depth: 150, consecutive_failures: 6, commits_last_hour: 0, last_flush_at: null });
    expect(status.last_error).toMatch(/500/);
    expect(JSON.stringify(status)).not.toContain(TOKEN);
    expect(hub.requests.count({ route: 'commit', since })).toBe(0);

    hub.faults.clear();
    time.set(Date.parse(status.next_attempt_at!));
    expect(await scheduler.maybeFlush('schedule')).toMatchObject({ status: 'flushed', records: 150 });
    const after = await scheduler.status();
    expect(after).toMatchObject({ depth: 0, consecutive_failures: 0, last_flush_records: 150, last_flush_at: iso(time.now()), commits_last_hour: 1, next_attempt_at: null });
    expect(after.last_error).toMatch(/500/); // the last error stays visible, with its time
    const { records } = await readShards(target);
    expect(new Set(records.map((r) => r.id)).size).toBe(150);
  });

  it('commits at most maxCommitsPerHour times in any sliding hour', async () => {
    const { buffer, target, time, scheduler } = setup({ maxCommitsPerHour: 3, maxRecords: 10 });
    await buffer.append(makeRecords(100));
    const since = hub.requests.lastSeq;
    for (let i = 0; i < 3; i++) {
      expect(await scheduler.maybeFlush('schedule')).toMatchObject({ status: 'flushed', records: 10 });
      time.advance(60_000);
    }
    // T0, T0+1m, T0+2m used; the next slot opens when the first leaves the window.
    expect(await scheduler.maybeFlush('size')).toMatchObject({ status: 'skipped', cause: 'rate_limited', next_attempt_at: iso(T0 + HOUR) });
    time.set(T0 + HOUR - 1);
    expect(await scheduler.maybeFlush('schedule')).toMatchObject({ status: 'skipped', cause: 'rate_limited' });
    expect(await scheduler.status()).toMatchObject({ commits_last_hour: 3, depth: 70, next_attempt_at: iso(T0 + HOUR) });
    expect(hub.requests.count({ route: 'commit', since })).toBe(3);

    time.set(T0 + HOUR);
    expect(await scheduler.maybeFlush('schedule')).toMatchObject({ status: 'flushed' });
    expect(await scheduler.maybeFlush('schedule')).toMatchObject({ status: 'skipped', cause: 'rate_limited', next_attempt_at: iso(T0 + HOUR + 60_000) });
    expect(hub.requests.count({ route: 'commit', since })).toBe(4);
    expect((await readShards(target)).records).toHaveLength(40);
  });

  it('never runs two flushes at once', async () => {
    const { buffer, scheduler } = setup();
    await buffer.append(makeRecords(10));
    hub.faults.inject({ mode: 'delay', route: 'commit', delayMs: 200, count: 1 });
    const since = hub.requests.lastSeq;
    const [a, b, c] = await Promise.all([scheduler.maybeFlush('schedule'), scheduler.maybeFlush('size'), scheduler.maybeFlush('schedule')]);
    expect(a).toMatchObject({ status: 'flushed', records: 10 });
    expect(b).toMatchObject({ status: 'skipped', cause: 'busy' });
    expect(c).toMatchObject({ status: 'skipped', cause: 'busy' });
    expect(hub.requests.count({ route: 'commit', since })).toBe(1);
  });
});

describe('FlushScheduler logic', () => {
  it('skips an empty buffer and a size request below the threshold, without using a commit', async () => {
    const buffer = memoryBuffer();
    let calls = 0;
    const flush = drain(buffer);
    const scheduler = new FlushScheduler({ buffer, flush: () => (calls++, flush()), sizeThreshold: 5, now: clock().now });
    expect(await scheduler.maybeFlush('schedule')).toMatchObject({ status: 'skipped', cause: 'empty' });
    await buffer.append(makeRecords(3));
    expect(await scheduler.maybeFlush('size')).toMatchObject({ status: 'skipped', cause: 'below_threshold' });
    expect(await scheduler.maybeFlush('schedule')).toMatchObject({ status: 'flushed', records: 3 });
    expect(calls).toBe(1);
    expect((await scheduler.status()).commits_last_hour).toBe(1);
  });

  it('spreads retries with jitter and caps the delay', async () => {
    const buffer = memoryBuffer();
    await buffer.append(makeRecords(1));
    const randoms = [0, 0.999, 0, 0.999, 0, 0.999, 0, 0.999];
    const time = clock();
    const scheduler = new FlushScheduler({
      buffer,
      flush: async () => {
        throw new Error('boom');
      },
      now: time.now,
      backoffBaseMs: 1000,
      backoffCapMs: 8000,
      random: () => randoms.shift() ?? 0,
    });
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const outcome = await scheduler.maybeFlush('schedule');
      const next = Date.parse((outcome as { next_attempt_at: string }).next_attempt_at);
      delays.push(next - time.now());
      time.set(next);
    }
    // delay d = min(8000, 1000·2^(n-1)); wait in [d/2, d).
    expect(delays).toEqual([500, 1999, 2000, 7996, 4000, 7996, 4000, 7996]);
  });

  it('keeps the token out of errors, whatever the error says', async () => {
    const buffer = memoryBuffer();
    await buffer.append(makeRecords(1));
    const secret = 'hf_AbCdEf123456';
    const scheduler = new FlushScheduler({
      buffer,
      secrets: [secret],
      flush: async () => {
        throw new Error(`401 for Authorization: Bearer ${secret}; other token hf_zzzzzzzzzz`);
      },
    });
    const outcome = await scheduler.maybeFlush('schedule');
    const text = JSON.stringify([outcome, await scheduler.status()]);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('hf_zzzzzzzzzz');
    expect(text).toContain('Bearer ***');
  });

  it('counts a commit that landed even if the flush then failed', async () => {
    const buffer = memoryBuffer();
    await buffer.append(makeRecords(1));
    const scheduler = new FlushScheduler({
      buffer,
      maxCommitsPerHour: 1,
      flush: async () => {
        throw Object.assign(new Error('committed but remove failed'), { committed: true });
      },
      now: clock().now,
    });
    await scheduler.maybeFlush('schedule');
    expect(await scheduler.status()).toMatchObject({ commits_last_hour: 1, consecutive_failures: 1 });
  });

  it('lets only one of two schedulers sharing a ledger flush (two isolates, one D1)', async () => {
    const buffer = memoryBuffer();
    await buffer.append(makeRecords(20));
    const ledger = new MemoryFlushLedger();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const flush = drain(buffer);
    const slow = async () => {
      await gate;
      return flush();
    };
    const a = new FlushScheduler({ buffer, ledger, flush: slow });
    const b = new FlushScheduler({ buffer, ledger, flush: slow });
    const running = a.maybeFlush('schedule');
    await new Promise((r) => setTimeout(r, 10));
    expect(await b.maybeFlush('schedule')).toMatchObject({ status: 'skipped', cause: 'leased' });
    release();
    expect(await running).toMatchObject({ status: 'flushed', records: 10 });
    expect(await b.maybeFlush('schedule')).toMatchObject({ status: 'flushed', records: 10 });
    expect(await b.status()).toMatchObject({ commits_last_hour: 2, depth: 0 });
  });

  it('turns a failing ledger or buffer into a failed outcome instead of throwing', async () => {
    const buffer = memoryBuffer();
    const broken = Object.assign(Object.create(buffer) as SqliteRecordBuffer, {
      depthEstimate: async () => {
        throw new Error('D1 unavailable');
      },
    });
    const scheduler = new FlushScheduler({ buffer: broken, flush: drain(buffer) });
    expect(await scheduler.maybeFlush('size')).toMatchObject({ status: 'failed', error: expect.stringMatching(/D1 unavailable/) });
    expect((await scheduler.status()).depth).toBeNull();
  });
});
