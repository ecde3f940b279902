import { describe, expect, it } from 'vitest';
import { RetireQueue } from './retire-queue';

function fakeModel(log: string[], name: string) {
  return {
    release: async () => void log.push(`${name}: release`),
    releaseWhenIdle: async () => void log.push(`${name}: releaseWhenIdle`),
  };
}

describe('RetireQueue', () => {
  it('releases a replaced model, when idle, once its grace period is over', () => {
    const clock = { t: 0 };
    const log: string[] = [];
    const queue = new RetireQueue(5_000, () => clock.t, () => {});
    queue.retire(fakeModel(log, 'v1'));
    clock.t = 2_000;
    queue.retire(fakeModel(log, 'v2'));
    clock.t = 4_999;
    queue.sweep();
    expect(log).toEqual([]);
    clock.t = 5_000;
    queue.sweep();
    expect(log).toEqual(['v1: releaseWhenIdle']);
    expect(queue.size).toBe(1);
    queue.releaseAll();
    expect(log).toEqual(['v1: releaseWhenIdle', 'v2: release']);
    expect(queue.size).toBe(0);
  });

  it('reports a failed release and goes on', async () => {
    const errors: unknown[] = [];
    const queue = new RetireQueue(0, () => 0, (error) => errors.push(error));
    queue.retire({ release: () => Promise.reject(new Error('gone')), releaseWhenIdle: () => Promise.reject(new Error('gone')) });
    queue.sweep();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toHaveLength(1);
    expect(queue.size).toBe(0);
  });
});
