import { describe, expect, it } from 'vitest';
import { VolumeCap } from './volume-cap';

describe('VolumeCap', () => {
  it('allows a burst of perMinute, then refills at perMinute per minute', () => {
    let t = 0;
    const cap = new VolumeCap(60, () => t);
    expect(Array.from({ length: 70 }, () => cap.take()).filter(Boolean)).toHaveLength(60);
    t += 500;
    expect(cap.take()).toBe(false);
    t += 500; // one second: one more record
    expect(cap.take()).toBe(true);
    expect(cap.take()).toBe(false);
    t += 3_600_000; // refills to the burst, not beyond
    expect(Array.from({ length: 100 }, () => cap.take()).filter(Boolean)).toHaveLength(60);
  });

  it('0 means no cap', () => {
    const cap = new VolumeCap(0);
    expect(Array.from({ length: 10_000 }, () => cap.take()).every(Boolean)).toBe(true);
  });
});
