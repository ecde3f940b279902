import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then refills at perMinute per minute, never above the burst', () => {
    let t = 0;
    const bucket = new TokenBucket(60, 60, t);
    expect(Array.from({ length: 70 }, () => bucket.take(t)).filter(Boolean)).toHaveLength(60);
    t += 500;
    expect(bucket.take(t)).toBe(false);
    expect(bucket.secondsToNextToken(t)).toBe(1);
    t += 500; // one second: one more token
    expect(bucket.take(t)).toBe(true);
    expect(bucket.take(t)).toBe(false);
    expect(bucket.isFull(t)).toBe(false);
    t += 3_600_000;
    expect(bucket.isFull(t)).toBe(true);
    expect(Array.from({ length: 100 }, () => bucket.take(t)).filter(Boolean)).toHaveLength(60);
  });

  it('says how long until the next token at a slow rate', () => {
    const bucket = new TokenBucket(2, 1, 0);
    expect(bucket.take(0)).toBe(true);
    expect(bucket.secondsToNextToken(0)).toBe(30);
    expect(bucket.secondsToNextToken(15_000)).toBe(15);
  });
});
