import { compareKeys } from './bson-order';
import { sortKeyOf } from './sort-key';
import { StringKeyHash } from './string-key-hash';

/** One index entry: the key tuple and the record id of the document it points to. */
export interface IndexEntry {
  readonly key: readonly unknown[];
  readonly rid: number;
}

/** An entry as the index holds it: with its key as one ordered string where the key has one (see `sortKeyOf`). */
interface HeldEntry extends IndexEntry {
  readonly sortKey: string | undefined;
}

const held = (entry: IndexEntry): HeldEntry => ({
  key: entry.key,
  rid: entry.rid,
  sortKey: sortKeyOf(entry.key),
});

// Chunk size trades splice cost (memmove within a chunk) against the chunk directory's length.
const MAX_CHUNK = 1024;
const NO_DIRECTIONS: readonly number[] = [];
const NO_ENTRIES: readonly IndexEntry[] = [];

function compareEntries(a: HeldEntry, b: HeldEntry): number {
  const x = a.sortKey;
  const y = b.sortKey;
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : a.rid - b.rid;
  return compareKeys(a.key, b.key, NO_DIRECTIONS) || a.rid - b.rid;
}

function sameKey(a: HeldEntry, b: HeldEntry): boolean {
  if (a.sortKey !== undefined && b.sortKey !== undefined) return a.sortKey === b.sortKey;
  return compareKeys(a.key, b.key, NO_DIRECTIONS) === 0;
}

function firstWhere<T>(items: readonly T[], pred: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(items[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// Closure-free searches for the write path and point lookups: a predicate closure per call costs more than the search.
function firstEntryAtOrAfter(items: readonly HeldEntry[], entry: HeldEntry): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(items[mid] as HeldEntry, entry) >= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function firstChunkEndingAtOrAfter(chunks: readonly HeldEntry[][], entry: HeldEntry): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const chunk = chunks[mid] as HeldEntry[];
    if (compareEntries(chunk[chunk.length - 1] as HeldEntry, entry) >= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first position whose key is at or after `key`; a shorter `key` is a prefix and equals every key it starts. */
function firstKeyAtOrAfter(items: readonly IndexEntry[], key: readonly unknown[]): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys((items[mid] as IndexEntry).key, key, NO_DIRECTIONS) >= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function firstChunkEndingAtOrAfterKey(chunks: readonly IndexEntry[][], key: readonly unknown[]): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const chunk = chunks[mid] as IndexEntry[];
    if (compareKeys((chunk[chunk.length - 1] as IndexEntry).key, key, NO_DIRECTIONS) >= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * An ordered index: sorted entries kept in a list of bounded sorted chunks (a two-level B-tree), so inserts,
 * deletes and lookups cost O(log n) comparisons plus a bounded splice.
 */
export class OrderedIndex {
  private chunks: HeldEntry[][] = [];
  private count = 0;
  private readonly strings = new StringKeyHash();

  get size(): number {
    return this.count;
  }

  private chunkFor(pred: (e: IndexEntry) => boolean): number {
    return firstWhere(this.chunks, (chunk) => pred(chunk[chunk.length - 1] as IndexEntry));
  }

  insert(given: IndexEntry): void {
    const entry = held(given);
    this.count += 1;
    this.strings.insert(entry);
    if (this.chunks.length === 0) {
      this.chunks.push([entry]);
      return;
    }
    const lastChunk = this.chunks[this.chunks.length - 1] as HeldEntry[];
    // Ascending keys (ObjectIds, counters, timestamps) append without a search.
    if (compareEntries(lastChunk[lastChunk.length - 1] as HeldEntry, entry) < 0) {
      lastChunk.push(entry);
      if (lastChunk.length > MAX_CHUNK) this.chunks.push(lastChunk.splice(lastChunk.length >>> 1));
      return;
    }
    let ci = firstChunkEndingAtOrAfter(this.chunks, entry);
    if (ci === this.chunks.length) ci -= 1;
    const chunk = this.chunks[ci] as HeldEntry[];
    const pos = firstEntryAtOrAfter(chunk, entry);
    if (pos === chunk.length) chunk.push(entry);
    else chunk.splice(pos, 0, entry);
    if (chunk.length > MAX_CHUNK) this.chunks.splice(ci + 1, 0, chunk.splice(chunk.length >>> 1));
  }

  /**
   * Fills an empty index with these entries at once: one sort and no searches, as mongod bulk-loads an index
   * it builds on a collection that holds documents. Chunks are left half full, so later inserts split them late.
   * `onDuplicate` is called with the first equal pair of keys from different records, in key order.
   */
  build(entries: readonly IndexEntry[], onDuplicate?: (key: readonly unknown[]) => void): void {
    if (this.count > 0) throw new Error('build needs an empty index');
    const sorted = entries.map(held).sort(compareEntries);
    if (onDuplicate) {
      for (let i = 1; i < sorted.length; i += 1) {
        const [a, b] = [sorted[i - 1] as HeldEntry, sorted[i] as HeldEntry];
        if (a.rid !== b.rid && sameKey(a, b)) onDuplicate(b.key);
      }
    }
    for (let from = 0; from < sorted.length; from += MAX_CHUNK >>> 1) {
      this.chunks.push(sorted.slice(from, from + (MAX_CHUNK >>> 1)));
    }
    for (const entry of sorted) this.strings.insert(entry);
    this.count = sorted.length;
  }

  remove(given: IndexEntry): boolean {
    const entry = held(given);
    const ci = firstChunkEndingAtOrAfter(this.chunks, entry);
    const chunk = this.chunks[ci];
    if (!chunk) return false;
    const pos = firstEntryAtOrAfter(chunk, entry);
    const found = chunk[pos];
    if (!found || compareEntries(found, entry) !== 0) return false;
    chunk.splice(pos, 1);
    this.strings.remove(found);
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    this.count -= 1;
    return true;
  }

  clear(): void {
    this.chunks = [];
    this.count = 0;
    this.strings.clear();
  }

  /** Entries from the first where `start` holds until `pastEnd` holds (both monotone over key order). */
  *range(start?: (e: IndexEntry) => boolean, pastEnd?: (e: IndexEntry) => boolean): Generator<IndexEntry> {
    let ci = 0;
    let pos = 0;
    if (start) {
      ci = this.chunkFor(start);
      pos = ci < this.chunks.length ? firstWhere(this.chunks[ci] as IndexEntry[], start) : 0;
    }
    for (; ci < this.chunks.length; ci += 1, pos = 0) {
      const chunk = this.chunks[ci] as IndexEntry[];
      for (; pos < chunk.length; pos += 1) {
        const entry = chunk[pos] as IndexEntry;
        if (pastEnd?.(entry)) return;
        yield entry;
      }
    }
  }

  /** All entries from the highest key down. */
  *descending(): Generator<IndexEntry> {
    for (let ci = this.chunks.length - 1; ci >= 0; ci -= 1) {
      const chunk = this.chunks[ci] as IndexEntry[];
      for (let pos = chunk.length - 1; pos >= 0; pos -= 1) yield chunk[pos] as IndexEntry;
    }
  }

  /**
   * Entries whose key equals `key`, or starts with it when `key` is a shorter prefix (a plain loop: this is the
   * unique check on every write and the point lookup).
   */
  equal(key: readonly unknown[]): readonly IndexEntry[] {
    if (this.strings.covers(key)) return this.strings.equal(key[0]);
    const lastChunk = this.chunks[this.chunks.length - 1];
    // A key past the highest entry (a new ObjectId or counter, checked for uniqueness) is answered at once.
    if (
      !lastChunk ||
      compareKeys((lastChunk[lastChunk.length - 1] as IndexEntry).key, key, NO_DIRECTIONS) < 0
    )
      return NO_ENTRIES;
    const found: IndexEntry[] = [];
    for (let ci = firstChunkEndingAtOrAfterKey(this.chunks, key); ci < this.chunks.length; ci += 1) {
      const chunk = this.chunks[ci] as IndexEntry[];
      for (let pos = found.length === 0 ? firstKeyAtOrAfter(chunk, key) : 0; pos < chunk.length; pos += 1) {
        const entry = chunk[pos] as IndexEntry;
        if (compareKeys(entry.key, key, NO_DIRECTIONS) !== 0) return found;
        found.push(entry);
      }
    }
    return found;
  }
}
