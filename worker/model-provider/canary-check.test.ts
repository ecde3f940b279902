/**
 * The registry's behavioural check on Node: a version with negated weights (valid graph, manifest
 * and sha256, finite probabilities) is refused by the Node server, which keeps serving the version
 * before it and says why in /health.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SentimentModel } from '../../shared/sentiment-model';
import { negateWeights } from '../../trainer/export/negate-weights';
import { useTestHub } from '../../trainer/local-hub/local-hub.test-helpers';
import { startNodeServer, type NodeServer } from '../adapter/node/server';
import { ortNode } from '../../shared/ort/node';
import { CanaryCheckError, checkCanaries } from './canary-check';
import { bundledModel, publishVersion, TOKEN } from './hub.test-helpers';
import { MONITORING_DEFAULTS } from '../../shared/settings';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const REPO = 'team/sentiment-canaries';
const ADMIN_KEY = 'canary-test-admin-key';
const hub = useTestHub();
let server: NodeServer;

beforeAll(async () => {
  await publishVersion(hub, REPO); // v1: the shipped model
  server = await startNodeServer({
    port: 0,
    hostname: '127.0.0.1',
    log: () => {},
    config: { logRequests: false },
    monitoring: { ...MONITORING_DEFAULTS, adminApiKey: ADMIN_KEY },
    hubModel: { repo: REPO, hubUrl: hub.url, accessToken: TOKEN, checkIntervalMs: 200 },
  });
});

afterAll(async () => {
  await server?.close();
});

const predict = async (text: string) =>
  (await (await fetch(`${server.url}/v1/sentiment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })).json()) as {
    label: string;
    model_version: string;
  };

describe('behavioural canaries in the registry', () => {
  it('pass the shipped model and refuse it with its weights negated', async () => {
    const shipped = await SentimentModel.load(ortNode, bundledModel().bytes);
    const inverted = await SentimentModel.load(ortNode, negateWeights(bundledModel().bytes));
    try {
      await expect(checkCanaries(shipped)).resolves.toBeUndefined();
      const refusal = checkCanaries(inverted);
      await expect(refusal).rejects.toBeInstanceOf(CanaryCheckError);
      await expect(refusal).rejects.toThrow(/\d+ of 80 clear-polarity texts scored the wrong way round \(agreement 0\.0\d, floor 0\.75\)/);
    } finally {
      await shipped.release();
      await inverted.release();
    }
  });

  it('the Node server keeps v1 when v2 has negated weights, and /health says why', async () => {
    expect(await predict('warm up')).toMatchObject({ model_version: 'v1' });
    const v2 = await publishVersion(hub, REPO, { bytes: negateWeights(bundledModel().bytes) });
    const deadline = Date.now() + 30_000;
    let health: { model: { version: string; hub: { rejected: { version: string; sha: string; reason: string } | null } } };
    do {
      await sleep(100);
      health = (await (await fetch(`${server.url}/health`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()).details;
    } while (!health.model.hub.rejected && Date.now() < deadline);
    expect(health.model).toMatchObject({
      version: 'v1',
      hub: { rejected: { version: 'v2', sha: v2.sha, reason: expect.stringMatching(/behavioural canaries: \d+ of 80 clear-polarity texts scored the wrong way round/) } },
    });
    expect(await predict('I love this so much, wonderful day')).toEqual(expect.objectContaining({ label: 'positive', model_version: 'v1' }));
  });
});
