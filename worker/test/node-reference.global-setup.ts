/**
 * Vitest global setup for the workers project. It runs on Node, so it scores PARITY_TEXTS with the
 * shipped model on onnxruntime-web's Node build and hands the numbers to the tests inside workerd.
 */
import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { SentimentModel } from '../../shared/sentiment-model';
import { ortNode } from '../../shared/ort/node';
import { parseLabelledCsv } from '../../trainer/data/csv';
import { weightRanges } from '../../trainer/export/negate-weights';
import { PARITY_TEXTS } from './fixtures/texts';
import { VALIDATION_BATCH } from './fixtures/validation-batch';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Row-major [PARITY_TEXTS.length, 3] probabilities of worker/model/model.onnx on Node. */
    nodeProbabilities: number[];
    /** The 2,000 TweetEval validation texts, parsed on Node. */
    validationTexts: string[];
    /** Row-major [validationTexts.length, 3] probabilities on Node, in batches of VALIDATION_BATCH. */
    validationProbabilities: number[];
    /** [offset, length] of worker/model/model.onnx's weights and bias: negated, they make an inverted model. */
    weightRanges: Array<[number, number]>;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const bytes = new Uint8Array(readFileSync(new URL('../model/model.onnx', import.meta.url)));
  project.provide('weightRanges', weightRanges(bytes));
  const model = await SentimentModel.load(ortNode, bytes);
  // One text per run, exactly as POST /v1/sentiment does (batch padding may change the last bit).
  const rows: number[] = [];
  for (const text of PARITY_TEXTS) rows.push(...(await model.probabilities([text])));
  project.provide('nodeProbabilities', rows);

  const validationTexts = parseLabelledCsv(readFileSync('datasets/tweeteval/val.csv', 'utf8')).map((row) => row.text);
  const validationProbabilities: number[] = [];
  for (let start = 0; start < validationTexts.length; start += VALIDATION_BATCH) {
    validationProbabilities.push(...(await model.probabilities(validationTexts.slice(start, start + VALIDATION_BATCH))));
  }
  project.provide('validationTexts', validationTexts);
  project.provide('validationProbabilities', validationProbabilities);
  await model.release();
}
