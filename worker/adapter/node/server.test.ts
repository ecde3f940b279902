/** The Node entry over real HTTP on random loopback ports, with the shipped model. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SentimentModel } from '../../../shared/sentiment-model';
import manifest from '../../model/manifest.json';
import { DEFAULT_MODEL_DIR, nodeSettingsFromEnv, startNodeServer, type NodeServer } from './server';
import { EXIT_INVALID_SETTINGS } from './cluster';
import { ortNode } from '../../../shared/ort/node';
import { describeApiContract } from '../../test/api-contract';
import { PARITY_TEXTS } from '../../test/fixtures/texts';
import { INTAKE_DEFAULTS, SERVING_DEFAULTS } from '../../../shared/settings';

const quiet = () => {};

/** Writes raw HTTP/1.1 (to send what fetch will not: a lying Content-Length, chunks) and returns status + body. */
function rawRequest(url: string, head: string, chunks: (string | Buffer)[]): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (data) => (received += data.toString('latin1')));
    socket.on('error', (error) => (received ? undefined : reject(error)));
    socket.on('close', () => {
      const [headers, ...rest] = received.split('\r\n\r\n');
      const body = rest.join('\r\n\r\n');
      resolve({ status: Number(headers.split(' ')[1]), body: /transfer-encoding: chunked/i.test(headers) ? dechunk(body) : body });
    });
    socket.write(head);
    // The server may answer and close before all chunks are written: that is the point.
    (async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        await new Promise((r) => setTimeout(r, 1));
      }
    })().catch(() => {});
  });
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

describe('node-server', () => {
  let server: NodeServer;
  beforeAll(async () => {
    server = await startNodeServer({ port: 0, hostname: '127.0.0.1', log: quiet });
  });
  afterAll(() => server?.close());

  describe('the API contract over HTTP', () => {
    describeApiContract({
      fetch: (path, init) => fetch(`${server.url}${path}`, init),
      runtime: 'node',
      modelVersion: manifest.version,
      texts: ['I love this, best day ever!', 'This is the worst service, I hate it', 'The meeting is at 3pm on Tuesday.'],
    });
  });

  it('listens on loopback and warms the model up without a request', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await server.models.current();
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok', version: manifest.version, depth: null, alerts: null });
    expect(server.models.status()).toMatchObject({ state: 'ready', source: 'bundled', version: manifest.version });
  });

  it('serves the probabilities onnxruntime computes for the shipped model', async () => {
    const model = await SentimentModel.load(ortNode, new Uint8Array(readFileSync(new URL('../../model/model.onnx', import.meta.url))));
    const texts = PARITY_TEXTS.slice(0, 6);
    const response = await fetch(`${server.url}/v1/sentiment/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts, full_precision: true }) });
    const expected = (await model.predict(texts)).map(({ label, confidence, scores }) => ({ label, confidence, scores }));
    expect(((await response.json()) as { results: unknown[] }).results).toMatchObject(expected);
    await model.release();
  });

  it('refuses a body whose Content-Length is over the limit without reading it', async () => {
    const { status, body } = await rawRequest(
      server.url,
      `POST /v1/sentiment HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${SERVING_DEFAULTS.maxBodyBytes + 1}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      ['{"text": "only the start of the body"'],
    );
    expect(status).toBe(413);
    expect(JSON.parse(body).error).toEqual({ code: 'payload_too_large', message: expect.stringContaining('(Content-Length)') });
  });

  it('counts a chunked body while reading it and stops at the limit', async () => {
    const chunk = 'a'.repeat(64 * 1024);
    const chunks = [...Array.from({ length: 40 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`), '0\r\n\r\n']; // 2.5 MiB
    const { status, body } = await rawRequest(
      server.url,
      'POST /v1/sentiment/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      chunks,
    );
    expect(status).toBe(413);
    expect(JSON.parse(body).error).toEqual({ code: 'payload_too_large', message: expect.stringContaining(`more than ${SERVING_DEFAULTS.maxBodyBytes} bytes`) });
  });

  it('accepts a small chunked body', async () => {
    const json = JSON.stringify({ text: 'chunked but fine' });
    const { status, body } = await rawRequest(
      server.url,
      'POST /v1/sentiment HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      [`${(json.length - 5).toString(16)}\r\n${json.slice(0, -5)}\r\n`, `5\r\n${json.slice(-5)}\r\n`, '0\r\n\r\n'],
    );
    expect(status).toBe(200);
    expect(JSON.parse(body).model_version).toBe(manifest.version);
  });

  it('answers batches read in one turn on different turns of the event loop (a busy server still accepts connections)', async () => {
    const http = server.server as Server;
    const port = Number(new URL(server.url).port);
    const events: string[] = [];
    const onRequest = (_req: IncomingMessage, res: ServerResponse) => res.once('prefinish', () => events.push('answer'));
    const sockets: Socket[] = [];
    let ticking = true;
    // libuv accepts one connection per turn: answers that all come out of one turn keep new clients waiting.
    const tick = () => {
      events.push('turn');
      if (ticking) setImmediate(tick);
    };
    try {
      for (let i = 0; i < 8; i++) sockets.push(await new Promise<Socket>((resolve) => void connect(port, '127.0.0.1').once('connect', function (this: Socket) { resolve(this); })));
      const body = JSON.stringify({ texts: Array.from({ length: 100 }, (_, i) => `text number ${i}: the service was not bad at all, honestly`) });
      const request = `POST /v1/sentiment/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      http.on('request', onRequest);
      for (const socket of sockets) socket.write(request);
      setImmediate(tick);
      await vi.waitFor(() => expect(events.filter((e) => e === 'answer')).toHaveLength(8), { timeout: 10_000 });
      const answers = events.map((e, i) => [e, i] as const).filter(([e]) => e === 'answer').map(([, i]) => i);
      const sameTurn = answers.slice(1).filter((at, k) => !events.slice(answers[k], at).includes('turn'));
      expect(sameTurn).toEqual([]);
    } finally {
      ticking = false;
      http.off('request', onRequest);
      for (const socket of sockets) socket.destroy();
    }
  });
});

/**
 * One request over a raw socket, as a keep-alive client sends it: what it received up to the end of
 * the first complete answer (or the close), and the socket error it saw before that (EPIPE, ECONNRESET), if any.
 */
function exchange(url: string, head: string, body: Buffer = Buffer.alloc(0), { abortAfter }: { abortAfter?: number } = {}): Promise<{ received: string; error: string | null }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let error: string | null = null;
    socket.on('data', (data) => {
      received += data.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(received.slice(0, end))?.[1];
      if (end > 0 && length !== undefined && received.length >= end + 4 + Number(length) && !received.startsWith('HTTP/1.1 100 ')) socket.destroy();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ received, error }));
    socket.write(head);
    if (abortAfter === undefined) socket.write(body, () => {});
    else socket.write(body.subarray(0, abortAfter), () => setTimeout(() => socket.destroy(), 20));
  });
}

const jsonOf = (received: string) => JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4));

describe('node-server: answers that must reach the client', () => {
  let server: NodeServer;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    server = await startNodeServer({ port: 0, hostname: '127.0.0.1', warm: false, log: (level, fields) => lines.push({ level, ...fields }) });
  });
  afterAll(() => server?.close());
  const tenMegabytes = Buffer.alloc(10 * 1_048_576, 'a');

  it('a 10 MB body, with a Content-Length or chunked, gets the JSON 413 and no reset', async () => {
    const declared = await exchange(server.url, `POST /v1/sentiment HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${tenMegabytes.length}\r\n\r\n`, tenMegabytes);
    const chunked = await exchange(
      server.url,
      'POST /v1/sentiment HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      Buffer.concat([Buffer.from(`${tenMegabytes.length.toString(16)}\r\n`), tenMegabytes, Buffer.from('\r\n0\r\n\r\n')]),
    );
    for (const { received, error } of [declared, chunked]) {
      expect({ error, status: received.split(' ')[1] }).toEqual({ error: null, status: '413' });
      expect(jsonOf(received).error.code).toBe('payload_too_large');
    }
  }, 30_000);

  it('Expect: 100-continue with a body over the limit gets the 413 and no 100 Continue; one that fits gets its 100', async () => {
    const head = (length: number) => `POST /v1/sentiment HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
    const refused = await exchange(server.url, head(tenMegabytes.length)); // the body is never sent
    expect(refused.received).toMatch(/^HTTP\/1\.1 413 /);
    expect(jsonOf(refused.received).error.code).toBe('payload_too_large');
    const body = 'not json';
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    socket.write(head(body.length));
    const [go] = (await once(socket, 'data')) as [Buffer];
    expect(go.toString()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    socket.write(body);
    const [answer] = (await once(socket, 'data')) as [Buffer];
    expect(answer.toString()).toMatch(/^HTTP\/1\.1 400 /);
    socket.destroy();
  });

  it('a client that disconnects mid-upload is one 499 log line, not a 500 with a stack', async () => {
    const head = 'POST /v1/sentiment HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';
    await Promise.all(Array.from({ length: 20 }, () => exchange(server.url, head, Buffer.alloc(100_000, 'a'), { abortAfter: 1_000 })));
    await vi.waitFor(() => expect(lines.filter((l) => l.status === 499)).toHaveLength(20));
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.filter((l) => l.status === 499)[0]).toMatchObject({ level: 'info', msg: 'request', error_code: 'client_closed_request' });
  });

  it('what Node refuses before the app (an unknown method, 20 KB of headers or URL) is answered in JSON too', async () => {
    const method = await exchange(server.url, 'FOO /v1/sentiment HTTP/1.1\r\nHost: x\r\n\r\n');
    const headers = await exchange(server.url, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const longUrl = await exchange(server.url, `GET /health?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(method.received).toMatch(/^HTTP\/1\.1 400 /);
    expect(jsonOf(method.received).error.code).toBe('bad_request');
    for (const { received, error } of [headers, longUrl]) {
      expect({ error, status: received.split(' ')[1] }).toEqual({ error: null, status: '431' });
      expect(jsonOf(received).error.code).toBe('headers_too_large');
    }
  });
});

describe('node-server without warm-up', () => {
  let server: NodeServer;
  beforeAll(async () => {
    server = await startNodeServer({ port: 0, hostname: '127.0.0.1', log: quiet, warm: false });
  });
  afterAll(() => server?.close());

  it('answers refused requests without loading the model', async () => {
    const post = (path: string, body: string) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const statuses = [
      (await post('/v1/sentiment', 'x'.repeat(SERVING_DEFAULTS.maxBodyBytes + 10))).status,
      (await post('/v1/sentiment', JSON.stringify({ text: 'y'.repeat(SERVING_DEFAULTS.maxTextChars + 1) }))).status,
      (await post('/v1/sentiment/batch', JSON.stringify({ texts: Array(SERVING_DEFAULTS.maxBatchTexts + 1).fill('z') }))).status,
      (await post('/v1/sentiment/batch', JSON.stringify({ texts: ['fine', ' '] }))).status,
      (await post('/v1/sentiment', '{nope')).status,
    ];
    expect(statuses).toEqual([413, 413, 413, 422, 400]);
    expect((await (await fetch(`${server.url}/health`)).json()).version).toBeNull();
    expect(server.models.status().state).toBe('idle');
  });
});

describe('node-server: who the client is, for per-client limits', () => {
  // A scoring limit of one request per client (a minute to refill): a second 200 means a second bucket.
  const limited = { scoringRatePerMinute: 1, scoringRateBurst: 1 };
  const servers: NodeServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  const start = async (trustProxyHops: number) => {
    const server = await startNodeServer({ port: 0, hostname: '127.0.0.1', log: quiet, config: limited, trustProxyHops });
    servers.push(server);
    return (headers: Record<string, string>) =>
      fetch(`${server.url}/v1/sentiment`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ text: 'hi', store: false }) }).then((r) => r.status);
  };

  it('by default the socket peer: X-Forwarded-For and CF-Connecting-IP sent by a client change nothing', async () => {
    const score = await start(0);
    expect(await score({ 'x-forwarded-for': '203.0.113.1' })).toBe(200);
    expect(await score({ 'x-forwarded-for': '203.0.113.2' })).toBe(429);
    expect(await score({ 'cf-connecting-ip': '203.0.113.3', 'x-forwarded-for': '203.0.113.3' })).toBe(429);
  });

  it('with TRUST_PROXY_HOPS=1 the address the proxy appended: clients behind it get their own buckets, a forged prefix does not help', async () => {
    const score = await start(1);
    expect(await score({ 'x-forwarded-for': '203.0.113.1' })).toBe(200);
    expect(await score({ 'x-forwarded-for': '203.0.113.1' })).toBe(429);
    expect(await score({ 'x-forwarded-for': '6.6.6.6, 203.0.113.1' })).toBe(429); // what the client wrote is left of the proxy's entry
    expect(await score({ 'x-forwarded-for': '203.0.113.1', 'cf-connecting-ip': '203.0.113.9' })).toBe(429);
    expect(await score({ 'x-forwarded-for': '203.0.113.2' })).toBe(200);
  });
});

describe('nodeSettingsFromEnv', () => {
  it('has defaults for everything', () => {
    expect(nodeSettingsFromEnv({})).toMatchObject({ port: 7860, hostname: '0.0.0.0', workers: 1, modelDir: DEFAULT_MODEL_DIR, config: SERVING_DEFAULTS, intake: INTAKE_DEFAULTS });
    expect(nodeSettingsFromEnv({}).capture).toMatchObject({ path: '.data/capture.sqlite', config: { hub: null } });
    expect(nodeSettingsFromEnv({ CAPTURE_DB_PATH: 'off' }).capture).toBeNull();
  });

  it('reads PORT, HOST, WEB_CONCURRENCY, MODEL_DIR and the serving settings; blank means unset', () => {
    const settings = nodeSettingsFromEnv({ PORT: '8080', HOST: '127.0.0.1', WEB_CONCURRENCY: '2', MODEL_DIR: '/srv/model', MAX_BATCH_TEXTS: '64', CORS_ORIGINS: ' ', LOG_REQUESTS: 'false' });
    expect(settings).toMatchObject({ port: 8080, hostname: '127.0.0.1', workers: 2, config: { ...SERVING_DEFAULTS, maxBatchTexts: 64, logRequests: false } });
    expect(settings.modelDir.href).toBe('file:///srv/model/');
    expect(settings.trustProxyHops).toBe(0);
    expect(nodeSettingsFromEnv({ TRUST_PROXY_HOPS: '1' }).trustProxyHops).toBe(1);
    expect(() => nodeSettingsFromEnv({ TRUST_PROXY_HOPS: 'yes' })).toThrow(/TRUST_PROXY_HOPS/);
  });

  it('names every bad variable', () => {
    expect(() => nodeSettingsFromEnv({ PORT: 'http', WEB_CONCURRENCY: '0' })).toThrow(/PORT: .*; WEB_CONCURRENCY: /);
    expect(() => nodeSettingsFromEnv({ MAX_TEXT_CHARS: '5k' })).toThrow(/MAX_TEXT_CHARS/);
  });
});

describe('the process entry (main.ts)', () => {
  it('with two processes and a bad setting, stops at once with EX_CONFIG and says which', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))], {
      env: { PATH: process.env.PATH, WEB_CONCURRENCY: '2', PORT: '0', MAX_TEXT_CHARS: '5k', CAPTURE_DB_PATH: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(EXIT_INVALID_SETTINGS);
    expect(output).toMatch(/MAX_TEXT_CHARS/);
    expect(output).not.toMatch(/keep exiting/); // not a crash loop
  }, 30_000);

  it('says in one line that the port is taken, without a stack, and stops', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))], {
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', CAPTURE_DB_PATH: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const [code] = (await once(child, 'exit')) as [number | null];
    taken.close();
    expect(code).toBe(EXIT_INVALID_SETTINGS);
    expect(output.trim().split('\n')).toEqual([expect.stringContaining(`port ${port} on 127.0.0.1 is already in use`)]);
  }, 30_000);
});
