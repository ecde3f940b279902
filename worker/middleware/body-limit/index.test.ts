import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyLimit } from './index';

const MAX = 100;

function app() {
  const app = new Hono();
  const seen: string[] = [];
  app.use(bodyLimit({ maxBytes: MAX, onOverflow: (c, info) => c.json(info, 413) }));
  app.post('/', async (c) => {
    const text = await c.req.text();
    seen.push(text);
    return c.text(`got ${text.length}`);
  });
  app.get('/', (c) => c.text('no body'));
  return { app, seen };
}

/** A body stream that records how many chunks were pulled. */
function stream(chunks: string[]) {
  const pulled = { count: 0, cancelled: false };
  const encoder = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i === chunks.length) return controller.close();
      pulled.count++;
      controller.enqueue(encoder.encode(chunks[i++]));
    },
    cancel() {
      pulled.cancelled = true;
    },
  }, { highWaterMark: 0 }); // pull only when read
  return { body, pulled };
}

const post = (a: Hono, body: BodyInit, headers: Record<string, string> = {}) =>
  a.request('/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('bodyLimit', () => {
  it('passes bodies up to the limit through, byte for byte', async () => {
    const { app: a, seen } = app();
    expect(await (await post(a, 'x'.repeat(MAX))).text()).toBe(`got ${MAX}`);
    const { body } = stream(['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(20)]);
    expect(await (await post(a, body)).text()).toBe(`got ${MAX}`);
    expect(seen[1]).toBe('a'.repeat(40) + 'b'.repeat(40) + 'c'.repeat(20));
    expect((await a.request('/')).status).toBe(200);
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const { app: a, seen } = app();
    const { body, pulled } = stream(['tiny']);
    const response = await post(a, body, { 'content-length': String(MAX + 1) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ maxBytes: MAX, bytes: MAX + 1, declared: true });
    expect(pulled.count).toBe(0);
    expect(seen).toEqual([]);
  });

  it('counts while reading when there is no Content-Length, and stops at the limit without cancelling (the runtime drains the rest after the answer)', async () => {
    const { app: a, seen } = app();
    const { body, pulled } = stream(Array.from({ length: 50 }, () => 'z'.repeat(30)));
    const response = await post(a, body);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ maxBytes: MAX, bytes: 120, declared: false });
    expect(pulled.count).toBe(4); // 4 x 30 bytes: up to the first chunk past the limit, not all 50
    expect(pulled.cancelled).toBe(false);
    expect(seen).toEqual([]);
  });

  it('with drainBytes, reads and drops the rest of a refused body before answering, up to that many bytes; never for Expect: 100-continue', async () => {
    const draining = new Hono().use(bodyLimit({ maxBytes: MAX, drainBytes: 300, onOverflow: (c) => c.text('too big', 413) }));
    const chunked = stream(Array.from({ length: 1000 }, () => 'z'.repeat(30)));
    expect((await post(draining, chunked.body)).status).toBe(413);
    expect(chunked.pulled.count).toBe(10); // 300 bytes in all (120 to see it is over, 180 dropped), then left for the runtime
    const declared = stream(['x'.repeat(60), 'x'.repeat(60)]);
    expect((await post(draining, declared.body, { 'content-length': String(MAX + 20) })).status).toBe(413);
    expect(declared.pulled.count).toBe(2);
    const waiting = stream(['never sent']);
    expect((await post(draining, waiting.body, { 'content-length': String(MAX + 1), expect: '100-continue' })).status).toBe(413);
    expect(waiting.pulled.count).toBe(0);
  });

  it('inflates gzip and applies the limit to the inflated size', async () => {
    const { app: a, seen } = app();
    const gzip = async (text: string) => new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    expect(await (await post(a, await gzip('hello'), { 'content-encoding': 'gzip' })).text()).toBe('got 5');
    expect(seen).toEqual(['hello']);
    const bomb = await post(a, await gzip('0'.repeat(1_000_000)), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect((await bomb.json()).bytes).toBeLessThanOrEqual(MAX + 65_536); // stopped at the first chunk past the limit, not inflated whole
    expect((await post(a, 'plain', { 'content-encoding': 'gzip' })).status).toBe(415);
    expect((await post(a, 'plain', { 'content-encoding': 'br' })).status).toBe(415);
  });

  it('counts even when a Content-Length under the limit is declared (it may lie)', async () => {
    const { app: a } = app();
    const { body } = stream(['y'.repeat(80), 'y'.repeat(80)]);
    const response = await post(a, body, { 'content-length': '10' });
    expect(response.status).toBe(413);
    expect((await response.json()).declared).toBe(false);
  });

  it('counts bytes, not characters', async () => {
    const { app: a } = app();
    expect((await post(a, 'é'.repeat(50))).status).toBe(200); // 100 bytes
    expect((await post(a, 'é'.repeat(51))).status).toBe(413);
  });
});
