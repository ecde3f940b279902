/** A scored text as the API answers it: probabilities rounded (unless full precision is asked for), language support, explanation. */
import type { Explanation } from '../../shared/explain';
import type { Label } from '../../shared/labels';
import type { Scores, ScoredText } from '../../shared/sentiment-model';
import type { TextSupport } from '../support/text-support';

export interface SentimentResult extends TextSupport {
  label: Label;
  confidence: number;
  scores: Scores;
  explanation?: Explanation | null;
}

/** `decimals` null keeps full precision. */
export function toResult(prediction: ScoredText, support: TextSupport, decimals: number | null): SentimentResult {
  const round = decimals === null ? (x: number) => x : rounder(decimals);
  const { scores } = prediction;
  const result: SentimentResult = {
    label: prediction.label,
    confidence: round(prediction.confidence),
    scores: { negative: round(scores.negative), neutral: round(scores.neutral), positive: round(scores.positive) },
    language: support.language,
    supported: support.supported,
  };
  const { explanation } = prediction;
  if (explanation !== undefined) {
    const contributions = (list: Explanation['toward']) => list.map((item) => ({ ...item, contribution: round(item.contribution) }));
    result.explanation = explanation && {
      ...explanation,
      logit_difference: round(explanation.logit_difference),
      bias: round(explanation.bias),
      toward: contributions(explanation.toward),
      against: contributions(explanation.against),
      rest: round(explanation.rest),
    };
  }
  return result;
}

function rounder(decimals: number): (x: number) => number {
  const scale = 10 ** decimals;
  return (x) => Math.round(x * scale) / scale;
}
