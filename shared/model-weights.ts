/**
 * The linear model inside an exported ONNX graph (trainer/export/onnx-model.ts), read once from
 * the model's bytes: its vocabulary lookup, IDF and relative class weights. The runtime uses them
 * for what the graph's one output cannot say: which of a text's n-grams the model knows, and how
 * much each one pushed the prediction (explanations). No id -> n-gram table is needed: names come
 * from the text's own n-grams (featurizer/token-names.ts).
 *
 * A copy of the four tables costs 16 bytes per vocabulary slot (5.6 MB for the shipped model),
 * read in a few milliseconds at load; the alternative, a second graph output with per-token
 * contributions, would need every published model re-exported.
 */
import { NUM_LABELS } from './labels';
import { protobufFields, type ProtobufField } from './onnx-metadata';

const MODEL_GRAPH = 7; // ModelProto.graph
const GRAPH_NODE = 1; // GraphProto.node
const GRAPH_INITIALIZER = 5; // GraphProto.initializer
const NODE_OP_TYPE = 4; // NodeProto.op_type
const TENSOR_DATA_TYPE = 2;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const FLOAT = 1;
const INT64 = 7;

/** The initializers the exporter writes (see its doc comment for what each holds). */
const TABLES = ['displacement', 'keys', 'signed_idf', 'signed_weights', 'bias', 'buckets', 'slots'] as const;

/** Logits are relative to the last label's (its weights and bias are 0 in the graph). */
const RELATIVE_LABELS = NUM_LABELS - 1;

export class LinearWeights {
  private constructor(
    private readonly buckets: number,
    private readonly slots: number,
    private readonly displacement: Float64Array,
    /** Low 32 bits of each slot's key; empty slots have idf 0. */
    private readonly keys: Uint32Array,
    /** +idf for character n-grams, -idf for words (the graph keeps the block in the sign). */
    readonly signedIdf: Float32Array,
    /** [RELATIVE_LABELS, slots], plane-major, signed like the idf; the last label's are 0. */
    readonly signedWeights: Float32Array,
    /** Per label, relative to the last label's. */
    readonly bias: Float64Array,
    readonly sublinearTf: boolean,
  ) {}

  /** null when the graph is not the exporter's linear TF-IDF model (no tables to read). */
  static read(model: Uint8Array): LinearWeights | null {
    const graph = firstField(protobufFields(model), MODEL_GRAPH);
    if (!graph) return null;
    const tensors = new Map<string, { type: number; raw: Uint8Array }>();
    let sublinearTf = false;
    const decoder = new TextDecoder();
    for (const field of protobufFields(graph)) {
      if (field.number === GRAPH_NODE && field.bytes) {
        const op = firstField(protobufFields(field.bytes), NODE_OP_TYPE);
        if (op && decoder.decode(op) === 'Log') sublinearTf = true; // tf = 1 + ln(count)
      }
      if (field.number !== GRAPH_INITIALIZER || !field.bytes) continue;
      let name = '';
      let type = 0;
      let raw: Uint8Array | undefined;
      for (const f of protobufFields(field.bytes)) {
        if (f.number === TENSOR_NAME && f.bytes) name = decoder.decode(f.bytes);
        else if (f.number === TENSOR_DATA_TYPE) type = f.value ?? 0;
        else if (f.number === TENSOR_RAW_DATA) raw = f.bytes;
      }
      if ((TABLES as readonly string[]).includes(name) && raw) tensors.set(name, { type, raw });
    }
    if (!TABLES.every((name) => tensors.has(name))) return null;
    // Read straight into the tables: raw_data may sit at any offset of the model's bytes.
    const view = (name: string, type: number, width: number) => {
      const { type: actual, raw } = tensors.get(name)!;
      if (actual !== type) throw new Error(`model tensor ${name} is not ${type === INT64 ? 'int64' : 'float32'}`);
      return { data: new DataView(raw.buffer, raw.byteOffset, raw.byteLength), length: raw.byteLength / width };
    };
    const int64s = (name: string) => {
      const { data, length } = view(name, INT64, 8);
      const values = new Float64Array(length);
      for (let i = 0; i < length; i++) values[i] = data.getInt32(8 * i + 4, true) * 2 ** 32 + data.getUint32(8 * i, true);
      return values;
    };
    const floats = (name: string) => {
      const { data, length } = view(name, FLOAT, 4);
      const values = new Float32Array(length);
      for (let i = 0; i < length; i++) values[i] = data.getFloat32(4 * i, true);
      return values;
    };
    const [buckets] = int64s('buckets');
    const [slots] = int64s('slots');
    const keyData = view('keys', INT64, 8);
    const keys = new Uint32Array(keyData.length); // the low halves: ids are uint32, empty slots are told by their idf
    for (let i = 0; i < keys.length; i++) keys[i] = keyData.data.getUint32(8 * i, true);
    const signedWeights = floats('signed_weights');
    const signedIdf = floats('signed_idf');
    const bias = Float64Array.from(floats('bias'));
    if (keys.length !== slots || signedIdf.length !== slots || signedWeights.length !== RELATIVE_LABELS * slots || bias.length !== NUM_LABELS) {
      throw new Error('model tables do not have the shapes the exporter writes');
    }
    return new LinearWeights(buckets, slots, int64s('displacement'), keys, signedIdf, signedWeights, bias, sublinearTf);
  }

  /** The slot of a token id in the tables, or -1 when the model does not know it. */
  slot(id: number): number {
    // Ids above 2^31 are doubles to V8, whose % is a slow fmod: divide and floor instead (exact below 2^53).
    const bucket = id - Math.floor(id / this.buckets) * this.buckets;
    const displaced = id + this.displacement[bucket];
    const slot = displaced - Math.floor(displaced / this.slots) * this.slots;
    return this.keys[slot] === id && this.signedIdf[slot] !== 0 ? slot : -1;
  }

  /** A token's weight for `label` relative to the last label, signed like its idf. */
  signedWeight(label: number, slot: number): number {
    return label === RELATIVE_LABELS ? 0 : this.signedWeights[label * this.slots + slot];
  }

  tf(count: number): number {
    return this.sublinearTf ? 1 + Math.log(count) : count;
  }
}

function firstField(fields: Iterable<ProtobufField>, number: number): Uint8Array | undefined {
  for (const field of fields) if (field.number === number && field.bytes) return field.bytes;
  return undefined;
}
