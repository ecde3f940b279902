/**
 * A model that reads sentiment backwards: every classifier weight and the bias negated, so the
 * logits are negated and the ranking of the labels reversed. Its graph, metadata and size are
 * those of a valid model: only the behavioural canaries can tell. For tests and the loop benchmark.
 */
import onnxProto from 'onnx-proto';
import { negateRanges } from './negate-ranges';

const NEGATED = ['signed_weights', 'bias'];

/** [offset, length] of the float32 raw data to negate, in `model`'s bytes. */
export function weightRanges(model: Uint8Array): Array<[number, number]> {
  const proto = onnxProto.onnx.ModelProto.decode(model);
  return NEGATED.map((name) => {
    const raw = proto.graph?.initializer?.find((tensor) => tensor.name === name)?.rawData;
    if (!raw || raw.buffer !== model.buffer) throw new Error(`model has no ${name} initializer with raw data`);
    return [raw.byteOffset - model.byteOffset, raw.byteLength];
  });
}

export const negateWeights = (model: Uint8Array): Uint8Array => negateRanges(model, weightRanges(model));
