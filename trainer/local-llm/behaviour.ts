/**
 * What the stand-in answers, decided from a script: ground truth (text → label) and how often,
 * and how, it errs. Every decision is a hash of (seed, text, prompt), not a coin flip, so a rerun
 * asks the same question and gets the same answer, as from a real model at temperature 0.
 *
 * Error models (the share of wrong answers per text and prompt is `wrongRate` in all three):
 *  - independent: each (text, prompt wording) is wrong on its own; two wordings rarely make the
 *    same mistake, so requiring agreement filters most errors out.
 *  - correlated: a text is hard or not; a hard text gets the same wrong label from every wording,
 *    so agreement filters nothing.
 *  - mixed (the realistic middle): a share `sharedErrorShare` of the errors comes from hard texts
 *    (same wrong label for every wording), the rest is independent per wording.
 * A wrong label is one of the two other labels, picked by hash, unless `confusions` names the
 * mistake to make for that text (e.g. the production model's own wrong label: an LLM that errs
 * where the small model errs, so the two never disagree about it).
 */
import { createHash } from 'node:crypto';
import { LABELS, type Label } from '../../shared/labels';
import { textKey } from '../data/clean';

export type ErrorModel = 'independent' | 'correlated' | 'mixed';
/** none: no confidence in answers; flat: always 0.9; informative: right answers tend to be more confident (overlapping ranges). */
export type ConfidenceMode = 'none' | 'flat' | 'informative';

export interface Script {
  /** Normalised text (trimmed, whitespace collapsed) → the right label. Unknown texts count as neutral. */
  truth: Map<string, Label>;
  /** Normalised text → the wrong label to give when erring on it (default: one of the others, by hash). */
  confusions?: Map<string, Label>;
  wrongRate: number;
  errorModel: ErrorModel;
  /** For `mixed`: the share of errors that are shared by all prompt wordings. */
  sharedErrorShare: number;
  seed: string;
  confidence: ConfidenceMode;
  /** Milliseconds before answering. */
  delayMs: number;
  /** Every n-th request answers 429 with Retry-After (0 = never). */
  rateLimitEvery: number;
  retryAfterSeconds: number;
  /** Every n-th request answers 503 (0 = never). */
  serverErrorEvery: number;
  /** Share of answers whose content is broken (not JSON, wrong shape, bad label, a missing id). */
  brokenJsonRate: number;
  /** If set, requests need `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

export const DEFAULT_SCRIPT: Omit<Script, 'truth'> = {
  wrongRate: 0,
  errorModel: 'independent',
  sharedErrorShare: 0.5,
  seed: 'local-llm',
  confidence: 'none',
  delayMs: 0,
  rateLimitEvery: 0,
  retryAfterSeconds: 1,
  serverErrorEvery: 0,
  brokenJsonRate: 0,
};

/** A uniform number in [0, 1) from the parts. */
export function unit(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0) / 2 ** 32;
}

function otherLabel(label: Label, u: number, confusion?: Label): Label {
  if (confusion && confusion !== label) return confusion;
  const others = LABELS.filter((l) => l !== label);
  return others[Math.floor(u * others.length)];
}

export interface ScriptedAnswer {
  label: Label;
  confidence: number | null;
  wrong: boolean;
}

/** The answer to one text under one prompt wording (identified by a hash of its system message). */
export function answerFor(script: Script, text: string, promptId: string): ScriptedAnswer {
  const key = textKey(text);
  const truth = script.truth.get(key) ?? 'neutral';
  const confusion = script.confusions?.get(key);
  const { wrongRate: r, seed } = script;
  let wrong: Label | null = null;
  if (script.errorModel === 'independent') {
    if (unit(seed, key, promptId) < r) wrong = otherLabel(truth, unit(seed, key, promptId, 'label'), confusion);
  } else if (script.errorModel === 'correlated') {
    if (unit(seed, key) < r) wrong = otherLabel(truth, unit(seed, key, 'label'), confusion);
  } else {
    const shared = r * script.sharedErrorShare;
    if (unit(seed, key) < shared) wrong = otherLabel(truth, unit(seed, key, 'label'), confusion);
    else if (unit(seed, key, promptId) < (r - shared) / (1 - shared)) wrong = otherLabel(truth, unit(seed, key, promptId, 'label'), confusion);
  }
  const u = unit(seed, key, promptId, 'confidence');
  const confidence = script.confidence === 'none' ? null : script.confidence === 'flat' ? 0.9 : wrong ? 0.5 + 0.4 * u : 0.7 + 0.3 * u;
  return { label: wrong ?? truth, confidence: confidence === null ? null : Math.round(confidence * 100) / 100, wrong: wrong !== null };
}

const BROKEN_KINDS = ['prose', 'truncated', 'bad_label', 'missing_id', 'array'] as const;

/** Corrupts a well-formed answer the ways real models do; which way depends on `u`. */
export function breakAnswer(answer: { labels: Array<{ id: number; label: string; confidence?: number }> }, u: number): string {
  const kind = BROKEN_KINDS[Math.floor(u * BROKEN_KINDS.length)];
  const json = JSON.stringify(answer);
  switch (kind) {
    case 'prose':
      return `Sure! Here are the labels you asked for:\n${json}\nLet me know if you need anything else.`;
    case 'truncated':
      return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
    case 'bad_label':
      return JSON.stringify({ labels: answer.labels.map((a, i) => (i === 0 ? { ...a, label: 'Positive!' } : a)) });
    case 'missing_id':
      return JSON.stringify({ labels: answer.labels.slice(1) });
    case 'array':
      return JSON.stringify(answer.labels);
  }
}
