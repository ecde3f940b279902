/**
 * How far explanations are from the model's own logit differences, over many texts: for each text,
 * |bias + listed contributions + rest - ln(p[label] / p[versus])| with the probabilities from the
 * graph itself (an independent computation: the explanation comes from the weights in JS).
 * Shared by the Node test (shared/explain.test.ts) and the workerd one (validation.workers.test.ts).
 */
import type { SentimentModel } from '../sentiment-model';

export async function worstExplanationError(model: SentimentModel, texts: readonly string[], batchSize = 100): Promise<{ worst: number; explained: number }> {
  let worst = 0;
  let explained = 0;
  for (let start = 0; start < texts.length; start += batchSize) {
    for (const prediction of await model.predict(texts.slice(start, start + batchSize), { explain: true })) {
      const explanation = prediction.explanation;
      if (!explanation) continue;
      const listed = [...explanation.toward, ...explanation.against].reduce((sum, item) => sum + item.contribution, 0);
      const fromGraph = Math.log(prediction.scores[explanation.label] / prediction.scores[explanation.versus]);
      worst = Math.max(worst, Math.abs(explanation.bias + listed + explanation.rest - fromGraph), Math.abs(explanation.logit_difference - fromGraph));
      explained++;
    }
  }
  return { worst, explained };
}
