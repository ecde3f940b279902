/**
 * `npm run bench:loop`: the whole self-improvement loop, offline, through the real path. For each
 * scenario: a fresh local Hub with the shipped model as v1 and the base dataset pushed to the
 * dataset repo (`push-base`); the Node server following the model repo with capture on; every
 * correction replayed as a user would (POST /v1/sentiment/batch for the model's answer, then
 * POST /v1/feedback with the right label and the CSV's name as `source`); a flush to the dataset
 * repo; `retrain` (the same function the CLI runs); and, when promoted, the hot swap.
 *
 * Before and after, the served model is scored through the server on each replayed CSV's matching
 * validation split (`…/val.csv` beside `…/train.csv`) and on the base validation split, minus any
 * text that was replayed: never on replayed rows. Results go to trainer/bench/results/loop.json.
 *
 *   npm run bench:loop -- --corrections ../shared/data/sst3/train.csv --corrections ../shared/data/financial_phrasebank/train.csv
 *   npm run bench:loop -- --preset standard     # the five scenarios of trainer/bench/README.md
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { LABELS, type Label } from '../shared/labels';
import { startNodeServer } from '../worker/adapter/node/server';
import { startNodeCapture } from '../worker/adapter/node/capture';
import { textKey } from '../trainer/data/clean';
import { readLabelledCsv, type LabelledRow } from '../trainer/data/csv';
import { pushBase } from '../trainer/dataset/push-base';
import { publishFiles, readPublishedState } from '../trainer/hub/model-repo';
import { releaseFiles } from '../trainer/hub/release';
import { startLocalHub } from '../trainer/local-hub/server';
import { bundledModel } from '../trainer/retrain/production-model';
import { readRetrainConfig, retrainConfigSchema } from '../trainer/retrain/retrain-config';
import { runRetrain } from '../trainer/retrain/run-retrain';
import { randomLabel } from '../trainer/retrain/retrain.test-helpers';
import { captureConfigFromEnv } from '../shared/settings';

/** The bench's own local Hub accepts only this token. */
const TOKEN = 'hf_local_bench_token';

const USAGE = `npm run bench:loop -- [options]

  --corrections <csv>     text,label CSV replayed as corrections (repeatable)
  --poison swap|random    replay the same rows with positive and negative swapped, or with a seeded random label
  --name <name>           scenario name in the results (default: the CSV folders and the poison)
  --correction-weight <w> override trainer/configs/retrain.json's correction_weight
  --class-balance <b>     override its class_balance (per_source or pooled)
  --preset standard       run the five standard scenarios (SST-3 + FPB, FPB, SST-3, swap, random) from --data-dir
  --data-dir <dir>        where the preset finds sst3/ and financial_phrasebank/ (default ../shared/data)
  --out <json>            results file (default trainer/bench/results/loop.json; scenarios are merged by name)
  --help`;

const { values } = parseArgs({
  options: {
    corrections: { type: 'string', multiple: true, default: [] },
    poison: { type: 'string' },
    name: { type: 'string' },
    'correction-weight': { type: 'string' },
    'class-balance': { type: 'string' },
    preset: { type: 'string' },
    'data-dir': { type: 'string', default: '../shared/data' },
    out: { type: 'string', default: 'trainer/bench/results/loop.json' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

interface Scenario {
  name: string;
  corrections: string[];
  poison?: 'swap' | 'random';
}

const DATA = values['data-dir']!;
const SST3 = join(DATA, 'sst3/train.csv');
const FPB = join(DATA, 'financial_phrasebank/train.csv');
const PRESETS: Record<string, Scenario[]> = {
  standard: [
    { name: 'sst3+fpb', corrections: [SST3, FPB] },
    { name: 'fpb', corrections: [FPB] },
    { name: 'sst3', corrections: [SST3] },
    { name: 'sst3+fpb swapped', corrections: [SST3, FPB], poison: 'swap' },
    { name: 'sst3+fpb random', corrections: [SST3, FPB], poison: 'random' },
  ],
};

function scenarios(): Scenario[] {
  if (values.preset) {
    const preset = PRESETS[values.preset];
    if (!preset) fail(`unknown preset ${values.preset}; known: ${Object.keys(PRESETS).join(', ')}`);
    return preset;
  }
  if (values.corrections.length === 0) fail('give at least one --corrections <csv> (or --preset standard)');
  if (values.poison && values.poison !== 'swap' && values.poison !== 'random') fail('--poison must be swap or random');
  const poison = values.poison as Scenario['poison'];
  const name = values.name ?? [values.corrections.map(datasetName).join('+'), poison].filter(Boolean).join(' ');
  return [{ name, corrections: values.corrections, poison }];
}

function fail(message: string): never {
  console.error(`bench:loop: ${message}\n\n${USAGE}`);
  process.exit(2);
}

/** `../shared/data/sst3/train.csv` → `sst3`: also the `source` its corrections carry. */
const datasetName = (csv: string) => basename(dirname(csv)).replace(/[^A-Za-z0-9._-]/g, '-');
const SWAP: Record<Label, Label> = { positive: 'negative', negative: 'positive', neutral: 'neutral' };

type Scores = Record<string, { n: number; excluded: number; macro_recall: number; recall: Record<Label, number> }>;

async function runScenario(scenario: Scenario, baseValidation: string) {
  const log = (message: string) => console.error(`[${scenario.name}] ${message}`);
  const times: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      times[name] = Math.round(performance.now() - started) / 1000;
    }
  };

  const replayed: Array<LabelledRow & { source: string }> = [];
  for (const csv of scenario.corrections) for (const row of await readLabelledCsv(csv)) replayed.push({ ...row, source: datasetName(csv) });
  const replayedKeys = new Set(replayed.map((row) => textKey(row.text)));
  const splits = new Map<string, LabelledRow[]>();
  splits.set('tweeteval (base)', await readLabelledCsv(baseValidation));
  for (const csv of scenario.corrections) splits.set(datasetName(csv), await readLabelledCsv(join(dirname(csv), 'val.csv')));

  const dir = await mkdtemp(join(tmpdir(), 'bench-loop-'));
  const hub = await startLocalHub({ token: TOKEN, dir: join(dir, 'hub') });
  const settings = { hubUrl: hub.url, accessToken: TOKEN };
  const [modelRepo, datasetRepo] = ['bench/model', 'bench/data'];
  const capture = startNodeCapture({
    path: join(dir, 'capture.sqlite'),
    config: captureConfigFromEnv({ HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, HF_DATASET_REPO: datasetRepo, FLUSH_MAX_RECORDS: '5000', FLUSH_MAX_COMMITS_PER_HOUR: '120' }),
    log: () => {},
  });
  let server: Awaited<ReturnType<typeof startNodeServer>> | undefined;
  /** The bundled model, published as v1 of the scenario's model repo: "before". */
  let shipped = '';
  try {
    const { bytes, manifest } = await bundledModel();
    shipped = `${manifest.version} (featurizer v${manifest.featurizer.version})`;
    const files = releaseFiles(modelRepo, bytes, manifest, await readPublishedState({ ...settings, repo: modelRepo }), { reason: 'benchmark: the shipped model' });
    await publishFiles({ ...settings, repo: modelRepo, files, parentCommit: null });
    const config = await readRetrainConfig();
    if (values['correction-weight']) config.correction_weight = Number(values['correction-weight']);
    if (values['class-balance']) config.class_balance = retrainConfigSchema.shape.class_balance.parse(values['class-balance']);
    await timed('push_base', () => pushBase({ ...settings, repo: datasetRepo, train: config.base.train, validation: config.base.holdout, log }));
    server = await startNodeServer({
      port: 0,
      hostname: '127.0.0.1',
      log: () => {},
      config: { logRequests: false },
      intake: { feedbackRatePerMinute: 0 },
      capture: capture.capture,
      hubModel: { repo: modelRepo, hubUrl: hub.url, accessToken: TOKEN, checkIntervalMs: 1_000 },
    });
    // As in the local Hub: idle keep-alive sockets are closed by the client, so a request sent right
    // after this process was busy (loading or checking a model) never meets a socket closing under it.
    (server.server as import('node:http').Server).keepAliveTimeout = 0;
    const url = server.url;
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok && response.status !== 202) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
      return response.json();
    };
    const predictAll = async (texts: readonly string[]) => {
      const out: Array<{ label: Label; confidence: number; model_version: string }> = [];
      for (let i = 0; i < texts.length; i += 256) out.push(...(await post('/v1/sentiment/batch', { texts: texts.slice(i, i + 256) })).results);
      return out;
    };
    const servedVersion = async () => ((await (await fetch(`${url}/health`)).json()) as { version: string | null }).version;
    const score = async (): Promise<Scores> => {
      const scores: Scores = {};
      for (const [name, rows] of splits) {
        const kept = rows.filter((row) => !replayedKeys.has(textKey(row.text)));
        const predictions = await predictAll(kept.map((row) => row.text));
        const recall = Object.fromEntries(
          LABELS.map((label) => {
            const support = kept.flatMap((row, i) => (row.label === label ? [i] : []));
            return [label, support.length === 0 ? 0 : support.filter((i) => predictions[i].label === label).length / support.length];
          }),
        ) as Record<Label, number>;
        scores[name] = { n: kept.length, excluded: rows.length - kept.length, macro_recall: LABELS.reduce((a, l) => a + recall[l], 0) / LABELS.length, recall };
      }
      return scores;
    };
    while ((await servedVersion()) !== 'v1') await new Promise((r) => setTimeout(r, 100));
    const before = await timed('score_before', score);

    // Users: the model's answer, then the right label (poisoned on request), `source` = the CSV's name.
    const correct = (row: LabelledRow, i: number): Label => (scenario.poison === 'swap' ? SWAP[row.label] : scenario.poison === 'random' ? randomLabel(row, i) : row.label);
    await timed('replay', async () => {
      for (let i = 0; i < replayed.length; i += 256) {
        const chunk = replayed.slice(i, i + 256);
        const answers = await predictAll(chunk.map((row) => row.text));
        await Promise.all(
          chunk.map((row, j) =>
            post('/v1/feedback', { text: row.text, model_label: answers[j].label, correct_label: correct(row, i + j), confidence: answers[j].confidence, model_version: answers[j].model_version, source: row.source }),
          ),
        );
        if ((i / 256) % 10 === 0) log(`replayed ${Math.min(i + 256, replayed.length)}/${replayed.length}`);
      }
    });
    await timed('flush', async () => {
      for (let i = 0; i < 200 && (await capture.capture.buffer.depth()) > 0; i++) {
        if ((await capture.capture.scheduler.maybeFlush('schedule')).status !== 'flushed') await new Promise((r) => setTimeout(r, 100));
      }
      if ((await capture.capture.buffer.depth()) > 0) throw new Error('the capture buffer did not flush');
    });

    const retrainStarted = performance.now();
    const result = await runRetrain({ modelRepo, datasetRepo, hub: settings, config, workDir: join(dir, 'work'), log: (m) => log(`  ${m}`) });
    times.retrain = Math.round(performance.now() - retrainStarted) / 1000;
    log(result.decision?.reason ?? result.status);
    if (result.published) {
      await timed('hot_swap', async () => {
        const deadline = Date.now() + 60_000;
        while ((await servedVersion()) !== result.published!.version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      });
    }
    const after = await timed('score_after', score);
    return {
      name: scenario.name,
      corrections: scenario.corrections,
      poison: scenario.poison ?? null,
      replayed_rows: replayed.length,
      shipped_model: shipped,
      correction_weight: config.correction_weight,
      class_balance: config.class_balance,
      served_after: await servedVersion(),
      status: result.status,
      decided_by: result.decision?.rule ?? null,
      reason: result.decision?.reason ?? null,
      before,
      after,
      gate_slices: result.slices?.map((s) => ({ slice: s.slice, n: s.n, candidate: s.candidate.macro_recall, production: s.production.macro_recall, change: s.change.macro_recall })),
      canaries: result.canaries ? { candidate: result.canaries.candidate.failed, production: result.canaries.production.failed, total: result.canaries.candidate.total } : null,
      times_s: times,
      retrain_steps_s: result.timings,
      retrain_wall_vs_train_step: result.timings.train ? times.retrain / result.timings.train : null,
    };
  } finally {
    await server?.close();
    capture.close();
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const baseValidation = (await readRetrainConfig()).base.holdout;
const results: Record<string, unknown> = JSON.parse(await readFile(values.out!, 'utf8').catch(() => '{"scenarios":{}}'));
const stored = results as { machine?: unknown; scenarios: Record<string, unknown> };
for (const scenario of scenarios()) {
  for (const csv of scenario.corrections) await readFile(csv).catch((error) => fail(`cannot read ${csv} (${error.message})`));
  const outcome = await runScenario(scenario, baseValidation);
  stored.machine = { cpus: availableParallelism(), node: process.version, note: 'shared 2-core machine; times vary with load' };
  stored.scenarios[scenario.name] = { ...outcome, measured_at: new Date().toISOString() };
  await mkdir(dirname(values.out!), { recursive: true });
  await writeFile(values.out!, JSON.stringify(stored, null, 2) + '\n');
  const pct = (x: number) => (100 * x).toFixed(1);
  console.log(`\n## ${outcome.name}: ${outcome.status} (rule ${outcome.decided_by}), served ${outcome.served_after}`);
  console.log(outcome.reason);
  console.log('| split | texts | macro-recall before | after | recall before → after: negative | neutral | positive |');
  console.log('|---|---:|---:|---:|---|---|---|');
  for (const [split, b] of Object.entries(outcome.before)) {
    const a = outcome.after[split];
    console.log(`| ${split} | ${b.n} | ${pct(b.macro_recall)} | ${pct(a.macro_recall)} | ${LABELS.map((l) => `${pct(b.recall[l])} → ${pct(a.recall[l])}`).join(' | ')} |`);
  }
  console.log(`times (s): ${Object.entries(outcome.times_s).map(([k, v]) => `${k} ${v}`).join(', ')}; retrain steps: ${Object.entries(outcome.retrain_steps_s).map(([k, v]) => `${k} ${v}`).join(', ')}; wall/train ${outcome.retrain_wall_vs_train_step?.toFixed(2)}`);
}
