/**
 * The RecordBuffer contract as a reusable vitest suite: run against SQLite (Node), D1 through
 * miniflare (Node) and D1 inside workerd, so every implementation behaves the same.
 */
import { describe, expect, it } from 'vitest';
import type { RecordBuffer } from './record-buffer';
import { makeRecord, makeRecords } from './records.test-helpers';

export function describeBufferContract(name: string, open: () => Promise<RecordBuffer>): void {
  describe(`${name}: RecordBuffer contract`, () => {
    it('starts empty', async () => {
      const buffer = await open();
      expect(await buffer.depth()).toBe(0);
      expect(await buffer.depthEstimate()).toBe(0);
      expect(await buffer.oldest(10)).toEqual([]);
    });

    it('estimates depth exactly while removals are oldest-first, and never below it', async () => {
      const buffer = await open();
      const records = makeRecords(20);
      await buffer.append(records);
      await buffer.append(records.slice(0, 5)); // duplicates must not inflate the estimate
      expect(await buffer.depthEstimate()).toBe(20);
      await buffer.remove(records.slice(0, 8).map((r) => r.id));
      expect(await buffer.depthEstimate()).toBe(12);
      await buffer.remove([records[10].id]); // a hole: only an upper bound now
      expect(await buffer.depth()).toBe(11);
      expect(await buffer.depthEstimate()).toBe(12);
      await buffer.remove(records.map((r) => r.id));
      expect(await buffer.depthEstimate()).toBe(0);
    });

    it('returns records oldest first, as appended, without removing them', async () => {
      const buffer = await open();
      const records = makeRecords(5);
      await buffer.append(records.slice(0, 2));
      await buffer.append(records.slice(2));
      expect(await buffer.depth()).toBe(5);
      expect(await buffer.oldest(3)).toEqual(records.slice(0, 3));
      expect(await buffer.oldest(100)).toEqual(records);
      expect(await buffer.oldest(0)).toEqual([]);
      expect(await buffer.depth()).toBe(5);
    });

    it('stores an id once, however often it is appended (the first copy wins)', async () => {
      const buffer = await open();
      const [a, b] = makeRecords(2);
      await buffer.append([a, a, b]);
      await buffer.append([{ ...a, text: 'changed' }]);
      expect(await buffer.depth()).toBe(2);
      expect(await buffer.oldest(10)).toEqual([a, b]);
    });

    it('removes exactly the given ids and ignores unknown ones', async () => {
      const buffer = await open();
      const records = makeRecords(6);
      await buffer.append(records);
      await buffer.remove([records[1].id, records[4].id, '01ZZZZZZZZZZZZZZZZZZZZZZZZ']);
      await buffer.remove([]);
      expect(await buffer.oldest(10)).toEqual([records[0], records[2], records[3], records[5]]);
      expect(await buffer.depth()).toBe(4);
    });

    it('refuses a batch with an invalid record and stores none of it', async () => {
      const buffer = await open();
      const good = makeRecord(0);
      const bad = { ...makeRecord(2), correct_label: 'furious' } as never;
      await expect(buffer.append([good, bad])).rejects.toThrow();
      expect(await buffer.depth()).toBe(0);
    });

    it('fails only the call with an invalid record when appends run concurrently', async () => {
      const buffer = await open();
      const [a, b] = makeRecords(2);
      const bad = { ...makeRecord(4), text: '' } as never;
      const results = await Promise.allSettled([buffer.append([a]), buffer.append([bad]), buffer.append([b])]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await buffer.oldest(10)).toEqual([a, b]);
    });

    it('handles batches larger than one statement can bind', async () => {
      const buffer = await open();
      const records = makeRecords(250);
      await buffer.append(records);
      expect(await buffer.depth()).toBe(250);
      expect((await buffer.oldest(1000)).map((r) => r.id)).toEqual(records.map((r) => r.id));
      await buffer.remove(records.slice(0, 240).map((r) => r.id));
      expect(await buffer.oldest(1000)).toEqual(records.slice(240));
    });

    it('keeps every record of many concurrent appends', async () => {
      const buffer = await open();
      const records = makeRecords(100);
      await Promise.all(records.map((r) => buffer.append([r])));
      expect(await buffer.depth()).toBe(100);
      expect(new Set((await buffer.oldest(1000)).map((r) => r.id))).toEqual(new Set(records.map((r) => r.id)));
    });
  });
}
