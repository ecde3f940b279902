/**
 * The counters on the real Node entry (main.ts) with WEB_CONCURRENCY=2: connections are
 * handed out round-robin, so each process counts part of the traffic, and /v1/metrics (answered
 * by either) must show all of it once both have flushed. After a SIGTERM and a restart on the
 * same CAPTURE_DB_PATH the counts are still there, and new traffic adds to them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metrics-cluster-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Server {
  child: ChildProcess;
  url: string;
}

/** Starts main.ts with two processes; resolves once both listen (on the same random port). */
function startCluster(): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))], {
    env: { PATH: process.env.PATH, WEB_CONCURRENCY: '2', PORT: '0', HOST: '127.0.0.1', CAPTURE_DB_PATH: join(dir, 'capture.sqlite'), LOG_REQUESTS: 'false', METRICS_FLUSH_S: '1', ADMIN_API_KEY: ADMIN_KEY, DASHBOARD_ACCESS: 'public' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk;
      const listening = [...out.matchAll(/"msg":"listening on (http:\/\/[^"]+)"/g)].map((m) => m[1]);
      if (listening.length === 2) resolve({ child, url: listening[0] });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

async function stop({ child }: Server): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Shows /health's details (which process loaded its model when). */
const ADMIN_KEY = 'cluster-metrics-admin-key';

/** One request on its own connection (no keep-alive), so the cluster hands each to the next process. */
function call(url: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: body ? 'POST' : 'GET', agent: false, headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function totalsWhen(url: string, done: (t: { requests: number; predictions: number; feedback: number }) => boolean) {
  for (const started = Date.now(); ; ) {
    const t = (await call(url, '/v1/metrics')).json.windows.last_24h;
    if (done(t) || Date.now() - started > 10_000) return t;
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('counts every request across two processes, and keeps the counts across a restart', async () => {
  let server = await startCluster();
  try {
    // Both processes serve: each loaded its own model at its own moment.
    const loadedAt = new Set<string>();
    for (let i = 0; i < 100 && loadedAt.size < 2; i++) {
      const at = (await call(server.url, '/health')).json.details.model.loaded_at; // the admin part of /health
      if (at) loadedAt.add(at);
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(loadedAt.size).toBe(2);

    for (let i = 0; i < 40; i++) expect((await call(server.url, '/v1/sentiment', { text: `great day number ${i}` })).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await call(server.url, '/v1/sentiment/batch', { texts: ['awful', 'fine', 'lovely'] })).status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await call(server.url, '/v1/feedback', { text: `text ${i}`, model_label: 'positive', correct_label: i < 2 ? 'negative' : 'positive' })).status).toBe(202);
    const expected = { requests: 50, predictions: 70, feedback: 6 };
    expect(await totalsWhen(server.url, (t) => t.requests >= 50 && t.feedback >= 6)).toMatchObject({ ...expected, disagreements: 2 });
    await stop(server);

    server = await startCluster();
    expect((await call(server.url, '/v1/metrics')).json.windows.last_24h).toMatchObject(expected);
    for (let i = 0; i < 4; i++) await call(server.url, '/v1/sentiment', { text: 'after the restart' });
    expect(await totalsWhen(server.url, (t) => t.requests >= 54)).toMatchObject({ requests: 54, predictions: 74 });
  } finally {
    await stop(server);
  }
}, 120_000);
