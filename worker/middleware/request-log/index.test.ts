import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { LogLevel } from '../../logger';
import { requestLog, type RequestLogVariables } from './index';

function setup() {
  const lines: { level: LogLevel; fields: Record<string, unknown> }[] = [];
  let clock = 1000;
  const app = new Hono<{ Variables: RequestLogVariables }>();
  app.use(async (c, next) => {
    c.set('requestId', 'rid');
    await next();
  });
  app.use(requestLog({ log: (level, fields) => lines.push({ level, fields }), now: () => (clock += 2.5) }));
  app.post('/batch', async (c) => {
    const { texts } = await c.req.json<{ texts: string[] }>();
    c.set('batchSize', texts.length);
    return c.json({ ok: true });
  });
  app.get('/fail', (c) => {
    c.set('errorCode', 'internal_error');
    return c.json({}, 500);
  });
  return { app, lines };
}

describe('requestLog', () => {
  it('writes one line per request after the response, without the body or query', async () => {
    const { app, lines } = setup();
    await app.request('/batch?token=secret', { method: 'POST', body: JSON.stringify({ texts: ['private words', 'more'] }) });
    expect(lines).toEqual([
      {
        level: 'info',
        fields: { msg: 'request', method: 'POST', path: '/batch', status: 200, duration_ms: 2.5, request_id: 'rid', batch_size: 2, error_code: null },
      },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/private|secret/);
  });

  it('logs 5xx at level error with the error code, and 404s too', async () => {
    const { app, lines } = setup();
    await app.request('/fail');
    await app.request('/nowhere');
    expect(lines.map((l) => [l.level, l.fields.status, l.fields.error_code])).toEqual([
      ['error', 500, 'internal_error'],
      ['info', 404, null],
    ]);
  });
});
