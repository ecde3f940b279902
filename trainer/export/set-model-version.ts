/**
 * Re-stamps an exported ONNX model with another version: the version a model gets is decided at
 * publish time (the Hub's current version + 1), after it was trained and exported.
 */
import onnxProto from 'onnx-proto';
import { METADATA_KEYS } from '../../shared/model-contract';

export function setModelVersion(model: Uint8Array, version: string): Uint8Array {
  const proto = onnxProto.onnx.ModelProto.decode(model);
  const entry = proto.metadataProps.find((prop) => prop.key === METADATA_KEYS.modelVersion);
  if (!entry) throw new Error('model has no model_version metadata to update');
  entry.value = version;
  return onnxProto.onnx.ModelProto.encode(proto).finish();
}
