import { TYPE_CLASS, typeClass } from './bson-order';
import type { IndexEntry } from './ordered-index';

const NONE: readonly IndexEntry[] = [];

/**
 * Entries of one-field keys that are JavaScript strings, by string: an equality lookup without the ordered
 * search, whose cache misses cost ten times a hash probe on large indexes. Strings are equal in BSON's order
 * exactly when they are identical (indexes hold binary keys), so the hash answers what the ordered search
 * would — unless a string-class value that is not a JavaScript string (a `BSONSymbol`) is indexed, or some
 * key has more than one field; then `covers` is false and the ordered search answers.
 */
export class StringKeyHash {
  private readonly byString = new Map<string, IndexEntry | IndexEntry[]>();
  private otherStringClassKeys = 0;
  private compoundKeys = 0;

  covers(key: readonly unknown[]): key is readonly [string] {
    return (
      key.length === 1 &&
      typeof key[0] === 'string' &&
      this.otherStringClassKeys === 0 &&
      this.compoundKeys === 0
    );
  }

  /** Entries equal to the one-string key, ordered by record id (the ordered index's order for equal keys). */
  equal(value: string): readonly IndexEntry[] {
    const found = this.byString.get(value);
    if (found === undefined) return NONE;
    return Array.isArray(found) ? found : [found];
  }

  insert(entry: IndexEntry): void {
    const value = this.trackedString(entry, 1);
    if (value === undefined) return;
    const found = this.byString.get(value);
    if (found === undefined) {
      this.byString.set(value, entry);
      return;
    }
    const list = Array.isArray(found) ? found : [found];
    let at = list.length;
    while (at > 0 && (list[at - 1] as IndexEntry).rid > entry.rid) at -= 1;
    list.splice(at, 0, entry);
    if (list !== found) this.byString.set(value, list);
  }

  remove(entry: IndexEntry): void {
    const value = this.trackedString(entry, -1);
    if (value === undefined) return;
    const found = this.byString.get(value);
    if (found === undefined) return;
    if (!Array.isArray(found)) {
      if (found.rid === entry.rid) this.byString.delete(value);
      return;
    }
    const rest = found.filter((e) => e.rid !== entry.rid);
    this.byString.set(value, rest.length === 1 ? (rest[0] as IndexEntry) : rest);
    if (rest.length === 0) this.byString.delete(value);
  }

  clear(): void {
    this.byString.clear();
    this.otherStringClassKeys = 0;
    this.compoundKeys = 0;
  }

  /** The entry's string when the hash holds it; otherwise counts what makes the hash incomplete. */
  private trackedString(entry: IndexEntry, delta: 1 | -1): string | undefined {
    const { key } = entry;
    if (key.length !== 1) {
      this.compoundKeys += delta;
      return undefined;
    }
    const value = key[0];
    if (typeof value === 'string') return value;
    if (typeClass(value) === TYPE_CLASS.string) this.otherStringClassKeys += delta;
    return undefined;
  }
}
