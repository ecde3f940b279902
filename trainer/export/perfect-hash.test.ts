import { describe, expect, it } from 'vitest';
import { buildPerfectHash, slotOf } from './perfect-hash';

/** Unique pseudo-random uint32 ids, both token blocks (below and at/above 2^31). */
function randomIds(count: number, seed = 1): Uint32Array {
  const ids = new Set<number>();
  let state = seed;
  while (ids.size < count) {
    state ^= state << 13; // xorshift32
    state ^= state >>> 17;
    state ^= state << 5;
    ids.add(state >>> 0);
  }
  return Uint32Array.from(ids);
}

describe('buildPerfectHash', () => {
  it('gives every key its own slot, found again by slotOf', () => {
    const keys = randomIds(20_000);
    const hash = buildPerfectHash(keys);
    expect(hash.keyAtSlot.length).toBe(hash.slots);
    expect(hash.displacement.length).toBe(hash.buckets);
    keys.forEach((id, key) => expect(hash.keyAtSlot[slotOf(hash, id)]).toBe(key));
    expect(hash.keyAtSlot.filter((key) => key >= 0).length).toBe(keys.length);
    expect(hash.slots).toBeLessThan(keys.length * 1.2);
    for (const d of hash.displacement) expect(d >= 0 && d < hash.slots).toBe(true);
  });

  it('maps ids outside the key set, padding included, to slots in range', () => {
    const hash = buildPerfectHash(randomIds(1000));
    for (const id of [-1, 0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, ...randomIds(500, 7)]) {
      const slot = slotOf(hash, id);
      expect(Number.isInteger(slot) && slot >= 0 && slot < hash.slots).toBe(true);
    }
  });

  it('is deterministic and handles tiny key sets', () => {
    const keys = randomIds(3000, 3);
    const a = buildPerfectHash(keys);
    const b = buildPerfectHash(keys);
    expect(Array.from(b.displacement)).toEqual(Array.from(a.displacement));
    expect(Array.from(b.keyAtSlot)).toEqual(Array.from(a.keyAtSlot));
    expect(buildPerfectHash(new Uint32Array(0)).keyAtSlot.every((key) => key === -1)).toBe(true);
    const one = buildPerfectHash(Uint32Array.of(2 ** 32 - 1));
    expect(one.keyAtSlot[slotOf(one, 2 ** 32 - 1)]).toBe(0);
  });
});
