/**
 * Exports a LinearTfidfModel as one self-contained ONNX graph (see shared/model-contract.ts).
 *
 * Sparse formulation, so nothing grows with batch x vocabulary:
 *   column = LabelEncoder(token_ids)               [B,T]   unknown ids and padding -> row V (all zeros)
 *   tf     = 1 + ln(max(count, 1))  or  count      [B,T]
 *   x      = tf * Gather(idf, column)              [B,T]
 *   m      = Gather(char_block, column)            [B,T]   1 for character n-grams, 0 for words
 *   x     /= max(||x||_2 over T of x's own block, tiny)    each block L2-normalised on its own
 *   logits = x[B,1,T] @ Gather(weights, column)[B,T,3] + bias
 *   probabilities = Softmax(logits)                [B,3]
 */
import onnxProto from 'onnx-proto';
import { isCharTokenId, type FeaturizerSpec } from '../../shared/featurizer/index';
import { LABELS, NUM_LABELS } from '../../shared/labels';
import { METADATA_KEYS, MODEL_INPUT_COUNTS, MODEL_INPUT_IDS, MODEL_OUTPUT } from '../../shared/model-contract';
import type { LinearTfidfModel } from '../model/linear-model';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const ML_DOMAIN = 'ai.onnx.ml';

export interface ExportMetadata {
  modelVersion: string;
  createdAt: string;
}

export function exportOnnxModel(model: LinearTfidfModel, metadata: ExportMetadata): Uint8Array {
  const vocabularySize = model.vocabulary.length;
  // Row V is the "not in vocabulary" row: zero IDF and zero weights, so padding contributes nothing.
  const idf = new Float32Array(vocabularySize + 1);
  idf.set(model.idf);
  const weights = new Float32Array((vocabularySize + 1) * NUM_LABELS);
  weights.set(model.weights);
  const charBlock = new Float32Array(vocabularySize + 1);
  model.vocabulary.forEach((id, column) => (charBlock[column] = isCharTokenId(id) ? 1 : 0));

  const nodes = [
    node('LabelEncoder', [MODEL_INPUT_IDS], ['column'], ML_DOMAIN, [
      intsAttribute('keys_int64s', Array.from(model.vocabulary)),
      intsAttribute('values_int64s', Array.from({ length: vocabularySize }, (_, i) => i)),
      intAttribute('default_int64', vocabularySize),
    ]),
    node('Gather', ['idf', 'column'], ['token_idf']),
    ...(model.sublinearTf
      ? [
          node('Max', [MODEL_INPUT_COUNTS, 'one'], ['count_at_least_one']),
          node('Log', ['count_at_least_one'], ['log_count']),
          node('Add', ['log_count', 'one'], ['tf']),
        ]
      : [node('Identity', [MODEL_INPUT_COUNTS], ['tf'])]),
    node('Mul', ['tf', 'token_idf'], ['tfidf']),
    node('Gather', ['char_block', 'column'], ['is_char']),
    node('Sub', ['one', 'is_char'], ['is_word']),
    node('Mul', ['tfidf', 'tfidf'], ['tfidf_squared']),
    node('Mul', ['tfidf_squared', 'is_char'], ['char_squared']),
    node('Mul', ['tfidf_squared', 'is_word'], ['word_squared']),
    node('ReduceSum', ['char_squared', 'axis_tokens'], ['char_sum_of_squares'], '', [intAttribute('keepdims', 1)]),
    node('ReduceSum', ['word_squared', 'axis_tokens'], ['word_sum_of_squares'], '', [intAttribute('keepdims', 1)]),
    node('Sqrt', ['char_sum_of_squares'], ['char_norm']),
    node('Sqrt', ['word_sum_of_squares'], ['word_norm']),
    node('Mul', ['is_char', 'char_norm'], ['token_char_norm']),
    node('Mul', ['is_word', 'word_norm'], ['token_word_norm']),
    node('Add', ['token_char_norm', 'token_word_norm'], ['norm']),
    node('Max', ['norm', 'tiny'], ['safe_norm']),
    node('Div', ['tfidf', 'safe_norm'], ['normalized']),
    node('Unsqueeze', ['normalized', 'axis_tokens'], ['normalized_row']),
    node('Gather', ['weights', 'column'], ['token_weights']),
    node('MatMul', ['normalized_row', 'token_weights'], ['logits_row']),
    node('Squeeze', ['logits_row', 'axis_tokens'], ['logits_without_bias']),
    node('Add', ['logits_without_bias', 'bias'], ['logits']),
    node('Softmax', ['logits'], [MODEL_OUTPUT], '', [intAttribute('axis', -1)]),
  ];

  const graph = onnx.GraphProto.create({
    name: 'tfidf_logistic_regression',
    node: nodes,
    initializer: [
      floatTensor('idf', [vocabularySize + 1], idf),
      floatTensor('weights', [vocabularySize + 1, NUM_LABELS], weights),
      floatTensor('char_block', [vocabularySize + 1], charBlock),
      floatTensor('bias', [NUM_LABELS], Float32Array.from(model.bias)),
      floatTensor('one', [], Float32Array.of(1)),
      floatTensor('tiny', [], Float32Array.of(1e-12)),
      int64Tensor('axis_tokens', [1], [1]),
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

function int64Tensor(name: string, dims: number[], values: number[]) {
  return onnx.TensorProto.create({ name, dims, dataType: INT64, rawData: littleEndianBytes(BigInt64Array.from(values, BigInt)) });
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
