import type { ReadModelDocument } from '../projection';

/** Documents a writer keeps in memory between batches; the oldest go first. */
export const RECENT_DOCUMENTS = 100_000;

/** The documents a writer wrote most recently, exactly as it wrote them. */
export class RecentDocuments {
  private readonly docs = new Map<string, ReadModelDocument>();

  get(id: string): ReadModelDocument | undefined {
    return this.docs.get(id);
  }

  remember(doc: ReadModelDocument): void {
    this.docs.delete(doc._id);
    this.docs.set(doc._id, doc);
    if (this.docs.size > RECENT_DOCUMENTS) this.docs.delete(this.docs.keys().next().value!);
  }

  forget(ids: Iterable<string>): void {
    for (const id of ids) this.docs.delete(id);
  }

  clear(): void {
    this.docs.clear();
  }
}
