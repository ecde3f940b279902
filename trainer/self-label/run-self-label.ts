/**
 * One self-labelling run: pull the dataset repo → pick unlabelled low-confidence texts → ask the
 * LLM (two prompt wordings, cached, within the budget) → keep the labels the heuristics accept →
 * one commit with the `self_labeled/` shard and the run's answer log. Nothing is written on a dry
 * run, and a run that paid for nothing new and kept nothing makes no commit.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commit } from '@huggingface/hub';
import { newRecordId, selfLabeledRecordSchema, shardPath, type SelfLabeledRecord } from '../../shared/feedback-record';
import { LABELS, type Label } from '../../shared/labels';
import { textKey } from '../data/clean';
import { parseLabelledCsv } from '../data/csv';
import { datasetCacheDir, pullDataset } from '../dataset/pull';
import { readDatasetRecords } from '../dataset/records';
import { ANSWER_LOG_FOLDER, AnswerCache } from './answer-cache';
import { askPrompt, newAskStats, type AskStats } from './ask-llm';
import { Budget } from './budget';
import { costOfUsage, estimateRun, printPrompts, type CostEstimate } from './dry-run';
import { capPerLabel, humanAgreement, judgeText, type HumanAgreement, type JudgedText, type TextCheck } from './heuristics';
import { PROMPT_VERSIONS, type PromptVersion } from './prompts';
import { selectTexts, type Selection } from './select-texts';
import type { Endpoint, SelfLabelConfig } from './settings';
import { type HubSettings } from '../../shared/settings';

export interface SelfLabelOptions {
  datasetRepo: string;
  hub: HubSettings;
  config: SelfLabelConfig;
  endpoint: Endpoint;
  /** The dataset cache lives in `<workDir>/dataset/…`, shared with `retrain`. */
  workDir: string;
  dryRun?: boolean;
  /** Dry run: print the prompts (they contain user texts) rather than only the estimate. */
  showPrompts?: boolean;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
  print?: (text: string) => void;
  now?: () => Date;
}

export interface SelfLabelSummary {
  status: 'labelled' | 'nothing_new' | 'discarded' | 'dry_run' | 'no_dataset';
  run_id: string;
  labeler: string;
  prompts: PromptVersion[];
  dataset_revision: string | null;
  selection: Selection['report'] & { audit_texts: number };
  requests: { sent: number; max: number; refused_by_budget: number };
  /** Tokens the run may have spent (reported usage plus timed-out attempts at their worst case) against the budget. */
  tokens: { spent: number; max: number; prompt_reported: number; completion_reported: number };
  llm: AskStats;
  /** Per check: whether it is on, and how many labels it rejected. */
  heuristics: Record<TextCheck | 'per_label_cap', { enabled: boolean; rejected: number }>;
  human_agreement: HumanAgreement & { enabled: boolean; min_agreement: number };
  /** Texts judged (selected, not audit) and labels kept; kept_share = kept / judged. */
  judged: number;
  kept: number;
  kept_share: number | null;
  kept_per_label: Record<Label, number>;
  cost: CostEstimate;
  commit: string | null;
  files: string[];
}

export async function runSelfLabel(options: SelfLabelOptions): Promise<SelfLabelSummary> {
  const { datasetRepo, hub, config, endpoint, workDir, dryRun = false } = options;
  const log = options.log ?? ((message: string) => console.error(`[self-label] ${message}`));
  const now = options.now ?? (() => new Date());
  const started = now();
  const runId = newRecordId(started.getTime());
  const h = config.heuristics;
  const prompts: PromptVersion[] = h.prompts_agree ? [...PROMPT_VERSIONS] : [PROMPT_VERSIONS[0]];

  // 1. What the dataset repo holds, and which answers were paid for before.
  const datasetDir = datasetCacheDir(workDir, datasetRepo);
  const pulled = await pullDataset({ ...hub, repo: datasetRepo, dir: datasetDir, log });
  const records = await readDatasetRecords(datasetDir, pulled);
  const cache = new AnswerCache(config.cache_file);
  await cache.loadFile();
  if (pulled.revision) {
    const logsDir = join(workDir, 'self-label-answers', datasetRepo.replace('/', '__'));
    await cache.loadLogs(logsDir, (await pullDataset({ ...hub, repo: datasetRepo, dir: logsDir, log, folders: [ANSWER_LOG_FOLDER] })).files);
  }
  if (cache.invalidLines > 0) log(`skipped ${cache.invalidLines} unreadable answer-cache lines`);

  // 2. Which texts.
  const baseKeys = new Set<string>();
  for (const path of config.skip_texts_in) for (const row of parseLabelledCsv(await readFile(path, 'utf8'), path)) baseKeys.add(textKey(row.text));
  const selection = selectTexts({
    records,
    baseKeys,
    isCached: (hash) => cache.has(hash, endpoint.labeler, prompts[0]),
    maxNew: config.max_texts,
    auditTexts: h.human_agreement.enabled ? h.human_agreement.audit_texts : 0,
  });
  const s = selection.report;
  log(`${s.low_confidence_texts} low-confidence texts: ${s.new} new, ${s.cached} answered before, ${s.left_for_later} left for later runs; skipped ${s.already_self_labeled} self-labelled, ${s.corrected_by_users} corrected by users, ${s.in_base_dataset} in the base dataset; ${selection.audit.length} corrected texts to audit`);

  const budget = new Budget(config.budget.max_requests, config.budget.max_tokens);
  const stats = newAskStats();
  const items: JudgedText[] = selection.texts.map((t) => ({ ...t, answers: {} }));
  const audit: JudgedText[] = selection.audit.map((t) => ({ ...t, answers: {} }));
  const all = [...items, ...audit];
  const summary: SelfLabelSummary = {
    status: 'nothing_new',
    run_id: runId,
    labeler: endpoint.labeler,
    prompts,
    dataset_revision: pulled.revision,
    selection: { ...s, audit_texts: audit.length },
    requests: { sent: 0, max: budget.maxRequests, refused_by_budget: 0 },
    tokens: { spent: 0, max: budget.maxTokens, prompt_reported: 0, completion_reported: 0 },
    llm: stats,
    heuristics: {
      answered: { enabled: true, rejected: 0 },
      prompts_agree: { enabled: h.prompts_agree, rejected: 0 },
      confidence_floor: { enabled: h.confidence_floor.enabled, rejected: 0 },
      model_agrees: { enabled: h.model_agrees.enabled, rejected: 0 },
      no_correction_conflict: { enabled: h.no_correction_conflict, rejected: 0 },
      per_label_cap: { enabled: h.per_label_cap.enabled, rejected: 0 },
    },
    human_agreement: { samples: 0, agreed: 0, rate: null, passed: true, enabled: h.human_agreement.enabled, min_agreement: h.human_agreement.min_agreement },
    judged: items.length,
    kept: 0,
    kept_share: null,
    kept_per_label: Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>,
    cost: costOfUsage(endpoint.provider, { prompt_tokens: 0, completion_tokens: 0 }, 0),
    commit: null,
    files: [],
  };
  if (!pulled.revision) {
    log(`${datasetRepo} does not exist yet: nothing to label`);
    return { ...summary, status: 'no_dataset' };
  }

  if (dryRun) {
    const uncached = all.filter((t) => !cache.has(t.hash, endpoint.labeler, prompts[0]));
    summary.cost = estimateRun(endpoint.provider, uncached.map((t) => t.text), prompts, config.batch_size);
    if (options.showPrompts) printPrompts(uncached.map((t) => t.text), prompts, config.batch_size, options.print ?? console.log);
    log(`dry run: ${uncached.length} texts × ${prompts.length} prompts ≈ ${summary.cost.requests} requests, ${summary.cost.tokens} tokens, ${summary.cost.usd === null ? 'no per-token price' : `$${summary.cost.usd.toFixed(4)}`} (${summary.cost.price_note}); nothing sent or written`);
    return { ...summary, status: 'dry_run' };
  }

  // 3. Ask. The second wording only for texts the first one's answer could still be kept for.
  const ctx = {
    client: {
      baseUrl: endpoint.baseUrl,
      model: endpoint.model,
      apiKey: endpoint.apiKey,
      fetch: options.fetch,
      sleep: options.sleep,
      timeoutMs: config.request.timeout_s * 1000,
      maxRetries: config.request.max_retries,
      backoffBaseMs: config.request.backoff_base_ms,
      backoffMaxMs: config.request.backoff_max_ms,
      maxRetryAfterMs: config.request.max_retry_after_s * 1000,
    },
    labeler: endpoint.labeler,
    cache,
    budget,
    batchSize: config.batch_size,
    concurrency: config.request.concurrency,
    jsonMode: config.request.json_mode,
    stats,
    log,
    now,
  };
  const fill = (prompt: PromptVersion) => {
    for (const item of all) {
      const answer = cache.get(item.hash, endpoint.labeler, prompt);
      if (answer !== undefined) item.answers[prompt] = answer;
    }
  };
  for (const [i, prompt] of prompts.entries()) {
    const worthAsking = i === 0 ? all : all.filter((item) => judgeText({ ...item, correction: null }, prompts.slice(0, i), { ...h, prompts_agree: false }).label !== null);
    await askPrompt(worthAsking, prompt, ctx);
    fill(prompt);
  }
  if (stats.stopped) log(`stopped asking: ${stats.stopped}`);
  summary.requests = { sent: budget.requests, max: budget.maxRequests, refused_by_budget: budget.refused };
  summary.tokens = { spent: budget.tokens, max: budget.maxTokens, prompt_reported: budget.usage.prompt_tokens, completion_reported: budget.usage.completion_tokens };
  summary.cost = costOfUsage(endpoint.provider, budget.usage, budget.requests);

  // 4. Judge.
  const passed: Array<{ item: JudgedText; label: Label }> = [];
  for (const item of items) {
    const verdict = judgeText(item, prompts, h);
    if (verdict.rejectedBy) summary.heuristics[verdict.rejectedBy].rejected++;
    else passed.push({ item, label: verdict.label! });
  }
  const keepIndex = h.per_label_cap.enabled ? capPerLabel(passed.map((p) => p.label), h.per_label_cap.max_share, h.per_label_cap.min_count) : new Set(passed.keys());
  summary.heuristics.per_label_cap.rejected = passed.length - keepIndex.size;
  const kept = passed.filter((_, i) => keepIndex.has(i));
  summary.human_agreement = { ...humanAgreement(audit, prompts, h), enabled: h.human_agreement.enabled, min_agreement: h.human_agreement.min_agreement };
  const agreement = summary.human_agreement;
  if (agreement.rate !== null) log(`audit: kept labels agree with users on ${agreement.agreed}/${agreement.samples} corrected texts (${(agreement.rate * 100).toFixed(1)}%)`);

  const timestamp = now().toISOString();
  const out: SelfLabeledRecord[] = agreement.passed
    ? kept.map(({ item, label }) =>
        selfLabeledRecordSchema.parse({
          id: newRecordId(now().getTime()),
          kind: 'self_labeled',
          text: item.text,
          label,
          confidence: minConfidence(item, prompts),
          labeler: endpoint.labeler,
          timestamp,
          source: 'llm',
          provenance: {
            provider: endpoint.provider,
            model: endpoint.model,
            run_id: runId,
            answers: prompts.map((prompt) => ({ prompt, label: item.answers[prompt]!.label, confidence: item.answers[prompt]!.confidence })),
            production: item.production,
          },
        }),
      )
    : [];
  if (!agreement.passed) log(`discarding this run's ${kept.length} labels: agreement with users ${(agreement.rate! * 100).toFixed(1)}% is below ${h.human_agreement.min_agreement * 100}%`);
  summary.kept = out.length;
  summary.kept_share = items.length > 0 ? out.length / items.length : null;
  for (const record of out) summary.kept_per_label[record.label]++;

  // 5. One commit: the labels and every answer paid for (so no later run pays for them again).
  const files: Array<{ path: string; content: string }> = [];
  const shard = shardPath('self_labeled', started, runId);
  if (out.length > 0) files.push({ path: shard, content: out.map((r) => JSON.stringify(r)).join('\n') + '\n' });
  if (cache.added.length > 0) files.push({ path: shard.replace(/^self_labeled\//, `${ANSWER_LOG_FOLDER}/`), content: cache.added.map((a) => JSON.stringify(a)).join('\n') + '\n' });
  summary.status = !agreement.passed ? 'discarded' : out.length > 0 ? 'labelled' : 'nothing_new';
  if (files.length > 0) {
    const result = await commit({
      repo: { type: 'dataset', name: datasetRepo },
      hubUrl: hub.hubUrl,
      accessToken: hub.accessToken,
      title: `Self-label run ${runId}: ${out.length} labels by ${endpoint.labeler}`,
      description: `${budget.requests} requests, ${budget.tokens} tokens; ${cache.added.length} answers paid for`,
      operations: files.map(({ path, content }) => ({ operation: 'addOrUpdate' as const, path, content: new Blob([content]) })),
    });
    summary.commit = result?.commit.oid ?? null;
    summary.files = files.map((f) => f.path);
    log(`committed ${files.map((f) => f.path).join(' and ')} (commit ${summary.commit})`);
  }
  log(`kept ${out.length} of ${items.length} labels (${LABELS.map((l) => `${l} ${summary.kept_per_label[l]}`).join(', ')}); ${budget.requests}/${budget.maxRequests} requests, ${budget.tokens}/${budget.maxTokens} tokens`);
  return summary;
}

function minConfidence(item: JudgedText, prompts: readonly PromptVersion[]): number | null {
  const reported = prompts.map((p) => item.answers[p]?.confidence).filter((c): c is number => typeof c === 'number');
  return reported.length > 0 ? Math.min(...reported) : null;
}
