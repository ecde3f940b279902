/**
 * The contract between the trainer's ONNX export and every runtime that serves the model.
 *
 * The graph is self-contained: the vocabulary (as hashed token ids), IDF weights, TF scaling,
 * L2 normalisation and the classifier all live inside it. The runtime only featurizes text into
 * unique hashed token ids plus their counts (see shared/featurizer) and feeds two tensors.
 */
export const MODEL_INPUT_IDS = 'token_ids'; // int64 [batch, tokens], unique ids per row, padded with PAD_TOKEN_ID
export const MODEL_INPUT_COUNTS = 'token_counts'; // float32 [batch, tokens], occurrences of each id, 0 for padding
export const MODEL_OUTPUT = 'probabilities'; // float32 [batch, 3], columns in LABELS order

/** Token ids are unsigned 32-bit hashes, so a negative id can never match the vocabulary. */
export const PAD_TOKEN_ID = -1;

/** Keys of the graph's metadata_props. Values are strings; JSON where noted. */
export const METADATA_KEYS = {
  modelVersion: 'model_version',
  featurizer: 'featurizer', // JSON: FeaturizerSpec {name, version, options}
  labels: 'labels', // JSON: string[] in output column order
  createdAt: 'created_at',
} as const;
