import { MongoBulkWriteError, type AnyBulkWriteOperation, type Db } from 'mongodb';
import {
  documentKeys,
  projectBatch,
  type PoisonedEvent,
  type Projection,
  type ProjectedEvent,
  type ReadModelDocument,
} from '../projection';

const DUPLICATE_KEY = 11000;

function onlyDuplicateKeys(error: unknown): boolean {
  if (!(error instanceof MongoBulkWriteError)) return false;
  const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return errors.length > 0 && errors.every((e: { code?: unknown }) => e.code === DUPLICATE_KEY);
}

export async function ensureIndexes(db: Db, collection: string, projection: Projection<ReadModelDocument>) {
  if (projection.indexes.length === 0) return;
  await db.collection(collection).createIndexes(
    projection.indexes.map((index) => ({
      key: index.key,
      name: index.name,
      unique: index.unique ?? false,
    })),
  );
}

export interface WriteResult {
  readonly applied: number;
  readonly poisoned: readonly PoisonedEvent[];
}

/** Applies a batch of one model's events to its collection: load what they touch, project, one bulk write. */
export type ReadModelWriter = (events: readonly ProjectedEvent[]) => Promise<WriteResult>;

export interface WriterOptions {
  readonly db: Db;
  readonly projection: Projection<ReadModelDocument>;
  readonly collection: string;
  /**
   * The collection starts empty and this writer is its only writer (a rebuild into a scratch collection): it
   * remembers what it wrote instead of reading it back, so a batch looks up only documents it wrote long ago.
   */
  readonly fresh?: boolean;
}

/** Documents a fresh writer keeps in memory; older ones are read back when touched again. */
const RECENT_DOCUMENTS = 100_000;

/** What a fresh writer knows: every id it wrote, and the documents it wrote most recently. */
class WrittenDocuments {
  private readonly ids = new Set<string>();
  private readonly recent = new Map<string, ReadModelDocument>();

  has(id: string): boolean {
    return this.ids.has(id);
  }

  remember(doc: ReadModelDocument): void {
    this.ids.add(doc._id);
    this.recent.delete(doc._id);
    this.recent.set(doc._id, doc);
    if (this.recent.size > RECENT_DOCUMENTS) this.recent.delete(this.recent.keys().next().value!);
  }

  /** The documents it holds for these ids, and the ids it wrote but no longer holds. */
  lookup(keys: readonly string[]): { found: Map<string, ReadModelDocument>; forgotten: string[] } {
    const found = new Map<string, ReadModelDocument>();
    const forgotten: string[] = [];
    for (const key of keys) {
      const doc = this.recent.get(key);
      if (doc) found.set(key, doc);
      else if (this.ids.has(key)) forgotten.push(key);
    }
    return { found, forgotten };
  }
}

export function readModelWriter(options: WriterOptions): ReadModelWriter {
  const { projection } = options;
  const collection = options.db.collection<ReadModelDocument>(options.collection);
  const written = options.fresh ? new WrittenDocuments() : undefined;

  async function find(keys: readonly string[]): Promise<Map<string, ReadModelDocument>> {
    if (keys.length === 0) return new Map();
    const stored = await collection.find({ _id: { $in: [...keys] } }).toArray();
    return new Map(stored.map((doc) => [doc._id, doc]));
  }

  async function load(keys: readonly string[]): Promise<ReadonlyMap<string, ReadModelDocument>> {
    if (!written) return find(keys);
    const { found, forgotten } = written.lookup(keys);
    for (const [id, doc] of await find(forgotten)) found.set(id, doc);
    return found;
  }

  return async (events) => {
    const keys = documentKeys(projection, events);
    const docs = keys.length === 0 ? new Map<string, ReadModelDocument>() : await load(keys);
    const result = projectBatch(projection, docs, events);
    if (result.changed.size > 0) await write([...result.changed.values()]);
    for (const doc of result.changed.values()) written?.remember(doc);
    return { applied: result.applied, poisoned: result.poisoned };
  };

  async function write(docs: readonly ReadModelDocument[]): Promise<void> {
    if (written) {
      const fresh = docs.filter((doc) => !written.has(doc._id));
      const replaced = docs.filter((doc) => written.has(doc._id));
      const writes: AnyBulkWriteOperation<ReadModelDocument>[] = [
        ...fresh.map((document) => ({ insertOne: { document } })),
        ...replaced.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc } })),
      ];
      await collection.bulkWrite(writes, { ordered: false });
      return;
    }
    // The position in the filter keeps a slower writer (an old instance, a rebuild's switch-over) from
    // replacing a newer document; its upsert then collides on _id, which is the outcome wanted.
    const writes: AnyBulkWriteOperation<ReadModelDocument>[] = docs.map((doc) => ({
      replaceOne: {
        filter: { _id: doc._id, _position: { $lt: doc._position } },
        replacement: doc,
        upsert: true,
      },
    }));
    try {
      await collection.bulkWrite(writes, { ordered: false });
    } catch (error) {
      if (!onlyDuplicateKeys(error)) throw error;
    }
  }
}
