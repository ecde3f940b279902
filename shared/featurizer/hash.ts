/**
 * FNV-1a (32-bit) over UTF-16 code units. Fixed forever for a featurizer version: the trained
 * vocabulary is a set of these ids, so changing the hash means a new featurizer version.
 * Working on code units (not UTF-8 bytes) keeps it fast and defined for any JS string,
 * including lone surrogates.
 */
const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** Hash state after feeding a namespace tag, so word and character n-grams never share ids. */
export function namespaceSeed(tag: string): number {
  return fnv1a(FNV_OFFSET, tag + '\u001f');
}

/** Continues an FNV-1a state over a string; returns an unsigned 32-bit id. */
export function fnv1a(seed: number, text: string): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}
