/**
 * Exports a LinearTfidfModel as one self-contained ONNX graph (see shared/model-contract.ts).
 * Opsets: ai.onnx 13 and ai.onnx.ml 2 (for ArrayFeatureExtractor, which exists since ml version 1).
 *
 * Everything is per token: nothing grows with batch x vocabulary. With N = batch x tokens, ids are
 * read flat as [1, N]. Vocabulary lookup, by a perfect hash built at export time (perfect-hash.ts):
 *   bucket = token_id mod R                               [1,N]
 *   column = (token_id + displacement[bucket]) mod M      [1,N]  a slot of the tables below
 *   known  = keys[column] == token_id                     [1,N]  false for unknown ids and padding
 * TF-IDF, each block (words, character n-grams) L2-normalised on its own:
 *   x      = known ? tf : 0,   tf = 1 + ln(count) or count
 *   signed = x * signed_idf[column]      signed_idf = +idf for char n-grams, -idf for words
 *   char   = max(signed, 0),  word = signed - char       one of them is the token's value, the
 *                                                         other 0 (tf >= 1 and idf > 0)
 *   v      = char / ||char|| + word / ||word||           norms per row, at least 1e-12
 * Classifier, with the weights negated for words too, so that word tokens get -|x idf| * -w, and
 * taken relative to the last label (softmax ignores a constant added to every logit):
 *   logits[:, c] = sum over tokens of v * signed_weights[c][column] + bias[c]   c = 0, 1
 *   logits[:, 2] = 0                                      signed_weights[c] from w[c] - w[2], and so
 *   probabilities = Softmax(logits)       [batch, 3]      bias[c] = b[c] - b[2]
 *
 * Why this shape (onnxruntime-web 1.30, wasm, one thread; measured per op, batches of 100 tweets):
 *  - Tables are read with ArrayFeatureExtractor, a plain typed copy of ~2 ns per element. Gather
 *    costs 10-20 ns per index (a 64-bit division and a memcpy call each) and LabelEncoder ~18 ns
 *    per id (a hash map): those lookups were most of the previous graph's cost.
 *  - Hence one table per value, the weights as planes of one [2, M] table: no rows to copy.
 *  - The block is baked into signs at export time: no mask to look up or compute per token.
 *  - Relative logits: one weight plane fewer to look up, multiply and sum.
 *  - Elementwise ops get operands of one shape ([1,N] or [B,T]): ORT's broadcasting kernels are
 *    several times slower per element than same-shape ones.
 *  - Padding (-1, count 0) and unknown ids fail the key check, so their tf never reaches a sum:
 *    Where drops ln 0 = -inf (multiplying it by zero would give NaN), and empty slots hold zeros.
 *  - ArrayFeatureExtractor refuses an empty index list, so inputs need batch >= 1 and tokens >= 1
 *    (the featurizer pads an empty text to one padding token; SentimentModel skips empty batches).
 */
import onnxProto from 'onnx-proto';
import { isCharTokenId, type FeaturizerSpec } from '../../shared/featurizer/index';
import { LABELS, NUM_LABELS } from '../../shared/labels';
import { METADATA_KEYS, MODEL_INPUT_COUNTS, MODEL_INPUT_IDS, MODEL_OUTPUT, PAD_TOKEN_ID } from '../../shared/model-contract';
import type { LinearTfidfModel } from '../model/linear-model';
import { buildPerfectHash } from './perfect-hash';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const ML_DOMAIN = 'ai.onnx.ml';

/** Logits are relative to the last label's, whose weights and bias become 0 (see above). */
const LAST_LABEL = NUM_LABELS - 1;
const RELATIVE_LABELS = NUM_LABELS - 1;
/** Stored in empty slots: neither a token id (uint32) nor the padding id. */
const EMPTY_SLOT_KEY = PAD_TOKEN_ID - 1;

export interface ExportMetadata {
  modelVersion: string;
  createdAt: string;
}

export function exportOnnxModel(model: LinearTfidfModel, metadata: ExportMetadata): Uint8Array {
  // The sign carries the block, so it must not be the idf's own (smoothed idf is always >= 1).
  if (!model.idf.every((idf) => idf > 0)) throw new Error('cannot export a model with a non-positive idf');
  const hash = buildPerfectHash(model.vocabulary);
  const slots = hash.slots;
  const keys = new BigInt64Array(slots).fill(BigInt(EMPTY_SLOT_KEY));
  // The block rides on the sign: idf and weights are negated for word tokens (see the doc comment).
  const signedIdf = new Float32Array(slots);
  const signedWeights = new Float32Array(RELATIVE_LABELS * slots); // plane-major: [c * slots + slot]
  hash.keyAtSlot.forEach((column, slot) => {
    if (column < 0) return;
    const sign = isCharTokenId(model.vocabulary[column]) ? 1 : -1;
    const row = model.weights.subarray(column * NUM_LABELS, (column + 1) * NUM_LABELS);
    keys[slot] = BigInt(model.vocabulary[column]);
    signedIdf[slot] = sign * model.idf[column];
    for (let c = 0; c < RELATIVE_LABELS; c++) signedWeights[c * slots + slot] = sign * (row[c] - row[LAST_LABEL]);
  });
  const bias = Float32Array.from(model.bias, (b) => b - model.bias[LAST_LABEL]);

  const lookup = (table: string, index: string, output: string) =>
    node('ArrayFeatureExtractor', [table, index], [output], ML_DOMAIN); // [rows of table, N]
  const blockNorm = (block: string) => [
    node('Reshape', [`${block}_tfidf`, 'batch_tokens'], [`${block}_rows`]),
    node('ReduceSumSquare', [`${block}_rows`], [`${block}_sum_of_squares`], '', [intsAttribute('axes', [1]), intAttribute('keepdims', 1)]),
    node('Max', [`${block}_sum_of_squares`, 'tiny_squared'], [`${block}_safe_sum_of_squares`]),
    node('Sqrt', [`${block}_safe_sum_of_squares`], [`${block}_norm`]),
    node('Div', [`${block}_rows`, `${block}_norm`], [`${block}_normalized`]), // [B,T]
  ];

  const nodes = [
    node('Shape', [MODEL_INPUT_IDS], ['batch_tokens']),
    node('Reshape', [MODEL_INPUT_IDS, 'flat'], ['ids']),
    // Vocabulary lookup.
    node('Mod', ['ids', 'buckets'], ['bucket']),
    lookup('displacement', 'bucket', 'token_displacement'),
    node('Add', ['ids', 'token_displacement'], ['displaced']),
    node('Mod', ['displaced', 'slots'], ['column']),
    lookup('keys', 'column', 'slot_key'),
    node('Equal', ['slot_key', 'ids'], ['known']),
    // TF-IDF.
    ...(model.sublinearTf
      ? [node('Log', [MODEL_INPUT_COUNTS], ['log_count']), node('Add', ['log_count', 'one'], ['tf'])]
      : [node('Identity', [MODEL_INPUT_COUNTS], ['tf'])]),
    node('Reshape', ['tf', 'flat'], ['tf_flat']),
    node('Where', ['known', 'tf_flat', 'zero'], ['known_tf']),
    lookup('signed_idf', 'column', 'token_signed_idf'),
    node('Mul', ['known_tf', 'token_signed_idf'], ['signed_tfidf']),
    // Per-block L2 normalisation: a token's value is in char_tfidf or (negated) in word_tfidf.
    node('Relu', ['signed_tfidf'], ['char_tfidf']),
    node('Sub', ['signed_tfidf', 'char_tfidf'], ['word_tfidf']),
    ...blockNorm('char'),
    ...blockNorm('word'),
    node('Add', ['char_normalized', 'word_normalized'], ['normalized']),
    node('Reshape', ['normalized', 'flat'], ['normalized_flat']),
    // Classifier: one weight plane per label but the last, summed over each row's tokens.
    lookup('signed_weights', 'column', 'token_signed_weights'), // [2,N]
    node('Mul', ['token_signed_weights', 'normalized_flat'], ['weighted']),
    node('Concat', ['relative_labels_dim', 'batch_tokens'], ['labels_batch_tokens'], '', [intAttribute('axis', 0)]),
    node('Reshape', ['weighted', 'labels_batch_tokens'], ['weighted_rows']), // [2,B,T]
    node('ReduceSum', ['weighted_rows', 'axis_tokens'], ['label_sums'], '', [intAttribute('keepdims', 0)]), // [2,B]
    node('Pad', ['label_sums', 'last_label_row'], ['all_label_sums']), // [3,B], last row 0
    node('Transpose', ['all_label_sums'], ['logits_without_bias'], '', [intsAttribute('perm', [1, 0])]),
    node('Add', ['logits_without_bias', 'bias'], ['logits']),
    node('Softmax', ['logits'], [MODEL_OUTPUT], '', [intAttribute('axis', -1)]),
  ];

  const graph = onnx.GraphProto.create({
    name: 'tfidf_logistic_regression',
    node: nodes,
    initializer: [
      int64Tensor('displacement', [hash.buckets], BigInt64Array.from(hash.displacement, BigInt)),
      int64Tensor('keys', [slots], keys),
      floatTensor('signed_idf', [slots], signedIdf),
      floatTensor('signed_weights', [RELATIVE_LABELS, slots], signedWeights),
      floatTensor('bias', [NUM_LABELS], bias),
      int64Tensor('buckets', [], BigInt64Array.of(BigInt(hash.buckets))),
      int64Tensor('slots', [], BigInt64Array.of(BigInt(slots))),
      int64Tensor('flat', [2], BigInt64Array.of(1n, -1n)),
      int64Tensor('relative_labels_dim', [1], BigInt64Array.of(BigInt(RELATIVE_LABELS))),
      int64Tensor('last_label_row', [4], BigInt64Array.of(0n, 0n, 1n, 0n)), // Pad: 1 row after axis 0's end
      int64Tensor('axis_tokens', [1], BigInt64Array.of(2n)),
      floatTensor('one', [], Float32Array.of(1)),
      floatTensor('zero', [], Float32Array.of(0)),
      floatTensor('tiny_squared', [], Float32Array.of(1e-24)), // norm >= 1e-12; 0/1e-12 = 0 for an empty block
    ],
    input: [
      valueInfo(MODEL_INPUT_IDS, INT64, ['batch', 'tokens']),
      valueInfo(MODEL_INPUT_COUNTS, FLOAT, ['batch', 'tokens']),
    ],
    output: [valueInfo(MODEL_OUTPUT, FLOAT, ['batch', NUM_LABELS])],
  });

  const modelProto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'edge-sentiment-trainer',
    modelVersion: 1,
    opsetImport: [
      { domain: '', version: 13 },
      { domain: ML_DOMAIN, version: 2 },
    ],
    graph,
    metadataProps: modelMetadata(model.featurizer, metadata),
  });
  return onnx.ModelProto.encode(modelProto).finish();
}

function modelMetadata(featurizer: FeaturizerSpec, metadata: ExportMetadata) {
  return [
    { key: METADATA_KEYS.modelVersion, value: metadata.modelVersion },
    { key: METADATA_KEYS.featurizer, value: JSON.stringify(featurizer) },
    { key: METADATA_KEYS.labels, value: JSON.stringify(LABELS) },
    { key: METADATA_KEYS.createdAt, value: metadata.createdAt },
  ];
}

function node(
  opType: string,
  input: string[],
  output: string[],
  domain = '',
  attribute: InstanceType<typeof onnx.AttributeProto>[] = [],
) {
  return onnx.NodeProto.create({ opType, input, output, domain, attribute, name: output[0] });
}

function intAttribute(name: string, value: number) {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
}

function intsAttribute(name: string, values: number[]) {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
}

function floatTensor(name: string, dims: number[], values: Float32Array) {
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: littleEndianBytes(values) });
}

function int64Tensor(name: string, dims: number[], values: BigInt64Array) {
  return onnx.TensorProto.create({ name, dims, dataType: INT64, rawData: littleEndianBytes(values) });
}

/** ONNX raw_data is little-endian, as are the typed arrays on every platform we run on. */
function littleEndianBytes(values: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function valueInfo(name: string, elemType: number, shape: (string | number)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}
