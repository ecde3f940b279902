/**
 * Reads an ONNX model's metadata_props straight from its protobuf bytes, so runtimes can check a
 * model (version, featurizer) before creating a session and without shipping a protobuf library.
 */
const MODEL_METADATA_PROPS_FIELD = 14; // ModelProto.metadata_props
const ENTRY_KEY_FIELD = 1; // StringStringEntryProto.key
const ENTRY_VALUE_FIELD = 2; // StringStringEntryProto.value

export function readOnnxMetadata(model: Uint8Array): Record<string, string> {
  const metadata: Record<string, string> = {};
  const decoder = new TextDecoder();
  for (const field of protobufFields(model)) {
    if (field.number !== MODEL_METADATA_PROPS_FIELD || !field.bytes) continue;
    let key = '';
    let value = '';
    for (const entry of protobufFields(field.bytes)) {
      if (entry.number === ENTRY_KEY_FIELD && entry.bytes) key = decoder.decode(entry.bytes);
      if (entry.number === ENTRY_VALUE_FIELD && entry.bytes) value = decoder.decode(entry.bytes);
    }
    metadata[key] = value;
  }
  return metadata;
}

export interface ProtobufField {
  number: number;
  bytes?: Uint8Array; // only for length-delimited fields
  value?: number; // only for varint fields
}

export function* protobufFields(buffer: Uint8Array): Generator<ProtobufField> {
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (offset >= buffer.length) throw new Error('not an ONNX model: truncated protobuf');
      const byte = buffer[offset++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  };
  while (offset < buffer.length) {
    const tag = varint();
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === 0) {
      yield { number, value: varint() };
      continue;
    } else if (wireType === 1) offset += 8;
    else if (wireType === 5) offset += 4;
    else if (wireType === 2) {
      const length = varint();
      if (offset + length > buffer.length) throw new Error('not an ONNX model: truncated protobuf');
      yield { number, bytes: buffer.subarray(offset, offset + length) };
      offset += length;
      continue;
    } else throw new Error(`not an ONNX model: unexpected protobuf wire type ${wireType}`);
    yield { number };
  }
}
