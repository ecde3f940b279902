/**
 * Model runs one at a time, first come first served, each on a later turn of the event loop than
 * the one it was asked for in, and two turns apart.
 *
 * Why: Node reads every ready socket in one turn, and finishes each request it reads there
 * (microtasks included) before it reads the next; libuv accepts one new connection per turn. A
 * request that ran its model where it was read would make that turn last as long as all the runs
 * of the requests read in it, and a client that has just connected would wait one such turn for
 * each connection ahead of it (measured: 32 connections opened at once, batches of 100, waited up
 * to 9 s to be accepted). Here a turn reads requests and runs at most one model, so reading and
 * accepting keep up while runs wait their turn.
 */
import type { NextTurn } from './coalesce';

/** Runs `job` once the jobs asked for before it have finished, on a later turn; settles as `job` does. */
export type TakeTurn = <T>(job: () => Promise<T>) => Promise<T>;

/** Without `nextTurn` (a runtime that serves each request on its own, such as workerd) jobs run at once. */
export function takeTurns(nextTurn: NextTurn | undefined): TakeTurn {
  if (!nextTurn) return (job) => job();
  const waiting: Array<() => void> = [];
  let busy = false;
  const startNext = () => waiting.shift()!();
  return async (job) => {
    await new Promise<void>((start) => {
      waiting.push(start);
      if (!busy) {
        busy = true;
        nextTurn(startNext);
      }
    });
    try {
      return await job();
    } finally {
      // Two turns: one connection is accepted per turn, so a burst of them gets in twice as fast as runs are made.
      if (waiting.length > 0) nextTurn(() => nextTurn(startNext));
      else busy = false;
    }
  };
}
