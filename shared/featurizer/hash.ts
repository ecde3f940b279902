/**
 * FNV-1a (32-bit) over UTF-16 code units. Fixed forever for a featurizer version: the trained
 * vocabulary is a set of these ids, so changing the hash means a new featurizer version.
 * Working on code units (not UTF-8 bytes) keeps it fast and defined for any JS string,
 * including lone surrogates.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

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

/**
 * Calls `emit` with the hash of every substring of length minN..maxN, exactly as
 * fnv1a(seed, text.slice(i, i + n)) would, but without building the substrings.
 */
export function forEachCharNgramHash(
  seed: number,
  text: string,
  minN: number,
  maxN: number,
  emit: (id: number) => void,
): void {
  const length = text.length;
  for (let start = 0; start < length; start++) {
    let h = seed | 0;
    const end = Math.min(length, start + maxN);
    for (let i = start; i < end; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, FNV_PRIME);
      if (i - start + 1 >= minN) emit(h >>> 0);
    }
  }
}
