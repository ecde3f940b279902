/**
 * Flips the sign bit of every little-endian float32 in the given byte ranges of a model: same size,
 * still a valid protobuf. No ONNX parsing, so workerd tests can use it (the ranges come from
 * negate-weights.ts on Node).
 */
export function negateRanges(model: Uint8Array, ranges: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const out = model.slice();
  for (const [offset, length] of ranges) for (let i = offset + 3; i < offset + length; i += 4) out[i] ^= 0x80;
  return out;
}
