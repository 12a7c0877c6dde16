import type { ReadModelDocument } from '../projection';
import { RecentDocuments } from './recent-documents';

/** Written documents a rebuild keeps to avoid reading them back. */
const REMEMBERED = 100_000;

/**
 * What a rebuild's writer knows of its collection, which only it writes: the documents it changed and has not
 * written yet (oldest change first), those it wrote most recently, and every id the store holds.
 */
export class HeldDocuments {
  private readonly held = new Map<string, ReadModelDocument>();
  private readonly stored = new Set<string>();
  private readonly recent = new RecentDocuments(REMEMBERED);

  get size(): number {
    return this.held.size;
  }

  isStored(id: string): boolean {
    return this.stored.has(id);
  }

  /** The documents it has for these ids, and the ids the store holds that it no longer has. */
  lookup(keys: readonly string[]): { found: Map<string, ReadModelDocument>; forgotten: string[] } {
    const found = new Map<string, ReadModelDocument>();
    const forgotten: string[] = [];
    for (const key of keys) {
      const doc = this.held.get(key) ?? this.recent.get(key);
      if (doc) found.set(key, doc);
      else if (this.stored.has(key)) forgotten.push(key);
    }
    return { found, forgotten };
  }

  hold(doc: ReadModelDocument): void {
    this.held.delete(doc._id);
    this.held.set(doc._id, doc);
  }

  /** The `count` documents changed longest ago (all when count is undefined). */
  oldest(count?: number): ReadModelDocument[] {
    const docs: ReadModelDocument[] = [];
    for (const doc of this.held.values()) {
      if (count !== undefined && docs.length >= count) break;
      docs.push(doc);
    }
    return docs;
  }

  /** These versions are in the store now; one changed again meanwhile stays held. */
  written(docs: readonly ReadModelDocument[]): void {
    for (const doc of docs) {
      if (this.held.get(doc._id) === doc) this.held.delete(doc._id);
      this.stored.add(doc._id);
      this.recent.remember(doc);
    }
  }

  /** These ids are in the store already (a write of them collided with the version an earlier write left). */
  markStored(ids: Iterable<string>): void {
    for (const id of ids) this.stored.add(id);
  }
}
