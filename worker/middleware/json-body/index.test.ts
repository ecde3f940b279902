import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors';
import { jsonBody } from './index';

function app() {
  const app = new Hono();
  app.post('/', jsonBody(), async (c) => c.json(await c.req.json()));
  app.onError((error, c) => (error instanceof ApiError ? c.json({ code: error.code, message: error.message }, error.status) : c.text('?', 500)));
  return app;
}

const post = (body: BodyInit, contentType?: string) =>
  app().request('/', { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} });

describe('jsonBody', () => {
  it('passes JSON through for application/json, with parameters, and +json types', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/vnd.api+json']) {
      const response = await post('{"a":[1,2]}', type);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ a: [1, 2] });
    }
  });

  it('refuses other or missing media types with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', undefined]) {
      const response = await post(new TextEncoder().encode('{"a":1}'), type);
      expect(response.status).toBe(415);
      expect((await response.json()).code).toBe('unsupported_media_type');
    }
  });

  it('refuses malformed and empty JSON with 400', async () => {
    for (const body of ['{', '{"a":1}}', 'nope', "{'a':1}", '', '   ']) {
      const response = await post(body, 'application/json');
      expect(response.status).toBe(400);
      expect((await response.json()).code).toBe('invalid_json');
    }
  });

  it('refuses invalid UTF-8 with 422 instead of turning it into U+FFFD', async () => {
    for (const bytes of [[0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d], [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d], [0x22, 0xed, 0xa0, 0x80, 0x22]]) {
      const response = await post(new Uint8Array(bytes), 'application/json');
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ code: 'validation_failed', message: 'body: is not valid UTF-8; send the JSON encoded as UTF-8' });
    }
  });

  it('refuses lone surrogates spelled as JSON escapes, in values and keys, and names where', async () => {
    const cases: Array<[string, string]> = [
      ['{"text":"\\ud800"}', 'text'],
      ['{"texts":["ok","a\\udfffb"]}', 'texts[1]'],
      ['{"a":{"\\udc00":1}}', 'a.\udc00'],
      ['"\\ud83d"', 'body'],
    ];
    for (const [body, where] of cases) {
      const response = await post(body, 'application/json');
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ code: 'validation_failed', message: `${where}: contains a lone surrogate (half of a UTF-16 pair), which is not valid Unicode` });
    }
    // A pair, escaped or not, is a character.
    for (const body of ['{"text":"\\ud83d\\ude00"}', '{"text":"😀"}']) expect((await post(body, 'application/json')).status).toBe(200);
  });
});
