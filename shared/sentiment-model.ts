/**
 * A loaded sentiment model: checks the ONNX file against the contract, featurizes texts and runs
 * them through onnxruntime in one batch. The onnxruntime module is passed in, so the same code
 * serves on workerd, on Node and in the trainer's evaluator.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { coalesce, type NextTurn } from './coalesce';
import { explain, knownShares, type Explanation, type KnownShares, type RowTokens } from './explain';
import { Featurizer, parseFeaturizerSpec, type FeaturizerSpec, type TokenBatch } from './featurizer/index';
import { LABELS, NUM_LABELS, type Label } from './labels';
import { METADATA_KEYS, MODEL_INPUT_COUNTS, MODEL_INPUT_IDS, MODEL_OUTPUT } from './model-contract';
import { LinearWeights } from './model-weights';
import { readOnnxMetadata } from './onnx-metadata';
import { takeTurns, type TakeTurn } from './take-turns';

/** The two members of an onnxruntime-web module this needs (its node, wasm or bundle build). */
export interface OrtRuntime {
  InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: 'int64' | 'float32', data: BigInt64Array | Float32Array, dims: readonly number[]) => Tensor;
  /**
   * Given by a runtime whose concurrent requests may share one ORT run: single texts asked for in
   * one event-loop turn are then scored together (shared/coalesce.ts). workerd gives none: it
   * refuses to settle one request's promise from another's context.
   */
  nextTurn?: NextTurn;
}

export type Scores = Record<Label, number>;

export interface Prediction {
  label: Label;
  confidence: number;
  scores: Scores;
}

/** A prediction with what the model can say about it beyond its probabilities. */
export interface ScoredText extends Prediction {
  /** How much of the text the model knows; null for a graph without readable weights. */
  known: KnownShares | null;
  /** Only when asked for; null for a graph without readable weights. */
  explanation?: Explanation | null;
}

export interface PredictOptions {
  explain?: boolean;
}

/** One queue per ORT binding: a process runs its models on one thread, whichever model (a swap briefly has two). */
const queues = new WeakMap<OrtRuntime, TakeTurn>();
function queueFor(ort: OrtRuntime): TakeTurn {
  let queue = queues.get(ort);
  if (!queue) queues.set(ort, (queue = takeTurns(ort.nextTurn)));
  return queue;
}

export class ModelContractError extends Error {
  override name = 'ModelContractError';
}

export class SentimentModel {
  private readonly featurizer: Featurizer;
  /** One text, batched with the other single texts asked for in the same event-loop turn. */
  private readonly coalesced: (text: string) => Promise<ScoredText>;
  /** Featurizing and running a batch waits for the runs asked for before it (shared/take-turns.ts). */
  private readonly takeTurn: TakeTurn;
  /** Predictions started and not yet finished (a coalesced one counts from the call): releaseWhenIdle waits for them. */
  private inFlight = 0;
  private onIdle: (() => void) | null = null;

  private constructor(
    private readonly ort: OrtRuntime,
    private readonly session: InferenceSession,
    readonly version: string,
    readonly featurizerSpec: FeaturizerSpec,
    readonly metadata: Record<string, string>,
    private readonly weights: LinearWeights | null,
  ) {
    this.featurizer = new Featurizer(featurizerSpec);
    this.takeTurn = queueFor(ort);
    this.coalesced = coalesce((texts: readonly string[]) => this.predict(texts), ort.nextTurn);
  }

  /**
   * Validates the model's metadata before paying for a session; throws ModelContractError.
   * `contract`: the file's readModelContract(), when the caller has already read it.
   */
  static async load(ort: OrtRuntime, bytes: Uint8Array, contract: ModelContract = readModelContract(bytes)): Promise<SentimentModel> {
    const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
    return new SentimentModel(ort, session, contract.version, contract.featurizerSpec, contract.metadata, LinearWeights.read(bytes));
  }

  /** Row-major [texts.length, 3] probabilities, columns in LABELS order. */
  async probabilities(texts: readonly string[]): Promise<Float32Array> {
    if (texts.length === 0) return new Float32Array(0);
    return this.run(this.featurizer.batch(texts));
  }

  private async run(batch: TokenBatch): Promise<Float32Array> {
    const dims = [batch.batch, batch.width];
    const outputs = await this.session.run({
      [MODEL_INPUT_IDS]: new this.ort.Tensor('int64', batch.ids, dims),
      [MODEL_INPUT_COUNTS]: new this.ort.Tensor('float32', batch.counts, dims),
    });
    return outputs[MODEL_OUTPUT].data as Float32Array;
  }

  async predict(texts: readonly string[], options: PredictOptions = {}): Promise<ScoredText[]> {
    if (texts.length === 0) return [];
    this.inFlight++;
    try {
      return await this.takeTurn(async () => {
        const batch = this.featurizer.batch(texts);
        const probabilities = await this.run(batch);
        return texts.map((text, row) => this.scored(text, batch, row, probabilities.subarray(row * NUM_LABELS, (row + 1) * NUM_LABELS), options));
      });
    } finally {
      this.finished();
    }
  }

  private scored(text: string, batch: TokenBatch, row: number, probabilities: Float32Array, options: PredictOptions): ScoredText {
    const prediction: ScoredText = { ...toPrediction(probabilities), known: null };
    const weights = this.weights;
    if (weights) {
      const tokens = rowTokens(batch, row);
      prediction.known = knownShares(weights, tokens);
      if (options.explain) {
        const [label, versus] = topTwo(probabilities);
        prediction.explanation = explain(weights, this.featurizerSpec, text, tokens, label, versus);
      }
    } else if (options.explain) prediction.explanation = null;
    return prediction;
  }

  async predictOne(text: string): Promise<ScoredText> {
    this.inFlight++;
    try {
      return await this.coalesced(text);
    } finally {
      this.finished();
    }
  }

  private finished(): void {
    if (--this.inFlight === 0 && this.onIdle) this.onIdle();
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  /** Releases the session once the predictions already started have finished (a replaced model). */
  async releaseWhenIdle(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.onIdle = resolve));
    this.onIdle = null;
    await this.release();
  }
}

/** What a model file's metadata says, read and checked once (readModelContract). */
export interface ModelContract {
  version: string;
  featurizerSpec: FeaturizerSpec;
  /** All of the metadata. */
  metadata: Record<string, string>;
}

/** Checks the metadata the contract requires; returns all of it. */
export function readModelMetadata(bytes: Uint8Array): Record<string, string> {
  return readModelContract(bytes).metadata;
}

/**
 * Reads the model's metadata and checks what the contract requires: a version, the labels, and a
 * featurizer this code implements. Throws ModelContractError. Needs no session.
 */
export function readModelContract(bytes: Uint8Array): ModelContract {
  let metadata: Record<string, string>;
  try {
    metadata = readOnnxMetadata(bytes);
  } catch (error) {
    throw new ModelContractError(`model file is not a valid ONNX model: ${(error as Error).message}`);
  }
  const version = metadata[METADATA_KEYS.modelVersion];
  if (!version) throw new ModelContractError('model has no model_version in its metadata');
  if (metadata[METADATA_KEYS.labels] !== JSON.stringify(LABELS)) {
    throw new ModelContractError(`model labels ${metadata[METADATA_KEYS.labels]} differ from ${JSON.stringify(LABELS)}`);
  }
  let featurizerSpec: FeaturizerSpec;
  try {
    featurizerSpec = parseFeaturizerSpec(JSON.parse(metadata[METADATA_KEYS.featurizer] ?? 'null'));
  } catch (error) {
    throw new ModelContractError((error as Error).message);
  }
  return { version, featurizerSpec, metadata };
}

/** One row of a batch: its ids (the low halves of the int64s) up to the padding. */
function rowTokens(batch: TokenBatch, row: number): RowTokens {
  const halves = new Int32Array(batch.ids.buffer, batch.ids.byteOffset, batch.ids.length * 2);
  const cell = row * batch.width;
  let length = 0;
  while (length < batch.width && batch.counts[cell + length] > 0) length++;
  const ids = new Uint32Array(length);
  for (let j = 0; j < length; j++) ids[j] = halves[2 * (cell + j)];
  return { ids, counts: batch.counts.subarray(cell, cell + length), length };
}

/** The indexes of the largest and second-largest probabilities. */
function topTwo(probabilities: ArrayLike<number>): [number, number] {
  let best = 0;
  for (let c = 1; c < NUM_LABELS; c++) if (probabilities[c] > probabilities[best]) best = c;
  let second = best === 0 ? 1 : 0;
  for (let c = 0; c < NUM_LABELS; c++) if (c !== best && probabilities[c] > probabilities[second]) second = c;
  return [best, second];
}

export function toPrediction(probabilities: ArrayLike<number>): Prediction {
  let best = 0;
  for (let c = 1; c < NUM_LABELS; c++) if (probabilities[c] > probabilities[best]) best = c;
  return {
    label: LABELS[best],
    confidence: probabilities[best],
    scores: { negative: probabilities[0], neutral: probabilities[1], positive: probabilities[2] },
  };
}
