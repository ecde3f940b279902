/**
 * Counts occurrences of 32-bit token ids with an open-addressing table that is reused across
 * texts (cleared in O(1) by bumping a generation stamp). Keeps first-occurrence order so the
 * output, and every float sum over it, is deterministic.
 */
export class TokenCounter {
  private slots = new Int32Array(0); // entry index per slot
  private stamps = new Uint32Array(0); // slot is live when stamps[slot] === generation
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
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  add(id: number, amount = 1): void {
    const mask = this.mask;
    let slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (;;) {
      if (this.stamps[slot] !== this.generation) break;
      const entry = this.slots[slot];
      if (this.ids[entry] === id) {
        this.counts[entry] += amount;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.insert(slot, id, amount);
  }

  /** The entry index of id (its position in first-occurrence order), or -1. */
  find(id: number): number {
    let slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
    while (this.stamps[slot] === this.generation) {
      const entry = this.slots[slot];
      if (this.ids[entry] === id) return entry;
      slot = (slot + 1) & this.mask;
    }
    return -1;
  }

  private insert(slot: number, id: number, count: number): void {
    if (this.size === this.ids.length) this.growEntries();
    this.stamps[slot] = this.generation;
    this.slots[slot] = this.size;
    this.ids[this.size] = id;
    this.counts[this.size] = count;
    this.size++;
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
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
    this.slots = new Int32Array(size);
    this.stamps = new Uint32Array(size);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.generation = 1;
  }

  private rehash(capacity: number): void {
    this.allocate(capacity);
    for (let entry = 0; entry < this.size; entry++) {
      let slot = Math.imul(this.ids[entry], 0x9e3779b1) >>> this.shift;
      while (this.stamps[slot] === this.generation) slot = (slot + 1) & this.mask;
      this.stamps[slot] = this.generation;
      this.slots[slot] = entry;
    }
  }
}
