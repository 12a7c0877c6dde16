const INITIAL_SLOTS = 1024;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units: cheap, and well spread for UUIDs. */
export function idHash(id: string): number {
  let hash = FNV_OFFSET;
  for (let index = 0; index < id.length; index++) {
    hash = Math.imul(hash ^ id.charCodeAt(index), FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * Event id → sequences, as an open-addressing hash table of two typed arrays (8 bytes a slot) instead of a Map of
 * id strings (~100 bytes an event). It keeps only the ids' hashes: a hit is a candidate the caller confirms by
 * reading the event, and a miss (the common case, a new id) is certain.
 */
export class IdTable {
  private hashes = new Uint32Array(INITIAL_SLOTS);
  /** sequence + 1; 0 marks a free slot. */
  private sequences = new Uint32Array(INITIAL_SLOTS);
  private count = 0;

  add(hash: number, sequence: number): void {
    if ((this.count + 1) * 2 > this.sequences.length) this.grow();
    this.place(hash, sequence + 1);
    this.count++;
  }

  /** Every sequence whose id has `hash`, in no particular order. */
  candidates(hash: number): number[] {
    const found: number[] = [];
    const mask = this.sequences.length - 1;
    for (let slot = hash & mask; this.sequences[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.hashes[slot] === hash) found.push((this.sequences[slot] ?? 1) - 1);
    }
    return found;
  }

  private place(hash: number, storedSequence: number): void {
    const mask = this.sequences.length - 1;
    let slot = hash & mask;
    while (this.sequences[slot] !== 0) slot = (slot + 1) & mask;
    this.hashes[slot] = hash;
    this.sequences[slot] = storedSequence;
  }

  private grow(): void {
    const hashes = this.hashes;
    const sequences = this.sequences;
    this.hashes = new Uint32Array(hashes.length * 2);
    this.sequences = new Uint32Array(sequences.length * 2);
    sequences.forEach((stored, slot) => {
      if (stored !== 0) this.place(hashes[slot] ?? 0, stored);
    });
  }
}
