/**
 * `npm run bench:self-label [-- --data datasets/tweeteval/val.csv] [--wrong-rate 0.3]`: how
 * precise the kept self-labels are when the labeller is right only 70% of the time, per error
 * model of the stand-in and per combination of heuristics, through the real pipeline (local Hub,
 * local stand-in, `runSelfLabel`).
 *
 * The texts are the validation split's low-confidence ones: those the shipped model scores below
 * 0.55, with the model's own label and scores in their records, as the server would log them.
 * 50 of them are also "corrected by users" (their true label as feedback), which the
 * human-agreement check audits. Answers are cached per error model, so each heuristic
 * combination re-judges the same answers. Writes trainer/bench/results/self-label.json (--out).
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newFeedbackRecord, newLowConfidenceRecord } from '../../shared/feedback-record';
import { LABELS, type Label } from '../../shared/labels';
import { textKey } from '../data/clean';
import { readLabelledCsv } from '../data/csv';
import { startLocalLlm } from '../local-llm/server';
import type { ErrorModel } from '../local-llm/behaviour';
import { startLocalHub } from '../local-hub/server';
import { loadModelFile, predictAll } from '../onnx/load-model';
import { runSelfLabel } from '../self-label/run-self-label';
import { resolveEndpoint, selfLabelConfigSchema, type HeuristicSettings } from '../self-label/settings';
import { readBack } from '../self-label/self-label.test-helpers';
import { writeShard } from '../retrain/retrain.test-helpers';

/** The bench's own local Hub accepts only this token. */
const TOKEN = 'hf_local_bench_token';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'trainer/bench/results/self-label.json' }, data: { type: 'string', default: 'datasets/tweeteval/val.csv' }, 'wrong-rate': { type: 'string', default: '0.3' }, audit: { type: 'string', default: '50' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(`usage: npm run bench:self-label [-- --data datasets/tweeteval/val.csv] [--wrong-rate 0.3] [--audit 50] [--out trainer/bench/results/self-label.json]

How precise the kept self-labels are when the labeller (the local stand-in) is wrong --wrong-rate of the
time, per error model and per combination of heuristics, through the real pipeline. --audit texts also
get their true label as user feedback, for the human-agreement check.`);
  process.exit(0);
}
const wrongRate = Number(values['wrong-rate']);
const AUDIT = Number(values.audit);

const rows = await readLabelledCsv(values.data!);
const model = await loadModelFile('worker/model/model.onnx');
const probabilities = await predictAll(model, rows.map((r) => r.text));
await model.release();
const lowConfidence = rows.flatMap((row, i) => {
  const scores = { negative: probabilities[i * 3], neutral: probabilities[i * 3 + 1], positive: probabilities[i * 3 + 2] };
  const top = LABELS.reduce((a, b) => (scores[b] > scores[a] ? b : a));
  return scores[top] < 0.55 ? [{ row, label: top, confidence: scores[top], scores }] : [];
});
const truth = new Map(rows.map((r) => [textKey(r.text), r.label]));
const productionRight = lowConfidence.filter((x) => x.label === x.row.label).length / lowConfidence.length;
console.error(`${values.data}: ${rows.length} texts, ${lowConfidence.length} below 0.55 confidence; the shipped model is right on ${(productionRight * 100).toFixed(1)}% of those`);

const start = Date.UTC(2026, 10, 1);
const lowRecords = lowConfidence.map((x, i) => newLowConfidenceRecord({ text: x.row.text, label: x.label, confidence: x.confidence, scores: x.scores, model_version: 'v1' }, new Date(start + i * 1000)));
const auditRecords = lowConfidence.slice(0, AUDIT).map((x) => newFeedbackRecord({ text: x.row.text, model_label: x.label, correct_label: x.row.label }));
/** The production model's mistakes: an LLM that errs where the model errs makes the same mistake. */
const modelMistakes = new Map<string, Label>(lowConfidence.filter((x) => x.label !== x.row.label).map((x) => [textKey(x.row.text), x.label]));

const off: HeuristicSettings = {
  prompts_agree: false,
  no_correction_conflict: true,
  confidence_floor: { enabled: false, min: 0.7 },
  model_agrees: { enabled: false, min_probability: 0 },
  per_label_cap: { enabled: false, max_share: 0.5, min_count: 10 },
  human_agreement: { enabled: false, audit_texts: AUDIT, min_samples: 10, min_agreement: 0.8 },
};
const defaults = selfLabelConfigSchema.parse({}).heuristics;
const combos: Record<string, HeuristicSettings> = {
  'one prompt, no checks': off,
  'two prompts agree': { ...off, prompts_agree: true },
  'production model agrees': { ...off, model_agrees: { enabled: true, min_probability: 0 } },
  'two prompts + model agree': { ...off, prompts_agree: true, model_agrees: { enabled: true, min_probability: 0 } },
  'defaults: two prompts + model agree at ≥ 0.45, per-label cap, audit': { ...defaults, human_agreement: { ...defaults.human_agreement, audit_texts: AUDIT } },
};
const errorModels: Array<{ name: string; errorModel: ErrorModel; confusions?: Map<string, Label> }> = [
  { name: 'independent per prompt', errorModel: 'independent' },
  { name: 'mixed (half the errors shared by both prompts)', errorModel: 'mixed' },
  { name: 'correlated (same mistake for both prompts)', errorModel: 'correlated' },
  { name: 'mixed, and errs like the production model', errorModel: 'mixed', confusions: modelMistakes },
];

const dir = await mkdtemp(join(tmpdir(), 'bench-self-label-'));
const hub = await startLocalHub({ token: TOKEN, dir: join(dir, 'hub') });
const hubSettings = { hubUrl: hub.url, accessToken: TOKEN };
const results: Array<Record<string, unknown>> = [];
let serial = 0;
try {
  for (const em of errorModels) {
    const llm = await startLocalLlm({ truth, wrongRate, errorModel: em.errorModel, confusions: em.confusions, seed: 'bench' });
    try {
      for (const [comboName, heuristics] of Object.entries(combos)) {
        const repo = `bench/run-${++serial}`;
        await writeShard(repo, hubSettings, 'low_confidence', lowRecords);
        await writeShard(repo, hubSettings, 'feedback', auditRecords);
        const config = selfLabelConfigSchema.parse({
          provider: 'local',
          base_url: llm.baseUrl,
          batch_size: 20,
          max_texts: 100_000,
          budget: { max_requests: 100_000, max_tokens: 100_000_000 },
          heuristics,
          skip_texts_in: [],
          cache_file: join(dir, `cache-${em.name}.jsonl`),
        });
        const summary = await runSelfLabel({ datasetRepo: repo, hub: hubSettings, config, endpoint: resolveEndpoint(config), workDir: join(dir, `work-${serial}`), log: () => {} });
        const kept = (await readBack(repo, hubSettings, join(dir, `read-${serial}`))).selfLabeled;
        const right = kept.filter((r) => r.label === truth.get(textKey(r.text))).length;
        const row = {
          error_model: em.name,
          heuristics: comboName,
          labeller_accuracy: Math.round((1 - llm.stats.wrong / Math.max(1, llm.stats.answered)) * 1000) / 1000,
          texts: summary.judged,
          kept: kept.length,
          kept_share: Math.round((kept.length / summary.judged) * 1000) / 1000,
          precision: kept.length ? Math.round((right / kept.length) * 1000) / 1000 : null,
          audit: summary.human_agreement.rate === null ? null : `${summary.human_agreement.agreed}/${summary.human_agreement.samples}`,
          status: summary.status,
          requests_total: llm.stats.requests,
        };
        results.push(row);
        console.error(JSON.stringify(row));
      }
    } finally {
      await llm.close();
    }
  }
} finally {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
}

const table = [
  '| error model (labeller right 70%) | heuristics | kept share | precision of kept | audit agreement | run |',
  '|---|---|---:|---:|---:|---|',
  ...results.map((r) => `| ${r.error_model} | ${r.heuristics} | ${((r.kept_share as number) * 100).toFixed(1)}% | ${r.precision === null ? '–' : `${((r.precision as number) * 100).toFixed(1)}%`} | ${r.audit ?? '–'} | ${r.status} |`),
].join('\n');
console.log(table);
await mkdir('trainer/bench/results', { recursive: true });
await writeFile(values.out!, JSON.stringify({ data: values.data, texts: rows.length, low_confidence_texts: lowConfidence.length, production_accuracy_on_them: productionRight, wrong_rate: wrongRate, audit_texts: AUDIT, results, measured_at: new Date().toISOString() }, null, 2) + '\n');
console.error(`wrote ${values.out}`);
