import { serialize } from 'bson';
import { projectBatch, type ProjectedEvent, type Projection, type ReadModelDocument } from '../projection';

/** A read model as stored: documents by id. */
export type Store<Doc> = ReadonlyMap<string, Doc>;

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
    for (const [id, doc] of changed) store.set(id, doc);
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
    [...changed].filter((_, index) => index % 2 === 0).forEach(([id, doc]) => partial.set(id, doc));
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
