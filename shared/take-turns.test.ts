import { describe, expect, it } from 'vitest';
import { takeTurns } from './take-turns';

const nextTurn = (fn: () => void) => void setImmediate(fn);
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('takeTurns', () => {
  it('runs jobs one at a time, in the order they were asked for, even when a later one is quicker', async () => {
    const take = takeTurns(nextTurn);
    const log: string[] = [];
    const job = (name: string, turns: number) => async () => {
      log.push(`start ${name}`);
      for (let i = 0; i < turns; i++) await turn();
      log.push(`end ${name}`);
      return name;
    };
    expect(await Promise.all([take(job('a', 3)), take(job('b', 0)), take(job('c', 1))])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('starts no job in the turn it is asked for in, lets the loop turn between two runs, and keeps a later job behind the waiting ones', async () => {
    const take = takeTurns(nextTurn);
    const log: string[] = [];
    const first = take(async () => log.push('a'));
    const second = take(async () => log.push('b'));
    expect(log).toEqual([]);
    // Stands for a connection accepted (or a request read) while `b` waits.
    setImmediate(() => {
      log.push('turn');
      void take(async () => log.push('c'));
    });
    await Promise.all([first, second]);
    await turn();
    await turn();
    await turn();
    expect(log).toEqual(['a', 'turn', 'b', 'c']);
  });

  it('rejects only the failed job, and the next one still runs', async () => {
    const take = takeTurns(nextTurn);
    const results = await Promise.allSettled([take(async () => Promise.reject(new Error('boom'))), take(async () => 'ok')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(await take(async () => 'again')).toBe('again');
  });

  it('runs every job at once without a nextTurn (workerd)', async () => {
    const take = takeTurns(undefined);
    const log: string[] = [];
    await Promise.all([
      take(async () => {
        log.push('start a');
        await turn();
        log.push('end a');
      }),
      take(async () => log.push('b')),
    ]);
    expect(log).toEqual(['start a', 'b', 'end a']);
  });
});
