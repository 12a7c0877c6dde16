import { LRUCache } from 'lru-cache';
import type { ReadModelDocument } from '../projection';

/**
 * The documents a writer wrote most recently, exactly as it wrote them; past `capacity`, the oldest go first.
 * lru-cache evicts in constant time, where evicting a Map's first key scans the holes its earlier deletions left.
 */
export class RecentDocuments {
  private readonly docs: LRUCache<string, ReadModelDocument>;

  constructor(capacity: number) {
    this.docs = new LRUCache({ max: capacity });
  }

  /** Reading does not make a document more recent: the order is the order of writes. */
  get(id: string): ReadModelDocument | undefined {
    return this.docs.peek(id);
  }

  remember(doc: ReadModelDocument): void {
    this.docs.set(doc._id, doc);
  }

  forget(ids: Iterable<string>): void {
    for (const id of ids) this.docs.delete(id);
  }

  clear(): void {
    this.docs.clear();
  }
}
