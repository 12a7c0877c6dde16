import { setImmediate as nextTurn } from 'node:timers/promises';
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Db } from 'mongodb';
import {
  documentKeys,
  projectBatch,
  type PoisonedEvent,
  type Projection,
  type ProjectedEvent,
  type ReadModelDocument,
} from '../projection';
import { HeldDocuments } from './held-documents';
import { RecentDocuments } from './recent-documents';

const DUPLICATE_KEY = 11000;

function writeErrorsOf(error: MongoBulkWriteError): { index: number; code?: unknown }[] {
  return (Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors]) as never;
}

function onlyDuplicateKeys(error: unknown): error is MongoBulkWriteError {
  if (!(error instanceof MongoBulkWriteError)) return false;
  const errors = writeErrorsOf(error);
  return errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY);
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

/** Applies batches of one model's events to its collection: load what they touch, project, one bulk write. */
export interface ReadModelWriter {
  write(events: readonly ProjectedEvent[]): Promise<WriteResult>;
  /**
   * A live writer forgets the documents it remembers, so the next batches read what the store holds: at every
   * (re)subscription, which follows a failed batch or a read model whose data is gone.
   */
  forgetRemembered(): void;
  /** Writes what a rebuild's writer still holds; its checkpoint may be stored only after this. */
  flush(): Promise<void>;
}

export interface WriterOptions {
  readonly db: Db;
  readonly projection: Projection<ReadModelDocument>;
  readonly collection: string;
  /**
   * The collection starts empty and this writer is its only writer (a rebuild into a scratch collection): it
   * holds what it changes and writes it later, in bulk (see `REBUILD_HOLD`), and remembers what it wrote instead
   * of reading it back, so a batch looks up only documents it wrote long ago. Nothing it holds is in the store
   * until `flush`.
   */
  readonly fresh?: boolean;
  /** How many documents a rebuild's writer holds, and writes out at a time (see `REBUILD_HOLD`). */
  readonly hold?: HoldLimits;
}

export interface HoldLimits {
  readonly documents: number;
  readonly writeOut: number;
}

/** Documents a live writer keeps to avoid reading back (its updates follow soon after). */
const LIVE_MEMORY = 20_000;
/**
 * A rebuild holds the documents it changes and writes out those changed longest ago once it holds more than
 * `documents`, so a document changed by several events of the history is written about once, not once per batch
 * it appears in. What it holds at the end of the history is written after the read, alone, so the bound is also
 * the length of that tail.
 */
const REBUILD_HOLD: HoldLimits = { documents: 20_000, writeOut: 5_000 };
/** Operations per bulk write of a rebuild (see `inTurns`). */
const FRESH_WRITE_CHUNK = 250;

export function readModelWriter(options: WriterOptions): ReadModelWriter {
  const { projection } = options;
  const collection = options.db.collection<ReadModelDocument>(options.collection);
  const held = options.fresh ? new HeldDocuments() : undefined;
  const limits = options.hold ?? REBUILD_HOLD;
  // A live writer remembers what it wrote, so the next batch need not read it back (see `fromMemory`).
  const recent = options.fresh ? undefined : new RecentDocuments(LIVE_MEMORY);

  async function find(keys: readonly string[]): Promise<Map<string, ReadModelDocument>> {
    if (keys.length === 0) return new Map();
    const stored = await collection.find({ _id: { $in: [...keys] } }).toArray();
    return new Map(stored.map((doc) => [doc._id, doc]));
  }

  async function load(keys: readonly string[]): Promise<ReadonlyMap<string, ReadModelDocument>> {
    if (!held) return find(keys);
    const { found, forgotten } = held.lookup(keys);
    for (const [id, doc] of await find(forgotten)) found.set(id, doc);
    return found;
  }

  /** Writes each document with its operation; the ids whose write collided on _id (the store holds another version). */
  async function writeEach(
    docs: readonly ReadModelDocument[],
    operation: (doc: ReadModelDocument) => AnyBulkWriteOperation<ReadModelDocument>,
  ): Promise<Set<string>> {
    const collided = new Set<string>();
    if (docs.length === 0) return collided;
    try {
      await collection.bulkWrite(docs.map(operation), { ordered: false });
    } catch (error) {
      if (!onlyDuplicateKeys(error)) throw error;
      for (const e of writeErrorsOf(error)) {
        const id = docs[e.index]?._id;
        if (id !== undefined) collided.add(id);
      }
    }
    return collided;
  }

  /**
   * A live batch without reads: a remembered document is replaced only while the store still holds that very
   * version (same `_position`), an unknown one is inserted only while absent. Any collision, a document the batch
   * leaves unknown (only a read can tell whether it exists), or a poisoned event (it may pass on the stored
   * state) sends the whole batch down the read path, where what already landed is skipped by the guard.
   */
  async function fromMemory(
    memory: RecentDocuments,
    keys: readonly string[],
    events: readonly ProjectedEvent[],
  ): Promise<WriteResult | undefined> {
    const known = new Map<string, ReadModelDocument>();
    for (const key of keys) {
      const doc = memory.get(key);
      if (doc) known.set(key, doc);
    }
    const result = projectBatch(projection, known, events);
    if (result.poisoned.length > 0) return undefined;
    if (keys.some((key) => !known.has(key) && !result.changed.has(key))) return undefined;
    const docs = [...result.changed.values()];
    const collided = await writeEach(docs, (doc) => {
      const before = known.get(doc._id);
      return before
        ? {
            replaceOne: {
              filter: { _id: doc._id, _position: before._position },
              replacement: doc,
              upsert: true,
            },
          }
        : { insertOne: { document: doc } };
    });
    for (const doc of docs) if (!collided.has(doc._id)) memory.remember(doc);
    if (collided.size === 0) return { applied: result.applied, poisoned: [] };
    memory.forget(collided);
    return undefined;
  }

  async function apply(events: readonly ProjectedEvent[]): Promise<WriteResult> {
    const keys = documentKeys(projection, events);
    if (recent && keys.length > 0) {
      const done = await fromMemory(recent, keys, events);
      if (done) return done;
    }
    const docs = keys.length === 0 ? new Map<string, ReadModelDocument>() : await load(keys);
    const result = projectBatch(projection, docs, events);
    const changed = [...result.changed.values()];
    if (held) await holdChanged(held, changed);
    else if (changed.length > 0) await write(changed);
    return { applied: result.applied, poisoned: result.poisoned };
  }

  /** A rebuild's write-out in flight: one at a time, so the next picks what it holds only once this one landed. */
  let writingOut: Promise<void> | undefined;
  let writeOutFailure: { readonly error: unknown } | undefined;

  /** Waits for the write-out in flight; its failure fails the batch that waits (the runner retries that batch). */
  async function settleWriteOut(): Promise<void> {
    await writingOut;
    const failure = writeOutFailure;
    writeOutFailure = undefined;
    if (failure) throw failure.error;
  }

  /**
   * Holds the changed documents and writes out those changed longest ago once it holds too many, while the next
   * batches are projected. Past one more write-out's worth it first waits for the one in flight, so a failed
   * write-out fails this batch before it changed anything.
   */
  async function holdChanged(memory: HeldDocuments, changed: readonly ReadModelDocument[]): Promise<void> {
    const full = memory.size + changed.length > limits.documents + limits.writeOut;
    if (writeOutFailure || (writingOut && full)) await settleWriteOut();
    for (const doc of changed) memory.hold(doc);
    if (memory.size <= limits.documents || writingOut) return;
    const out: Promise<void> = writeOut(memory, memory.oldest(limits.writeOut))
      .catch((error: unknown) => void (writeOutFailure = { error }))
      .finally(() => {
        if (writingOut === out) writingOut = undefined;
      });
    writingOut = out;
  }

  return {
    write: apply,
    forgetRemembered: () => recent?.clear(),
    flush: async () => {
      await settleWriteOut();
      if (held) await writeOut(held, held.oldest());
    },
  };

  /**
   * A rebuild's held documents, inserted or replaced in bulk; ids whose insert collided (an earlier write-out
   * landed in part before it failed) are in the store, so they are written again as replacements.
   */
  async function writeOut(memory: HeldDocuments, docs: readonly ReadModelDocument[]): Promise<void> {
    const operation = (doc: ReadModelDocument): AnyBulkWriteOperation<ReadModelDocument> =>
      memory.isStored(doc._id)
        ? { replaceOne: { filter: { _id: doc._id }, replacement: doc } }
        : { insertOne: { document: doc } };
    const writeChunk = async (chunk: readonly ReadModelDocument[]) => {
      try {
        await collection.bulkWrite(chunk.map(operation), { ordered: false });
      } catch (error) {
        if (!onlyDuplicateKeys(error)) throw error;
        // The others landed; the collided ones are in the store in an older version.
        const collided = writeErrorsOf(error).flatMap((e) => chunk[e.index] ?? []);
        memory.markStored(collided.map((doc) => doc._id));
        await collection.bulkWrite(collided.map(operation), { ordered: false });
      }
    };
    await inTurns(docs, writeChunk);
    memory.written(docs);
  }

  /**
   * A rebuild's big bulk write, in chunks one event-loop turn apart: the subscription's next events are read
   * between them, and the server answers each chunk in a short turn, serving the read in between.
   */
  async function inTurns(
    docs: readonly ReadModelDocument[],
    writeChunk: (chunk: readonly ReadModelDocument[]) => Promise<void>,
  ): Promise<void> {
    const sent: Promise<unknown>[] = [];
    for (let from = 0; from < docs.length; from += FRESH_WRITE_CHUNK) {
      if (from > 0) await nextTurn();
      sent.push(writeChunk(docs.slice(from, from + FRESH_WRITE_CHUNK)));
    }
    // Every chunk has settled before a failure is reported, so a retried batch never races one still in flight.
    const failed = (await Promise.allSettled(sent)).find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async function write(docs: readonly ReadModelDocument[]): Promise<void> {
    // The position in the filter keeps a slower writer (an old instance, a rebuild's switch-over) from
    // replacing a newer document; its upsert then collides on _id, which is the outcome wanted.
    const collided = await writeEach(docs, (doc) => ({
      replaceOne: {
        filter: { _id: doc._id, _position: { $lt: doc._position } },
        replacement: doc,
        upsert: true,
      },
    }));
    // What landed is what the store holds; a collided one is held in a newer version this writer has not seen.
    for (const doc of docs) {
      if (collided.has(doc._id)) recent?.forget([doc._id]);
      else recent?.remember(doc);
    }
  }
}
