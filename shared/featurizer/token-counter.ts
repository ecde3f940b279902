/**
 * Counts occurrences of 32-bit token ids with an open-addressing table that is reused across
 * texts (cleared in O(1) by bumping a generation stamp). Keeps first-occurrence order so the
 * output, and every float sum over it, is deterministic. A slot is three adjacent int32s (stamp,
 * id, entry), so a probe touches one cache line.
 */
const STAMP = 0;
const ID = 1;
const ENTRY = 2;

export class TokenCounter {
  private table = new Int32Array(0); // [stamp, id, entry] per slot; live when stamp === generation
  private generation = 0;
  private mask = 0;
  private shift = 0;
  ids = new Uint32Array(256);
  counts = new Float64Array(256);
  size = 0;

  constructor(initialCapacity = 1024) {
    this.allocate(initialCapacity);
  }

  reset(): void {
    this.size = 0;
    this.generation = (this.generation + 1) | 0;
    if (this.generation === 0) {
      this.table.fill(0);
      this.generation = 1;
    }
  }

  add(id: number, amount = 1): void {
    const table = this.table;
    const generation = this.generation;
    const key = id | 0;
    let slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const at = slot * 3;
      if (table[at + STAMP] !== generation) break;
      if (table[at + ID] === key) {
        this.counts[table[at + ENTRY]] += amount;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.insert(slot, id, amount);
  }

  /** The entry index of id (its position in first-occurrence order), or -1. */
  find(id: number): number {
    const key = id | 0;
    let slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const at = slot * 3;
      if (this.table[at + STAMP] !== this.generation) return -1;
      if (this.table[at + ID] === key) return this.table[at + ENTRY];
      slot = (slot + 1) & this.mask;
    }
  }

  private insert(slot: number, id: number, count: number): void {
    if (this.size === this.ids.length) this.growEntries();
    this.place(slot, id, this.size);
    this.ids[this.size] = id;
    this.counts[this.size] = count;
    this.size++;
    if (this.size * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
  }

  private place(slot: number, id: number, entry: number): void {
    const at = slot * 3;
    this.table[at + STAMP] = this.generation;
    this.table[at + ID] = id | 0;
    this.table[at + ENTRY] = entry;
  }

  private growEntries(): void {
    const ids = new Uint32Array(this.ids.length * 2);
    ids.set(this.ids);
    const counts = new Float64Array(this.counts.length * 2);
    counts.set(this.counts);
    this.ids = ids;
    this.counts = counts;
  }

  private allocate(capacity: number): void {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, capacity)));
    this.table = new Int32Array(size * 3);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.generation = 1;
  }

  private rehash(capacity: number): void {
    this.allocate(capacity);
    for (let entry = 0; entry < this.size; entry++) {
      const id = this.ids[entry];
      let slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
      while (this.table[slot * 3 + STAMP] === this.generation) slot = (slot + 1) & this.mask;
      this.place(slot, id, entry);
    }
  }
}
