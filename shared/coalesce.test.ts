import { describe, expect, it } from 'vitest';
import { coalesce } from './coalesce';

const nextTurn = (fn: () => void) => void setTimeout(fn, 0);

describe('coalesce', () => {
  it('runs calls made in the same turn as one batch, in order, and a later call in a new batch', async () => {
    const batches: number[][] = [];
    const double = coalesce(async (xs: readonly number[]) => {
      batches.push([...xs]);
      return xs.map((x) => x * 2);
    }, nextTurn);
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(await double(4)).toBe(8);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('splits a burst into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    const id = coalesce(async (xs: readonly number[]) => (sizes.push(xs.length), xs), nextTurn, 4);
    expect(await Promise.all(Array.from({ length: 10 }, (_, i) => id(i)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('rejects every call of a failed batch, and the next batch still runs', async () => {
    let fail = true;
    const f = coalesce(async (xs: readonly string[]) => {
      if (fail) throw new Error('boom');
      return xs;
    }, nextTurn);
    const results = await Promise.allSettled([f('a'), f('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await f('c')).toBe('c');
  });

  it('runs each call alone without a nextTurn (workerd)', async () => {
    const batches: number[][] = [];
    const id = coalesce(async (xs: readonly number[]) => (batches.push([...xs]), xs), undefined);
    expect(await Promise.all([id(1), id(2)])).toEqual([1, 2]);
    expect(batches).toEqual([[1], [2]]);
  });
});
