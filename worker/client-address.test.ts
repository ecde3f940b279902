import { describe, expect, it } from 'vitest';
import { forwardedClient } from './client-address';

describe('forwardedClient', () => {
  it('takes the entry the outermost trusted proxy appended; what the client wrote further left is ignored', () => {
    expect(forwardedClient('203.0.113.5', 1)).toBe('203.0.113.5');
    expect(forwardedClient('6.6.6.6, 203.0.113.5', 1)).toBe('203.0.113.5');
    expect(forwardedClient('6.6.6.6, 203.0.113.5, 10.0.0.2', 2)).toBe('203.0.113.5');
    expect(forwardedClient(' 2001:db8::1 ', 1)).toBe('2001:db8::1');
  });

  it('is undefined when off, without the header, or with fewer entries than trusted proxies', () => {
    expect(forwardedClient('203.0.113.5', 0)).toBeUndefined();
    expect(forwardedClient(undefined, 1)).toBeUndefined();
    expect(forwardedClient('', 1)).toBeUndefined();
    expect(forwardedClient('203.0.113.5', 2)).toBeUndefined();
    expect(forwardedClient('203.0.113.5, ', 1)).toBeUndefined();
  });
});
