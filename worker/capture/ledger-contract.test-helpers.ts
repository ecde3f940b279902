/** The FlushLedger contract as a reusable vitest suite (memory, SQLite, D1). */
import { describe, expect, it } from 'vitest';
import { emptyFlushState, type FlushLedger } from './flush-ledger';

/** `open(name)` returns a ledger on shared storage: two calls with one name see the same ledger. */
export function describeLedgerContract(title: string, open: (name: string) => Promise<FlushLedger>): void {
  describe(`${title}: FlushLedger contract`, () => {
    it('stores state and hands the lease to one holder at a time', async () => {
      const ledger = await open('contract-a');
      const other = await open('contract-a');
      expect(await ledger.load()).toEqual(emptyFlushState());
      const state = { ...emptyFlushState(), commits: [1, 2], failures: 1, last_error: 'x' };
      await ledger.save(state);
      expect(await other.load()).toEqual(state);

      expect(await ledger.acquire('a', 1000, 500)).toBe(true);
      expect(await other.acquire('b', 1200, 500)).toBe(false); // a's lease is live
      expect(await ledger.acquire('a', 1300, 500)).toBe(true); // renewal by the holder
      expect(await other.acquire('b', 1900, 500)).toBe(true); // a's lease expired at 1800
      await ledger.release('a'); // not a's any more: no effect
      expect(await ledger.acquire('a', 2000, 500)).toBe(false);
      await other.release('b');
      expect(await ledger.acquire('a', 2000, 500)).toBe(true);
      expect(await ledger.load()).toEqual(state); // leases do not touch the state
    });

    it('keeps ledgers with different names apart', async () => {
      const a = await open('contract-b1');
      const b = await open('contract-b2');
      await a.save({ ...emptyFlushState(), failures: 3 });
      expect((await b.load()).failures).toBe(0);
      expect(await a.acquire('x', 0, 1000)).toBe(true);
      expect(await b.acquire('y', 0, 1000)).toBe(true);
    });

    it('lets exactly one of many concurrent contenders win', async () => {
      const ledgers = await Promise.all(Array.from({ length: 20 }, () => open('contract-race')));
      const wins = await Promise.all(ledgers.map((l, i) => l.acquire(`h${i}`, 10_000, 60_000)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });
  });
}
