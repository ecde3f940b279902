/**
 * A minimal perfect hash of the vocabulary's token ids, built at export time so that the ONNX graph
 * can find a token's column with a few cheap integer ops and array lookups instead of a hash map
 * (see onnx-model.ts for why). "Hash and displace" (CHD, Belazzougui, Botelho & Dietzfelbinger 2009):
 *
 *   bucket(id) = id mod buckets
 *   slot(id)   = (id + displacement[bucket(id)]) mod slots
 *
 * Every vocabulary id gets its own slot. Any other id (unknown token, padding) also lands on some
 * slot, so a lookup must compare the id stored in that slot with the one looked up.
 *
 * The token ids are already uniform 32-bit hashes, so `mod` of a prime is as good a hash as any.
 * Every value here stays below 2^33: exact in JavaScript numbers and in the graph's int64 ops.
 */

export interface PerfectHash {
  /** Number of buckets (prime): the length of `displacement`. */
  buckets: number;
  /** Number of slots (prime): the length of the graph's lookup tables. */
  slots: number;
  /** Per bucket, in [0, slots). */
  displacement: Int32Array;
  /** Per slot, the index of the key stored there, or -1 for an empty slot. */
  keyAtSlot: Int32Array;
}

/** Mean keys per bucket: small buckets are easy to place, but each bucket costs a table entry. */
const KEYS_PER_BUCKET = 4;
/** Share of slots holding a key: the last buckets still find free slots quickly at 90%. */
const LOAD_FACTOR = 0.9;

/** Builds the hash for unique ids (uint32). Deterministic: the same keys give the same tables. */
export function buildPerfectHash(keys: Uint32Array): PerfectHash {
  let buckets = nextPrime(Math.max(2, Math.ceil(keys.length / KEYS_PER_BUCKET)));
  let slots = nextPrime(Math.max(2, Math.ceil(keys.length / LOAD_FACTOR)));
  for (let attempt = 1; ; attempt++) {
    const placed = place(keys, buckets, slots);
    if (placed) return placed;
    // Two ids of one bucket that are congruent mod `slots` share a slot whatever the displacement.
    // That needs buckets * slots < 2^32 (vocabularies under ~120k ids): regroup the ids with
    // another bucket count; after a few tries, add room as well.
    buckets = nextPrime(buckets + 1);
    if (attempt % 8 === 0) slots = nextPrime(Math.ceil(slots * 1.05));
  }
}

/** The slot an id maps to, exactly as the graph computes it (ids may be any integer >= -1). */
export function slotOf(hash: Pick<PerfectHash, 'buckets' | 'slots' | 'displacement'>, id: number): number {
  const bucket = mod(id, hash.buckets);
  return mod(id + hash.displacement[bucket], hash.slots);
}

/** ONNX Mod with fmod = 0: the result takes the divisor's sign (so padding id -1 maps in range). */
const mod = (a: number, n: number) => ((a % n) + n) % n;

function place(keys: Uint32Array, buckets: number, slots: number): PerfectHash | null {
  const members: number[][] = Array.from({ length: buckets }, () => []);
  keys.forEach((id, key) => members[id % buckets].push(key));
  // Largest buckets first, while the table is empty enough to take them.
  const order = Array.from({ length: buckets }, (_, bucket) => bucket).sort(
    (a, b) => members[b].length - members[a].length || a - b,
  );
  const keyAtSlot = new Int32Array(slots).fill(-1);
  const displacement = new Int32Array(buckets);
  // The attempt that last claimed each slot, so one attempt never places two keys in one slot.
  const claimedBy = new Float64Array(slots).fill(-1);
  let attempt = 0;
  for (const bucket of order) {
    const bucketKeys = members[bucket];
    if (bucketKeys.length === 0) break;
    const residues = bucketKeys.map((key) => keys[key] % slots);
    if (new Set(residues).size < residues.length) return null;
    let found = -1;
    for (let d = 0; d < slots && found < 0; d++) {
      attempt++;
      let fits = true;
      for (const key of bucketKeys) {
        const slot = (keys[key] + d) % slots;
        if (keyAtSlot[slot] >= 0 || claimedBy[slot] === attempt) {
          fits = false;
          break;
        }
        claimedBy[slot] = attempt;
      }
      if (fits) found = d;
    }
    if (found < 0) return null;
    displacement[bucket] = found;
    for (const key of bucketKeys) keyAtSlot[(keys[key] + found) % slots] = key;
  }
  return { buckets, slots, displacement, keyAtSlot };
}

function nextPrime(n: number): number {
  for (let candidate = Math.max(2, n); ; candidate++) if (isPrime(candidate)) return candidate;
}

function isPrime(n: number): boolean {
  if (n < 4) return n >= 2;
  if (n % 2 === 0) return false;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}
