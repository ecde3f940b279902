/**
 * The Node server following a Hub model repo (the local Hub stand-in, through the real client):
 * a newly published version reaches responses without a restart and without a failed request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN, useTestHub } from '../trainer/local-hub/local-hub.test-helpers';
import { publishVersion } from './model-provider/hub.test-helpers';
import { startNodeServer, type NodeServer } from './adapter/node/server';

const REPO = 'team/sentiment-live';
const hub = useTestHub();
let server: NodeServer;

const predict = async (text: string) => {
  const response = await fetch(`${server.url}/v1/sentiment`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  return { status: response.status, body: (await response.json()) as { model_version?: string } };
};

beforeAll(async () => {
  await publishVersion(hub, REPO); // v1
  server = await startNodeServer({
    port: 0,
    hostname: '127.0.0.1',
    log: () => {},
    config: { logRequests: false },
    hubModel: { repo: REPO, hubUrl: hub.url, accessToken: TOKEN, checkIntervalMs: 300, releaseGraceMs: 1_000 },
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('hot swap on the Node server', () => {
  it('serves v1 from the Hub, then v2 after it is published, with no failed request across the swap', async () => {
    expect((await predict('warm up')).body.model_version).toBe('v1');
    expect(server.models.status()).toMatchObject({ version: 'v1', source: expect.stringMatching(/^hub:team\/sentiment-live@/) });

    let published = false;
    const seen = new Set<string>();
    const failures: unknown[] = [];
    const load = async () => {
      // Bounded: stops once v2 answered after publishing, or after 30 s.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const { status, body } = await predict('the new model should answer this soon');
        if (status !== 200) failures.push({ status, body });
        if (body.model_version) seen.add(body.model_version);
        if (published && body.model_version === 'v2') return;
      }
    };
    const clients = Array.from({ length: 8 }, load);
    await publishVersion(hub, REPO); // v2
    published = true;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    expect([...seen].sort()).toEqual(['v1', 'v2']);
    expect((await predict('after the swap')).body.model_version).toBe('v2');
  }, 90_000);
});
