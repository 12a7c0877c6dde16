import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Db } from 'mongodb';
import type { SubscribeToAll } from '../../lib/all-feed';
import type { Logger } from '../../lib/logger';
import type { Projection, ReadModelDocument } from '../projection';
import { diffReadModels, type ReadModelDiff } from '../read-model-diff';
import { mongoCheckpointStore } from './checkpoint-store';
import { mongoPoisonLog } from './poison-log';
import { startProjectionHost } from './projection-host';

export interface RebuildOptions {
  readonly client: EventStoreDBClient;
  /**
   * Where the history is decoded: this thread through `client` by default; `threadFeed(connectionString)` moves
   * it to a thread of its own, so decoding and projecting use two cores.
   */
  readonly subscribe?: SubscribeToAll;
  readonly db: Db;
  readonly projections: readonly Projection<ReadModelDocument>[];
  readonly logger: Logger;
  /** Called after each batch with the events projected so far and the `$all` commit position reached. */
  readonly onProgress?: (progress: { events: number; position: number }) => void;
  readonly maxBatch?: number;
}

export interface ScratchResult {
  readonly readModel: string;
  readonly collection: string;
  readonly events: number;
  readonly documents: number;
  /** `$all` commit position the scratch copy reflects. */
  readonly position: number;
  readonly seconds: number;
}

/** Big batches: a rebuild reads the whole history, and each batch costs one bulk write per model. */
export const REBUILD_MAX_BATCH = 2000;

/**
 * Projects the whole history into fresh collections (`<name>__<suffix>`), every model fed by one `$all`
 * subscription, until it is live; then stops. The live read models are not touched.
 */
export async function projectIntoScratch(options: RebuildOptions, suffix: string): Promise<ScratchResult[]> {
  const { db, projections } = options;
  const checkpoints = mongoCheckpointStore(db);
  const collectionOf = (projection: Projection<ReadModelDocument>) => `${projection.name}__${suffix}`;
  for (const projection of projections) {
    await db
      .collection(collectionOf(projection))
      .drop()
      .catch(() => undefined);
    await checkpoints.remove(collectionOf(projection));
  }
  const started = Date.now();
  const events = new Map<string, number>();
  let total = 0;
  const host = startProjectionHost({
    client: options.client,
    subscribe: options.subscribe,
    db,
    name: `rebuild:${suffix}`,
    models: projections.map((projection) => ({
      projection,
      collection: collectionOf(projection),
      checkpointId: collectionOf(projection),
      fresh: true,
    })),
    checkpoints,
    poison: mongoPoisonLog(db),
    logger: options.logger,
    maxBatch: options.maxBatch ?? REBUILD_MAX_BATCH,
    onBatch: (collection, stats) => events.set(collection, (events.get(collection) ?? 0) + stats.events),
    onHandled: (stats) => {
      total += stats.events;
      options.onProgress?.({ events: total, position: stats.position.commit });
    },
  });
  await host.caughtUp;
  await host.stop();
  const seconds = (Date.now() - started) / 1000;
  return Promise.all(
    projections.map(async (projection) => {
      const collection = collectionOf(projection);
      await checkpoints.remove(collection);
      return {
        readModel: projection.name,
        collection,
        events: events.get(collection) ?? 0,
        documents: await db.collection(collection).countDocuments(),
        position: host.position(collection)?.commit ?? -1,
        seconds,
      };
    }),
  );
}

/**
 * Blue-green rebuild: project the history into new collections, then switch each in for the live one in one
 * rename and move its checkpoint with it. A synchronizer still running on the old copy carries on in the new
 * one: its writes of events already applied are skipped by the position guard.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<ScratchResult[]> {
  const scratches = await projectIntoScratch(options, 'rebuild');
  const checkpoints = mongoCheckpointStore(options.db);
  for (const scratch of scratches) {
    await options.db.renameCollection(scratch.collection, scratch.readModel, { dropTarget: true });
    if (scratch.position >= 0) {
      await checkpoints.save(scratch.readModel, { commit: scratch.position, prepare: scratch.position });
    }
    options.logger.info(
      { ...scratch, collection: scratch.readModel },
      'read model rebuilt and switched over',
    );
  }
  return scratches.map((scratch) => ({ ...scratch, collection: scratch.readModel }));
}

export interface VerifyResult {
  readonly readModel: string;
  readonly diff: ReadModelDiff;
  readonly position: number;
}

/**
 * Rebuilds into scratch collections and compares each with the live one. Live documents that moved past the
 * scratch copy's position while it was being built are newer, not wrong, and are left out of the comparison.
 */
export async function verifyReadModels(options: RebuildOptions): Promise<VerifyResult[]> {
  const scratches = await projectIntoScratch(options, 'verify');
  const results: VerifyResult[] = [];
  for (const scratch of scratches) {
    const rebuilt = options.db.collection<ReadModelDocument>(scratch.collection);
    try {
      const live = await options.db.collection<ReadModelDocument>(scratch.readModel).find({}).toArray();
      const diff = diffReadModels(live, await rebuilt.find({}).toArray(), scratch.position);
      results.push({ readModel: scratch.readModel, diff, position: scratch.position });
    } finally {
      await rebuilt.drop().catch(() => undefined);
    }
  }
  return results;
}
