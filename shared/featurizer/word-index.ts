/**
 * A read-only string -> value table for the featurizer's per-word lookups. A lookup hashes the
 * word's code units itself (FNV-1a, a tight loop), tests a 16 KiB bit filter that most words miss
 * in, and only then probes the table: no engine string hashing of each freshly tokenised word, and
 * a prefix ("bad" of "bad_neg") is looked up without slicing it out.
 */
import { FNV_PRIME } from './hash';

const SEED = 0x811c9dc5 | 0;
const FILTER_WORDS = 1 << 12; // 2^17 bits

export class WordIndex<V> {
  /** [hash, 1 + index into keys/values] per slot; index 0 = empty slot. */
  private readonly table: Int32Array;
  private readonly filter = new Int32Array(FILTER_WORDS);
  private readonly keys: string[] = [];
  private readonly values: V[] = [];
  private readonly mask: number;

  constructor(entries: Iterable<readonly [string, V]>) {
    const list = [...entries];
    const capacity = 2 ** Math.ceil(Math.log2(list.length * 2 + 2));
    this.table = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
    for (const [key, value] of list) {
      if (this.get(key) !== undefined) throw new Error(`duplicate key ${key}`);
      const h = hash(key, key.length);
      this.filter[(h >>> 15) & (FILTER_WORDS - 1)] |= 1 << (h >>> 27);
      let slot = h & this.mask;
      while (this.table[2 * slot + 1] !== 0) slot = (slot + 1) & this.mask;
      this.keys.push(key);
      this.values.push(value);
      this.table[2 * slot] = h;
      this.table[2 * slot + 1] = this.keys.length;
    }
  }

  /** The value of `word.slice(0, length)`, without making that string. */
  get(word: string, length = word.length): V | undefined {
    const h = hash(word, length);
    if ((this.filter[(h >>> 15) & (FILTER_WORDS - 1)] & (1 << (h >>> 27))) === 0) return undefined;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const index = this.table[2 * slot + 1];
      if (index === 0) return undefined;
      if (this.table[2 * slot] !== h) continue;
      const key = this.keys[index - 1];
      if (key.length === length && word.startsWith(key)) return this.values[index - 1];
    }
  }
}

function hash(word: string, length: number): number {
  let h = SEED;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h ^ (h >>> 16); // FNV's low bits mix poorly: fold the high half in before masking
}
