import type { EventStoreDBClient } from '@eventstore/db-client';
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Db } from 'mongodb';
import { startCatchUp, type AllPosition, type CatchUp } from '../../lib/catch-up';
import type { Logger } from '../../lib/logger';
import { SpanKind, startSpan, traceContextOf } from '../../lib/tracing';
import { MalformedEventError } from '../event-data';
import {
  documentKeys,
  projectBatch,
  type Projection,
  type ProjectedEvent,
  type ReadModelDocument,
} from '../projection';
import type { CheckpointStore } from './checkpoint-store';
import { subscriptionFor, toProjectedEvent, type SourceNames } from './event-source';

export interface ProjectorOptions {
  readonly client: EventStoreDBClient;
  readonly db: Db;
  readonly projection: Projection<ReadModelDocument>;
  readonly checkpoints: CheckpointStore;
  readonly names: SourceNames;
  readonly logger: Logger;
  /** Collection to write; the projection's name unless rebuilding into another one. */
  readonly collection?: string;
  /** Checkpoint id; the collection name unless given. */
  readonly checkpointId?: string;
  readonly maxBatch?: number;
  readonly onBatch?: (stats: { events: number; applied: number; position: AllPosition }) => void;
  readonly onMalformed?: (event: ProjectedEvent) => void;
  /** How often to check that the read model's data still exists; off when absent. */
  readonly lossCheckMs?: number;
}

const DUPLICATE_KEY = 11000;

function onlyDuplicateKeys(error: unknown): boolean {
  if (!(error instanceof MongoBulkWriteError)) return false;
  const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return errors.length > 0 && errors.every((e: { code?: unknown }) => e.code === DUPLICATE_KEY);
}

export interface Projector {
  readonly name: string;
  readonly collection: string;
  readonly runner: CatchUp;
  stop(): Promise<void>;
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

/**
 * The one checkpointed projector: a catch-up subscription from the read model's checkpoint, applying each batch
 * to the documents it touches (one bulk write), then saving the checkpoint. A crash between the two replays the
 * batch, which the projections' position guard makes harmless.
 */
export function startProjector(options: ProjectorOptions): Projector {
  const { db, projection, checkpoints, names } = options;
  const collectionName = options.collection ?? projection.name;
  const checkpointId = options.checkpointId ?? collectionName;
  const collection = db.collection<ReadModelDocument>(collectionName);
  const subscription = subscriptionFor(projection, names);
  const log = options.logger.child({ readModel: projection.name, collection: collectionName });

  /** Drops events that break their contract, so one bad event is logged and skipped, not a stalled model. */
  function wellFormed(events: readonly ProjectedEvent[]): ProjectedEvent[] {
    try {
      documentKeys(projection, events);
      return [...events];
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      return events.filter((event) => {
        try {
          documentKeys(projection, [event]);
          return true;
        } catch (eventError) {
          if (!(eventError instanceof MalformedEventError)) throw eventError;
          log.error(
            { err: eventError, eventId: event.eventId, stream: event.streamId },
            'skipping malformed event',
          );
          options.onMalformed?.(event);
          return false;
        }
      });
    }
  }

  async function apply(batch: readonly ProjectedEvent[]): Promise<number> {
    const events = wellFormed(batch);
    const keys = documentKeys(projection, events);
    if (keys.length === 0) return 0;
    const stored = await collection.find({ _id: { $in: keys } }).toArray();
    const result = projectBatch(projection, new Map(stored.map((doc) => [doc._id, doc])), events);
    if (result.changed.size === 0) return result.applied;
    // The position in the filter keeps a slower writer (an old instance, a rebuild's switch-over) from
    // replacing a newer document; its upsert then collides on _id, which is the outcome wanted.
    const writes: AnyBulkWriteOperation<ReadModelDocument>[] = [...result.changed.values()].map((doc) => ({
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
    return result.applied;
  }

  const startRunner = () =>
    startCatchUp({
      client: options.client,
      name: `projector:${collectionName}`,
      logger: options.logger,
      maxBatch: options.maxBatch,
      filter: subscription.filter,
      resolveLinkTos: subscription.resolveLinkTos,
      startFrom: async () => (await checkpoints.load(checkpointId)) ?? 'start',
      handle: async (batch) => {
        const events = batch.flatMap((stored) => toProjectedEvent(stored, names) ?? []);
        // Each event's trace goes on into this read-model write; the spans end once the batch is written.
        const spans = events
          .filter((event) => typeof event.metadata.traceparent === 'string')
          .map((event) =>
            startSpan(`project ${event.type} into ${collectionName}`, {
              kind: SpanKind.CONSUMER,
              parent: traceContextOf(event.metadata),
              attributes: { 'messaging.message.id': event.eventId, 'shop.read_model': projection.name },
            }),
          );
        const applied = await apply(events).finally(() => spans.forEach((span) => span.end()));
        const tail = batch[batch.length - 1];
        if (tail?.position === undefined) return;
        const position = { commit: tail.position, prepare: tail.preparePosition ?? tail.position };
        await checkpoints.save(checkpointId, position);
        options.onBatch?.({ events: events.length, applied, position });
      },
    });

  const indexes = () =>
    ensureIndexes(db, collectionName, projection).catch((error: unknown) =>
      log.error({ err: error }, 'could not create indexes'),
    );
  void indexes();
  let runner = startRunner();

  // Read models are disposable: when the checkpoint vanished under a running projector (the database was
  // dropped or restored empty), start again from the beginning of the history.
  let checking = false;
  const watchdog = options.lossCheckMs
    ? setInterval(() => {
        if (checking || runner.lastPosition() === undefined) return;
        checking = true;
        void (async () => {
          if ((await checkpoints.load(checkpointId)) !== undefined) return;
          log.warn('read model data is gone; rebuilding it from the history');
          await runner.stop();
          await indexes();
          runner = startRunner();
        })()
          .catch(() => undefined)
          .finally(() => (checking = false));
      }, options.lossCheckMs)
    : undefined;
  watchdog?.unref();

  return {
    name: projection.name,
    collection: collectionName,
    get runner() {
      return runner;
    },
    async stop() {
      clearInterval(watchdog);
      await runner.stop();
    },
  };
}
