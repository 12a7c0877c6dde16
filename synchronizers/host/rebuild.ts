import type { EventStoreDBClient } from '@eventstore/db-client';
import { isDeepStrictEqual } from 'node:util';
import type { Db } from 'mongodb';
import type { Logger } from '../../lib/logger';
import type { Projection, ReadModelDocument } from '../projection';
import { mongoCheckpointStore } from './checkpoint-store';
import type { SourceNames } from './event-source';
import { startProjector } from './projector';

export interface RebuildOptions {
  readonly client: EventStoreDBClient;
  readonly db: Db;
  readonly projection: Projection<ReadModelDocument>;
  readonly names: SourceNames;
  readonly logger: Logger;
  /** Called after each batch with the `$all` commit position reached (for a progress display). */
  readonly onProgress?: (position: number) => void;
}

export interface ScratchResult {
  readonly collection: string;
  readonly events: number;
  readonly documents: number;
  /** `$all` commit position the scratch copy reflects. */
  readonly position: number;
  readonly seconds: number;
}

/**
 * Projects the whole history into a fresh collection (`<name>__<suffix>`) until the subscription is live,
 * then stops. The live read model is not touched.
 */
export async function projectIntoScratch(options: RebuildOptions, suffix: string): Promise<ScratchResult> {
  const { db, projection } = options;
  const collection = `${projection.name}__${suffix}`;
  const checkpoints = mongoCheckpointStore(db);
  await db
    .collection(collection)
    .drop()
    .catch(() => undefined);
  await checkpoints.remove(collection);
  const started = Date.now();
  let events = 0;
  const projector = startProjector({
    ...options,
    checkpoints,
    collection,
    onBatch: (stats) => {
      events += stats.events;
      options.onProgress?.(stats.position.commit);
    },
  });
  await projector.runner.caughtUp;
  await projector.stop();
  const position = projector.runner.lastPosition()?.commit ?? -1;
  await checkpoints.remove(collection);
  const documents = await db.collection(collection).countDocuments();
  return { collection, events, documents, position, seconds: (Date.now() - started) / 1000 };
}

/**
 * Blue-green rebuild: project the history into a new collection, then switch it in for the live one in one
 * rename and move the checkpoint with it. A synchronizer still running on the old copy carries on in the new
 * one: its writes of events already applied are skipped by the position guard.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<ScratchResult> {
  const scratch = await projectIntoScratch(options, 'rebuild');
  const live = options.projection.name;
  await options.db.renameCollection(scratch.collection, live, { dropTarget: true });
  if (scratch.position >= 0) {
    await mongoCheckpointStore(options.db).save(live, {
      commit: scratch.position,
      prepare: scratch.position,
    });
  }
  options.logger.info({ readModel: live, ...scratch }, 'read model rebuilt and switched over');
  return { ...scratch, collection: live };
}

export interface Difference {
  readonly id: string;
  readonly problem: 'missing in live' | 'only in live' | 'different';
  readonly live?: unknown;
  readonly rebuilt?: unknown;
}

export interface VerifyResult {
  readonly checked: number;
  readonly differences: readonly Difference[];
  readonly position: number;
}

/**
 * Rebuilds into a scratch collection and compares it with the live one. Live documents that moved past the
 * scratch copy's position while it was being built are newer, not wrong, and are left out of the comparison.
 */
export async function verifyReadModel(options: RebuildOptions): Promise<VerifyResult> {
  const scratch = await projectIntoScratch(options, 'verify');
  const live = options.db.collection<ReadModelDocument>(options.projection.name);
  const rebuilt = options.db.collection<ReadModelDocument>(scratch.collection);
  const differences: Difference[] = [];
  const seen = new Set<string>();
  let checked = 0;
  try {
    for await (const doc of rebuilt.find({})) {
      seen.add(doc._id);
      const current = await live.findOne({ _id: doc._id });
      if (current && current._position > scratch.position) continue;
      checked++;
      if (!current) differences.push({ id: doc._id, problem: 'missing in live', rebuilt: doc });
      else if (!isDeepStrictEqual(current, doc))
        differences.push({ id: doc._id, problem: 'different', live: current, rebuilt: doc });
    }
    for await (const doc of live.find({ _position: { $lte: scratch.position } })) {
      if (seen.has(doc._id)) continue;
      checked++;
      differences.push({ id: doc._id, problem: 'only in live', live: doc });
    }
  } finally {
    await rebuilt.drop().catch(() => undefined);
  }
  return { checked, differences, position: scratch.position };
}
