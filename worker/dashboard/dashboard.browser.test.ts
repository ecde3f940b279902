/**
 * The dashboard in a real browser (Debian's Chromium, headless, driven by playwright-core) after a
 * scripted run on the local Hub stand-in and the Node server: v1 published, a weak candidate (the
 * test fixture model, scored on the holdout) recorded as not promoted, traffic and feedback, then one promotion (v2)
 * that the running server picks up, and more traffic on v2. Every number on the page must equal
 * /v1/metrics; the page is saved as a screenshot (DASHBOARD_SCREENSHOT, default
 * .data/dashboard.png; the README's copy is docs/dashboard.png).
 *
 * Needs Chromium at CHROMIUM_PATH (default /usr/bin/chromium: `apt-get install chromium`; .ci/run
 * installs it): skipped without it.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../../shared/test/temp-dir.test-helpers';
import { manifestSchema } from '../../shared/manifest';
import { readLabelledCsv, type LabelledRow } from '../../trainer/data/csv';
import { evaluateModel } from '../../trainer/evaluate/evaluate-model';
import { historyLine } from '../../trainer/hub/history';
import { commitHistory, publishFiles, readPublishedState } from '../../trainer/hub/model-repo';
import { releaseFiles } from '../../trainer/hub/release';
import { TOKEN, useTestHub } from '../../trainer/local-hub/local-hub.test-helpers';
import { holdoutMetrics } from '../../trainer/model/train-candidate';
import { loadModelBytes } from '../../trainer/onnx/load-model';
import { startCapturingServer, type CapturingServer } from '../adapter/node/capturing-server.test-helpers';
import { startNodeMetrics, type NodeMetrics } from '../adapter/node/metrics';
import { formatCount, formatShare } from './charts';
import { monitoringSettingsFromEnv } from '../../shared/settings';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = process.env.DASHBOARD_SCREENSHOT ?? '.data/dashboard.png';
const REPO = 'team/sentiment';
const ADMIN_KEY = 'dashboard-test-admin-key-0123';
const hubSettings = () => ({ hubUrl: hub.url, accessToken: TOKEN });
const quiet = () => {};

const hub = useTestHub();
const tmp = useTempDir('dashboard-');
let node: CapturingServer;
let counters: NodeMetrics;
let browser: BrowserContext;

/** Publishes `onnx` + `manifest` as the repo's next version through the trainer's release path (what `trainer publish` does). */
async function publish(onnx: Uint8Array, manifest: unknown, reason: string) {
  const published = await readPublishedState({ ...hubSettings(), repo: REPO });
  const files = releaseFiles(REPO, onnx, manifestSchema.parse(manifest), published, { reason, productionMetrics: published.manifest?.metrics ?? null });
  await publishFiles({ ...hubSettings(), repo: REPO, files, parentCommit: published.sha });
}

const auth = { authorization: `Bearer ${ADMIN_KEY}` };
const health = async () => (await (await fetch(`${node.server.url}/health`)).json()) as { version: string | null };

/** Users: single predictions and batches, then feedback with the true label on some of the single ones. */
async function traffic(rows: readonly LabelledRow[], feedbackEvery: number) {
  for (const [i, row] of rows.entries()) {
    const { body } = await node.post('/v1/sentiment', { text: row.text });
    if (i % feedbackEvery === 0) expect((await node.post('/v1/feedback', { text: row.text, model_label: body.label, correct_label: row.label, model_version: body.model_version })).status).toBe(202);
  }
  for (let i = 0; i < rows.length; i += 25) expect((await node.post('/v1/sentiment/batch', { texts: rows.slice(i, i + 25).map((r) => r.text) })).status).toBe(200);
}

describe.skipIf(!existsSync(CHROMIUM))('the dashboard in Chromium', () => {
  beforeAll(async () => {
    const shipped = { onnx: new Uint8Array(await readFile('worker/model/model.onnx')), manifest: JSON.parse(await readFile('worker/model/manifest.json', 'utf8')) };
    await publish(shipped.onnx, shipped.manifest, 'published by hand (trainer publish)');

    // A weak candidate (the tiny test fixture model), scored on the same holdout and recorded as not promoted.
    const holdout = await readLabelledCsv('datasets/tweeteval/val.csv');
    const weakBytes = new Uint8Array(await readFile('worker/test/fixtures/test-model.onnx'));
    const weak = await loadModelBytes(weakBytes);
    const weakMetrics = holdoutMetrics('datasets/tweeteval/val.csv', await evaluateModel(weak, holdout));
    await weak.release();
    const state = await readPublishedState({ ...hubSettings(), repo: REPO });
    const production = state.manifest?.metrics;
    if (!production || !state.sha) throw new Error('v1 was not published');
    const reason = `not promoted: macro-recall ${weakMetrics.macro_recall.toFixed(4)} vs production ${production.macro_recall.toFixed(4)}`;
    const candidate = manifestSchema.parse({ ...JSON.parse(await readFile('worker/test/fixtures/test-model.manifest.json', 'utf8')), version: 'v2', metrics: weakMetrics, parent_version: 'v1' });
    await commitHistory({ ...hubSettings(), repo: REPO, history: state.history + historyLine(candidate, { promoted: false, productionMetrics: production, reason }), parentCommit: state.sha, title: 'Record candidate (not promoted)' });

    const monitoring = monitoringSettingsFromEnv({ ADMIN_API_KEY: ADMIN_KEY });
    counters = startNodeMetrics({ path: join(tmp.path, 'capture.sqlite'), settings: monitoring, lowConfidenceThreshold: 0.55, log: quiet });
    node = await startCapturingServer({
      hubUrl: hub.url,
      token: TOKEN,
      capturePath: join(tmp.path, 'capture.sqlite'),
      datasetRepo: 'team/sentiment-feedback',
      metrics: counters.metrics,
      monitoring,
      hubModel: { repo: REPO, ...hubSettings(), checkIntervalMs: 500 },
    });
    const until = async (version: string) => {
      for (const started = Date.now(); (await health()).version !== version; ) {
        if (Date.now() - started > 30_000) throw new Error(`the server did not reach ${version}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until('v1');
    await traffic(holdout.slice(0, 120), 3);
    // The promotion: v2 through the same release path; the running server swaps to it.
    await publish(shipped.onnx, { ...shipped.manifest, created_at: new Date().toISOString() }, 'published by hand (trainer publish)');
    await until('v2');
    await traffic(holdout.slice(120, 200), 4);
    expect((await node.capture.capture.scheduler.maybeFlush('schedule')).status).toBe('flushed');

    const userDataDir = join(tmp.path, 'chromium-profile');
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      // Without the background-networking flags Chromium tries to reach Google and this closed network refuses it.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: 1,
      httpCredentials: { username: 'admin', password: ADMIN_KEY },
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await node?.close();
    await counters?.close();
  });

  it('shows the numbers /v1/metrics returns, the promotion and the history, and saves a screenshot', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${node.server.url}/dashboard`);
    expect(response?.status()).toBe(200);
    const metrics = await (await fetch(`${node.server.url}/v1/metrics`, { headers: auth })).json();

    // Every number on the page, raw and as shown, against the JSON.
    const shown = await page.$$eval('[data-metric]', (nodes) => nodes.map((n) => ({ key: n.getAttribute('data-metric') as string, raw: n.getAttribute('data-value') as string, text: (n.textContent ?? '').trim() })));
    expect(shown.length).toBeGreaterThanOrEqual(15);
    for (const { key, raw, text } of shown) {
      const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], metrics) as number | null;
      expect(raw, key).toBe(value === null ? '' : String(value));
      expect(text, key).toBe(key.endsWith('_share') ? formatShare(value) : formatCount(value ?? 0));
    }
    const window = metrics.windows.last_24h;
    expect(window.requests).toBe(200 + 5 + 4); // single predictions, then batches of 25
    expect(window.predictions).toBe(400);
    expect(window.feedback).toBe(40 + 20);
    expect(window.negative + window.neutral + window.positive).toBe(400);
    expect(metrics.by_model_version.map((v: { model_version: string; predictions: number }) => [v.model_version, v.predictions])).toEqual([['v2', 160], ['v1', 240]]);

    // The model panels: v2 serving, v1 → a refused candidate → v2 in the history, with reasons.
    expect(await page.getAttribute('[data-model-version]', 'data-model-version')).toBe('v2');
    const history = await page.$$eval('table.history tbody tr', (rows) => rows.map((r) => (r.textContent ?? '').replace(/\s+/g, ' ')));
    expect(history).toHaveLength(3);
    expect(history[0]).toMatch(/promoted v2.*published by hand/);
    const shippedRecall = JSON.parse(await readFile('worker/model/manifest.json', 'utf8')).metrics.macro_recall.toFixed(4);
    expect(history[1]).toMatch(new RegExp(`not promoted.*not promoted: macro-recall 0\\.\\d{4} vs production ${shippedRecall.replace('.', '\\.')}`));
    expect(history[2]).toMatch(/promoted v1.*published by hand/);
    expect(await page.getAttribute('[data-alert-status]', 'data-alert-status')).toBe(metrics.alerts.status);
    expect(await page.locator('svg.chart').count()).toBe(4);

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect((await readFile(SCREENSHOT)).subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);
});
