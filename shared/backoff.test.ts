import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const policy = { baseMs: 1_000, capMs: 8_000, jitter: 0.5 };

  it('doubles per failure up to the cap', () => {
    expect([1, 2, 3, 4, 5, 40].map((failures) => backoffDelay(failures, policy, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('takes at most `jitter` of the delay off at random', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(2_000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(3_000);
    expect(backoffDelay(3, { ...policy, jitter: 0 }, () => 0)).toBe(4_000);
    expect(backoffDelay(3, { ...policy, jitter: 0.2 }, () => 0)).toBe(3_200);
  });
});
