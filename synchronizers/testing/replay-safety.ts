import { deserialize, serialize } from 'bson';
import { projectBatch, type ProjectedEvent, type Projection, type ReadModelDocument } from '../projection';

/** A read model as stored: documents by id. */
export type Store<Doc> = ReadonlyMap<string, Doc>;

/** A document as it comes back from MongoDB: through BSON and back. */
export function stored<Doc extends ReadModelDocument>(doc: Doc): Doc {
  return deserialize(serialize(doc)) as Doc;
}

/** Runs events through `projectBatch` in batches of `batchSize`, writing every changed document after each batch. */
export function runBatches<Doc extends ReadModelDocument>(
  projection: Projection<Doc>,
  start: Store<Doc>,
  events: readonly ProjectedEvent[],
  batchSize = Number.MAX_SAFE_INTEGER,
): Map<string, Doc> {
  const store = new Map(start);
  for (let from = 0; from < events.length; from += batchSize) {
    const { changed } = projectBatch(projection, store, events.slice(from, from + batchSize));
    for (const [id, doc] of changed) store.set(id, stored(doc));
  }
  return store;
}

/** The store as MongoDB would hold it: each document's BSON bytes, by id, ids sorted. */
export function storeBytes(store: Store<ReadModelDocument>): string {
  return [...store.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, doc]) => `${id}=${Buffer.from(serialize(doc)).toString('hex')}`)
    .join('\n');
}

/**
 * Every way a synchronizer can see a history again, checked against one straight run. Returns what went wrong
 * (empty when replay-safe):
 * - the checkpoint lags the documents: documents hold events [0, j), replay resumes at k ≤ j;
 * - a runner died mid-batch: of one batch's changed documents only every other one was written, then the batch
 *   was replayed;
 * - any batch size gives the same read model.
 */
export function replayViolations<Doc extends ReadModelDocument>(
  projection: Projection<Doc>,
  events: readonly ProjectedEvent[],
): string[] {
  const empty = new Map<string, Doc>();
  const expected = storeBytes(runBatches(projection, empty, events));
  const violations: string[] = [];
  const check = (what: string, store: Store<Doc>): void => {
    if (storeBytes(store) !== expected) violations.push(what);
  };
  for (let j = 0; j <= events.length; j += 1) {
    const written = runBatches(projection, empty, events.slice(0, j));
    for (let k = 0; k <= j; k += 1) {
      check(
        `documents at ${j} events, replay from event ${k}`,
        runBatches(projection, written, events.slice(k)),
      );
    }
    const { changed } = projectBatch(projection, written, events.slice(j));
    const partial = new Map(written);
    [...changed].filter((_, index) => index % 2 === 0).forEach(([id, doc]) => partial.set(id, stored(doc)));
    check(
      `killed after a partial write of the batch from event ${j}`,
      runBatches(projection, partial, events.slice(j)),
    );
  }
  for (let size = 1; size <= events.length; size += 1) {
    check(`batches of ${size}`, runBatches(projection, empty, events, size));
  }
  return violations;
}

/** A small deterministic PRNG (mulberry32), so a failing seed can be rerun. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A synchronizer that keeps dying: random batch sizes, and after a third of the batches it dies having written
 * a random subset of the batch's documents and no checkpoint, then resumes from the last checkpoint.
 */
export function crashyRun<Doc extends ReadModelDocument>(
  projection: Projection<Doc>,
  events: readonly ProjectedEvent[],
  random: () => number,
  maxBatch = 5,
): Map<string, Doc> {
  const store = new Map<string, Doc>();
  let checkpoint = 0;
  while (checkpoint < events.length) {
    const batch = events.slice(checkpoint, checkpoint + 1 + Math.floor(random() * maxBatch));
    const { changed } = projectBatch(projection, store, batch);
    const dies = random() < 1 / 3;
    for (const [id, doc] of changed) {
      if (!dies || random() < 0.5) store.set(id, stored(doc));
    }
    if (!dies) checkpoint += batch.length;
  }
  return store;
}
