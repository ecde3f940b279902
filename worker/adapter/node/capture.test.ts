/** The Node buffer when CAPTURE_DB_PATH cannot be used: the app serves predictions, feedback answers 503, /health says why. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import { fixtureModelProvider } from '../../test/fixture-provider';
import { openNodeCapture } from './capture';
import { captureConfigFromEnv, MONITORING_DEFAULTS } from '../../../shared/settings';

const dir = mkdtempSync(join(tmpdir(), 'capture-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ADMIN = 'an-admin-key-of-16+-chars';

function open(path: string) {
  return openNodeCapture({ path, config: captureConfigFromEnv({}), log: () => {} });
}

describe('openNodeCapture', () => {
  it('opens a new file in folders it creates, and a file it made before', () => {
    const path = join(dir, 'a/b/capture.sqlite');
    const first = open(path);
    expect(first.error).toBeNull();
    first.capture!.close();
    const again = open(path);
    expect(again.error).toBeNull();
    again.capture!.close();
  });

  it.each([
    ['a folder', () => dir, /is a folder/],
    ['a file that is not SQLite', () => (writeFileSync(join(dir, 'notes.txt'), 'not a database\n'.repeat(100)), join(dir, 'notes.txt')), /file is not a database/],
    ['a path through a file', () => (writeFileSync(join(dir, 'plain'), 'x'), join(dir, 'plain/capture.sqlite')), /unable to open database file/],
  ])('says why %s cannot be used, and the app serves with it', async (_what, makePath, why) => {
    const path = makePath();
    const opened = open(path);
    expect(opened.capture).toBeNull();
    expect(opened.error).toMatch(why);
    expect(opened.error).toContain(path);

    const app = createApp({ runtime: 'node', models: fixtureModelProvider(), log: () => {}, capture: null, captureError: opened.error, monitoring: { ...MONITORING_DEFAULTS, adminApiKey: ADMIN } });
    const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/v1/sentiment', { text: 'I love it' })).status).toBe(200);
    const feedback = await post('/v1/feedback', { text: 'fine', model_label: 'negative', correct_label: 'neutral' });
    expect(feedback.status).toBe(503);
    expect((await feedback.json()).error).toMatchObject({ code: 'capture_unavailable', message: expect.stringContaining('could not be opened') });
    const health = await (await app.request('/health')).json();
    expect(health).toEqual({ status: 'degraded', version: expect.any(String), depth: null, alerts: null });
    expect(JSON.stringify(health)).not.toContain(dir);
    const admin = await (await app.request('/health', { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    expect(admin.details).toMatchObject({ capture: null, capture_error: opened.error });
  });
  // A folder under /proc (where Node's recursive mkdir never returns) runs in a child process: bundle.test.ts.
});
