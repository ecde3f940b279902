import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { requestId, type RequestIdVariables } from './index';

function app(options?: Parameters<typeof requestId>[0]) {
  const app = new Hono<{ Variables: RequestIdVariables }>();
  app.use(requestId(options));
  app.get('/', (c) => c.text(c.var.requestId));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.onError((_error, c) => c.json({ error: 'x' }, 500));
  return app;
}

describe('requestId', () => {
  it('generates a UUID, exposes it to handlers and sets it on the response', async () => {
    const response = await app().request('/');
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.text()).toBe(id);
  });

  it('keeps a valid incoming id', async () => {
    for (const id of ['abc', 'a1b2-c3_d4.e5:f6', 'base64+/=', 'x'.repeat(128)]) {
      expect((await app().request('/', { headers: { 'x-request-id': id } })).headers.get('x-request-id')).toBe(id);
    }
  });

  it('replaces an invalid one (spaces, quotes, control characters, too long, empty)', async () => {
    for (const id of ['a b', 'a"b', 'a\tb', 'x'.repeat(129), '', '<script>']) {
      const response = await app().request('/', { headers: { 'x-request-id': id } });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('is on error responses and 404s too', async () => {
    const a = app();
    expect((await a.request('/boom', { headers: { 'x-request-id': 'err-1' } })).headers.get('x-request-id')).toBe('err-1');
    expect((await a.request('/missing', { headers: { 'x-request-id': 'nf-1' } })).headers.get('x-request-id')).toBe('nf-1');
  });

  it('takes another header name and generator', async () => {
    const response = await app({ headerName: 'X-Trace', generate: () => 'fixed' }).request('/');
    expect(response.headers.get('x-trace')).toBe('fixed');
    expect(response.headers.get('x-request-id')).toBeNull();
  });
});
