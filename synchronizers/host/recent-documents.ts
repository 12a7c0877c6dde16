import type { ReadModelDocument } from '../projection';

/** The documents a writer wrote most recently, exactly as it wrote them; past `capacity`, the oldest go first. */
export class RecentDocuments {
  private readonly docs = new Map<string, ReadModelDocument>();

  constructor(private readonly capacity: number) {}

  get(id: string): ReadModelDocument | undefined {
    return this.docs.get(id);
  }

  remember(doc: ReadModelDocument): void {
    this.docs.delete(doc._id);
    this.docs.set(doc._id, doc);
    if (this.docs.size > this.capacity) this.docs.delete(this.docs.keys().next().value!);
  }

  forget(ids: Iterable<string>): void {
    for (const id of ids) this.docs.delete(id);
  }

  clear(): void {
    this.docs.clear();
  }
}
