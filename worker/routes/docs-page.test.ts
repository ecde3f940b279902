import { describe, expect, it } from 'vitest';
import { curlCommand } from './docs-page';

describe('curlCommand', () => {
  it('sends the body compacted, quoted for a POSIX shell', () => {
    expect(curlCommand('POST', 'http://localhost:8787/v1/sentiment', '{\n  "text": "don\'t stop"\n}')).toBe(
      `curl -s -X POST 'http://localhost:8787/v1/sentiment' -H 'content-type: application/json' -d '{"text":"don'\\''t stop"}'`,
    );
  });
  it('sends a GET without a body', () => {
    expect(curlCommand('GET', 'http://localhost:8787/health', undefined)).toBe(`curl -s 'http://localhost:8787/health'`);
  });
});
