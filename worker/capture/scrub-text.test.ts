import { describe, expect, it } from 'vitest';
import { scrubPersonalData, stripControlCharacters, textForStorage } from './scrub-text';

describe('textForStorage', () => {
  it('removes control characters but keeps tab and line breaks', () => {
    expect(stripControlCharacters('a\u0000b\u0007c\u001b[1md\u007fe\u0085f\tg\nh\r\n')).toBe('abc[1mdef\tg\nh\r\n');
  });

  it('replaces e-mail addresses', () => {
    expect(scrubPersonalData('mail john.doe+news@example.co.uk or JANE@Mail.Example.com, ok?')).toBe('mail <email> or <email>, ok?');
    expect(scrubPersonalData('@user thanks @jane')).toBe('@user thanks @jane'); // handles, not addresses
  });

  it('replaces phone numbers in the usual shapes, not dates, times, prices, scores or short numbers', () => {
    for (const phone of ['+44 20 7946 0958', '(555) 123-4567', '555-123-4567', '555.123.4567', '07700900123', '+1-555-123-4567', '+33 1 23 45 67 89']) {
      expect(scrubPersonalData(`call ${phone} now`)).toBe('call <phone> now');
    }
    for (const kept of ['on 2026-12-02 at 10:30', 'paid $1,234,567', 'won 3-2', 'order 12345678', 'top 10 of 2025', 'v2.3.1', 'at 1796178559671 ms', 'id 123456789012345']) {
      expect(scrubPersonalData(kept)).toBe(kept);
    }
  });

  it('replaces URLs that carry a query string, and Hugging Face tokens; plain URLs stay', () => {
    expect(scrubPersonalData('reset at https://shop.example/reset?token=abc&u=1 or http://x.example/?q=me')).toBe('reset at <url> or <url>');
    expect(scrubPersonalData('read https://example.com/blog/post and www.example.com')).toBe('read https://example.com/blog/post and www.example.com');
    expect(scrubPersonalData('my token hf_abcdefghijklmnopqrstuvwx leaked')).toBe('my token <token> leaked');
  });

  it('does both, in one call', () => {
    expect(textForStorage('hi\u0000 me@example.com')).toBe('hi <email>');
  });
});
