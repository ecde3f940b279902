import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { cors } from './index';

function app(options?: Parameters<typeof cors>[0]) {
  const app = new Hono();
  app.use(cors(options));
  app.post('/x', (c) => c.json({ ok: true }));
  return app;
}

const preflight = (origin: string) => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'Content-Type' },
});

describe('cors', () => {
  it('allows any origin by default, exposes X-Request-Id and answers preflights with 204', async () => {
    const a = app();
    const simple = await a.request('/x', { method: 'POST', headers: { origin: 'https://site.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBe('*');
    expect(simple.headers.get('access-control-expose-headers')).toBe('X-Request-Id');
    const pre = await a.request('/x', preflight('https://site.example'));
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET,HEAD,POST,OPTIONS');
    expect(pre.headers.get('access-control-allow-headers')).toBe('Content-Type');
    expect(pre.headers.get('access-control-max-age')).toBe('86400');
  });

  it('with a list, echoes allowed origins only and varies on Origin', async () => {
    const a = app({ origins: ['https://a.example', 'https://b.example'] });
    const allowed = await a.request('/x', { method: 'POST', headers: { origin: 'https://b.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://b.example');
    expect(allowed.headers.get('vary')).toBe('Origin');
    const denied = await a.request('/x', { method: 'POST', headers: { origin: 'https://c.example' } });
    expect(denied.status).toBe(200); // the browser, not the server, withholds the response
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await a.request('/x', preflight('https://c.example'));
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect((await a.request('/x', preflight('https://a.example'))).headers.get('access-control-allow-origin')).toBe('https://a.example');
  });

  it('treats * anywhere in the list as any origin', async () => {
    const response = await app({ origins: ['https://a.example', '*'] }).request('/x', { method: 'POST', headers: { origin: 'https://z.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
