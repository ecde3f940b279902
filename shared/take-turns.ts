/**
 * Model runs one at a time, first come first served, with the event loop turning between two.
 * Node reads every ready socket in one turn of its loop, and libuv accepts one new connection per
 * turn. Were every request read in a turn to run its model in that turn, the turn would last as
 * long as all their runs, and a client that has just connected would wait one such turn for each
 * connection ahead of it (measured: 32 connections opened at once under batches of 100 waited up
 * to 9 s to be accepted). Queued here, a run waits for the runs asked for before it, and the loop
 * turns twice between two runs: requests are read and connections accepted while runs wait.
 */
import type { NextTurn } from './coalesce';

/** Runs `job` once the jobs asked for before it have finished; settles as `job` does. */
export type TakeTurn = <T>(job: () => Promise<T>) => Promise<T>;

/**
 * Without `nextTurn` (a runtime that serves each request on its own, such as workerd) jobs run at
 * once. A job asked for while none runs or waits runs at once too: a caller that awaits each run
 * before asking for the next never waits for the loop.
 */
export function takeTurns(nextTurn: NextTurn | undefined): TakeTurn {
  if (!nextTurn) return (job) => job();
  const waiting: Array<() => void> = [];
  let busy = false;
  // Two turns: one new connection is accepted per turn, so a burst of them gets in twice as fast as runs are made.
  const passOn = () => nextTurn(() => nextTurn(() => waiting.shift()!()));
  return async (job) => {
    if (busy) await new Promise<void>((start) => waiting.push(start));
    busy = true;
    try {
      return await job();
    } finally {
      if (waiting.length > 0) passOn();
      else busy = false;
    }
  };
}
