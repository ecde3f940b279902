/**
 * Feedback end to end on Node, over loopback HTTP: the Node server with its SQLite buffer, the
 * real @huggingface/hub client, and the local Hub stand-in (trainer/local-hub) as the dataset repo.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../shared/test/temp-dir.test-helpers';
import { useTestHub } from '../trainer/local-hub/local-hub.test-helpers';
import { readShards } from './capture/hub.test-helpers';
import { startCapturingServer } from './adapter/node/capturing-server.test-helpers';
import { MONITORING_DEFAULTS } from '../shared/settings';

const TOKEN = 'hf_capture_http_test';
const hub = useTestHub({ token: undefined });
const tmp = useTempDir('capture-http-');

let serial = 0;
const ADMIN_KEY = 'capture-http-admin-key';
/** A server + capture on its own SQLite file and dataset repo. */
async function start(env: Record<string, string> = {}, path = join(tmp.path, `buffer-${++serial}.sqlite`)) {
  const repo = `acme/feedback-${serial}-${Date.now()}`;
  const server = await startCapturingServer({
    hubUrl: hub.url,
    token: TOKEN,
    datasetRepo: repo,
    capturePath: path,
    captureEnv: { FLUSH_BACKOFF_BASE_S: '0.01', FLUSH_BACKOFF_CAP_S: '0.05', ...env },
    warm: false,
    monitoring: { ...MONITORING_DEFAULTS, adminApiKey: ADMIN_KEY },
    intake: { lowConfidenceLogging: false },
  });
  const { url } = server.server;
  return Object.assign(server, {
    target: { hubUrl: hub.url, accessToken: TOKEN, repo: { type: 'dataset' as const, name: repo } },
    postFeedback: (body: unknown) => fetch(`${url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    health: async () => (await (await fetch(`${url}/health`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()).details.capture,
  });
}

const feedback = (i: number) => ({ text: `feedback #${i}: not bad at all`, model_label: 'negative', correct_label: 'positive', confidence: 0.5 });

describe('feedback over HTTP into the dataset repo', () => {
  it('1,000 concurrent requests → exactly 1,000 distinct records in the dataset repo, none doubled', async () => {
    await using s = await start();
    const responses = await Promise.all(Array.from({ length: 1000 }, (_, i) => s.postFeedback(feedback(i))));
    expect(responses.map((r) => r.status).filter((st) => st !== 202)).toEqual([]);
    const ids = await Promise.all(responses.map(async (r) => (await r.json()).id as string));
    expect(new Set(ids).size).toBe(1000);
    await s.flushAll();
    const { records } = await readShards(s.target);
    expect(records).toHaveLength(1000); // nothing sent twice, so dedupe by id has nothing to remove
    expect(new Set(records.map((r) => r.id))).toEqual(new Set(ids));
    expect(new Set(records.map((r) => r.text)).size).toBe(1000);
    expect(await s.health()).toMatchObject({ depth: 0, last_error: null });
  }, 60_000);

  it('keeps answering 202 while the Hub answers 500; /health shows the buffer growing and the error; everything arrives after', async () => {
    await using s = await start();
    try {
      hub.faults.inject({ mode: 'status', status: 500, path: s.target.repo.name.split('/')[1] });
      hub.faults.inject({ mode: 'status', status: 500, route: 'create-repo' });
      const ids: string[] = [];
      const depths: number[] = [];
      for (let round = 0; round < 3; round++) {
        const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => s.postFeedback(feedback(round * 50 + i))));
        expect(responses.every((r) => r.status === 202)).toBe(true);
        for (const r of responses) ids.push((await r.json()).id);
        const outcome = await s.capture.capture.scheduler.maybeFlush('schedule');
        expect(outcome.status === 'failed' || (outcome.status === 'skipped' && outcome.cause === 'backoff')).toBe(true);
        const status = await s.health();
        depths.push(status.depth);
        expect(status.last_error).toMatch(/500|Injected/);
        expect(status.consecutive_failures).toBeGreaterThanOrEqual(1);
        await new Promise((r) => setTimeout(r, 60)); // past the (shortened) backoff
      }
      expect(depths).toEqual([50, 100, 150]);
      hub.faults.clear();
      await s.flushAll();
      const { records } = await readShards(s.target);
      expect(new Set(records.map((r) => r.id))).toEqual(new Set(ids));
      expect(await s.health()).toMatchObject({ depth: 0, consecutive_failures: 0 });
    } finally {
      hub.faults.clear();
    }
  }, 60_000);

  it('loses nothing when the server is killed (SIGKILL) between the 202s and a flush; a restart on the same file delivers it all', async () => {
    const path = join(tmp.path, 'crash.sqlite');
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./adapter/node/main.ts', import.meta.url))], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // No Hub settings: the child only buffers (flushes fail visibly), so every record is in the file at the kill.
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CAPTURE_DB_PATH: path, LOG_REQUESTS: 'false', FEEDBACK_RATE_LIMIT_PER_MINUTE: '0', HF_TOKEN: '', HF_DATASET_REPO: '', HF_ENDPOINT: '' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; !output.includes('listening on'); i++) {
      if (i > 300) throw new Error(`server did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ids: string[] = [];
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => fetch(`${url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(feedback(i)) })),
    );
    for (const r of responses) {
      expect(r.status).toBe(202);
      ids.push((await r.json()).id);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    await using s = await start({}, path);
    expect(await s.capture.capture.buffer.depth()).toBe(300);
    await s.flushAll();
    const { records } = await readShards(s.target);
    expect(new Set(records.map((r) => r.id))).toEqual(new Set(ids));
  }, 60_000);

  it('end to end: POST /v1/feedback, a flush, the shard read back from the dataset repo', async () => {
    await using s = await start();
    const response = await s.postFeedback({ text: 'the update broke nothing, nice', model_label: 'neutral', correct_label: 'positive', confidence: 0.48, model_version: 'v1' });
    expect(response.status).toBe(202);
    const { id } = await response.json();
    const outcome = await s.capture.capture.scheduler.maybeFlush('schedule');
    expect(outcome).toMatchObject({ status: 'flushed', records: 1 });
    const { paths, records } = await readShards(s.target);
    expect(paths).toEqual([expect.stringMatching(/^feedback\/\d{4}\/\d{2}\/\d{2}\/\d{9}-[\w-]+\.jsonl$/)]);
    expect(records).toEqual([
      { id, kind: 'feedback', text: 'the update broke nothing, nice', model_label: 'neutral', correct_label: 'positive', confidence: 0.48, model_version: 'v1', timestamp: expect.any(String), source: 'api' },
    ]);
    expect(await s.health()).toMatchObject({ depth: 0, last_flush_records: 1, last_flush_at: expect.any(String) });
  }, 30_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
