/**
 * Training: featurize -> vocabulary -> TF-IDF rows -> logistic regression. Pure apart from the
 * progress callback; the CLI (trainer/commands/train.ts) does the I/O.
 */
import { Featurizer, type FeaturizerSpec, type TextTokens } from '../../shared/featurizer/index';
import { labelIndex, NUM_LABELS, type Label } from '../../shared/labels';
import { fitLogisticRegression } from '../solver/logistic-regression';
import { columnIndex, predictTokens, type LinearTfidfModel } from './linear-model';
import { fitVocabulary, vectorize } from './vectorizer';
import type { TrainingConfig } from './training-config';

export interface TrainingExample {
  text: string;
  label: Label;
  /** Scales the example's share of the loss (default 1): self-labelled rows count less than human labels. */
  weight?: number;
  /**
   * With "balanced" class weights, examples that name a group are balanced within their group
   * (e.g. the base dataset, each feedback source), examples without one together.
   */
  balanceGroup?: string;
}

/** Group ids for the solver, or undefined when no example names a group (one pooled balance). */
function balanceGroups(examples: readonly TrainingExample[]): Int32Array | undefined {
  if (!examples.some((example) => example.balanceGroup !== undefined)) return undefined;
  const ids = new Map<string, number>();
  return Int32Array.from(examples, ({ balanceGroup = '' }) => ids.get(balanceGroup) ?? ids.set(balanceGroup, ids.size).get(balanceGroup)!);
}

export interface TrainingStats {
  examples: number;
  vocabularySize: number;
  nonZeros: number;
  iterations: number;
  evaluations: number;
  loss: number;
  converged: boolean;
  stopReason: string;
  vectorizeSeconds: number;
  solveSeconds: number;
}

export type ProgressReporter = (message: string) => void;

export function featurizeAll(texts: readonly string[], spec: FeaturizerSpec): TextTokens[] {
  const featurizer = new Featurizer(spec);
  return texts.map((text) => featurizer.tokens(text));
}

/** The in-memory model's probabilities for many texts, row-major [texts, NUM_LABELS] (as the ONNX graph lays them out). */
export function predictTexts(model: LinearTfidfModel, texts: readonly string[]): Float32Array {
  const columns = columnIndex(model);
  const probabilities = new Float32Array(texts.length * NUM_LABELS);
  featurizeAll(texts, model.featurizer).forEach(({ ids, counts }, row) => probabilities.set(predictTokens(model, columns, ids, counts), row * NUM_LABELS));
  return probabilities;
}

export function trainModel(
  examples: readonly TrainingExample[],
  config: TrainingConfig,
  report: ProgressReporter = () => {},
): { model: LinearTfidfModel; stats: TrainingStats } {
  if (examples.length === 0) throw new Error('no training examples');
  const vectorizeStart = performance.now();
  report(`vectorising ${examples.length} texts (featurizer v${config.featurizer.version}, ${JSON.stringify(config.featurizer.options)})`);
  const documents = featurizeAll(
    examples.map((example) => example.text),
    config.featurizer,
  );
  const vocabulary = fitVocabulary(documents, config.vectorizer);
  const matrix = vectorize(documents, vocabulary, config.vectorizer.sublinearTf);
  const vectorizeSeconds = (performance.now() - vectorizeStart) / 1000;
  report(`vocabulary ${vocabulary.ids.length} features, ${matrix.values.length} non-zeros, ${vectorizeSeconds.toFixed(1)} s`);

  const solveStart = performance.now();
  const labels = Int32Array.from(examples, (example) => labelIndex(example.label));
  const fit = fitLogisticRegression(matrix, labels, {
    C: config.classifier.C,
    classWeight: config.classifier.classWeight,
    rowWeights: examples.some((example) => example.weight !== undefined) ? Float64Array.from(examples, (example) => example.weight ?? 1) : undefined,
    balanceGroups: balanceGroups(examples),
    maxIterations: config.classifier.maxIterations,
    gradientTolerance: config.classifier.tolerance,
    onIteration: ({ iteration, value, gradientNorm }) => {
      if (iteration % 10 === 0 || iteration === 1) {
        report(`iteration ${iteration}: loss ${value.toFixed(6)}, max |gradient| ${gradientNorm.toExponential(2)}`);
      }
    },
  });
  const solveSeconds = (performance.now() - solveStart) / 1000;
  report(`solver stopped after ${fit.iterations} iterations, ${fit.evaluations} evaluations (${fit.reason}), loss ${fit.loss.toFixed(6)}, ${solveSeconds.toFixed(1)} s`);

  return {
    model: {
      featurizer: config.featurizer,
      vocabulary: vocabulary.ids,
      idf: vocabulary.idf,
      sublinearTf: config.vectorizer.sublinearTf,
      weights: fit.weights,
      bias: fit.bias,
    },
    stats: {
      examples: examples.length,
      vocabularySize: vocabulary.ids.length,
      nonZeros: matrix.values.length,
      iterations: fit.iterations,
      evaluations: fit.evaluations,
      loss: fit.loss,
      converged: fit.converged,
      stopReason: fit.reason,
      vectorizeSeconds,
      solveSeconds,
    },
  };
}
