import type { EventStoreDBClient } from '@eventstore/db-client';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from 'mongodb';
import type { SubscribeToAll } from '../../lib/all-feed';
import { startCatchUp, type AllPosition, type CatchUp, type StartFrom } from '../../lib/catch-up';
import type { StoredEvent } from '../../lib/eventstore';
import type { Logger } from '../../lib/logger';
import { SpanKind, startSpan, traceContextOf } from '../../lib/tracing';
import { canHandle, type Projection, type ProjectedEvent, type ReadModelDocument } from '../projection';
import { checkpointCommitter } from './checkpoint-committer';
import type { CheckpointStore } from './checkpoint-store';
import { subscriptionFilter, toProjectedEvent } from './event-source';
import type { PoisonLog } from './poison-log';
import { ensureIndexes, readModelWriter, type ReadModelWriter } from './read-model-writer';

/** One projection the host feeds, and where it writes. */
export interface HostedModel {
  readonly projection: Projection<ReadModelDocument>;
  /** The collection to write; the projection's name for the live model. */
  readonly collection: string;
  /** The checkpoint's id; the collection name for the live model. */
  readonly checkpointId: string;
  /** The collection starts empty and only this host writes it (a rebuild). */
  readonly fresh?: boolean;
}

export interface BatchStats {
  readonly events: number;
  readonly applied: number;
  readonly poisoned: number;
  readonly position: AllPosition;
}

export interface ProjectionHostOptions {
  readonly client: EventStoreDBClient;
  /** Where the subscription is decoded (see `CatchUpOptions.subscribe`). */
  readonly subscribe?: SubscribeToAll;
  readonly db: Db;
  readonly name: string;
  readonly models: readonly HostedModel[];
  readonly checkpoints: CheckpointStore;
  readonly poison: PoisonLog;
  readonly logger: Logger;
  readonly maxBatch?: number;
  /** See `CatchUpOptions.lingerMs`. */
  readonly lingerMs?: number;
  /** Checkpoints are stored at most this often (and at stop); a model's first one at once. */
  readonly checkpointIntervalMs?: number;
  readonly onBatch?: (model: string, stats: BatchStats) => void;
  /** After each batch every model has applied: the events it held and the position reached. */
  readonly onHandled?: (stats: { events: number; position: AllPosition }) => void;
}

export interface ProjectionHost {
  /** Where each model stands: its checkpoint, moved after every batch. */
  position(collection: string): AllPosition | undefined;
  isCaughtUp(): boolean;
  /** Resolves once the history has been handled and the subscription is live. */
  readonly caughtUp: Promise<void>;
  /** Resubscribes from the checkpoints as they are now (a model whose checkpoint is gone starts over). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Slot {
  readonly model: HostedModel;
  readonly write: ReadModelWriter;
  position: AllPosition | undefined;
}

const earliest = (positions: readonly (AllPosition | undefined)[]): StartFrom => {
  if (positions.length === 0 || positions.some((p) => p === undefined)) return 'start';
  return positions.reduce((a, b) => (b!.commit < a!.commit ? b : a))!;
};

/**
 * One `$all` subscription feeding every projection, filtered server-side to the types they handle. Each model
 * keeps its own checkpoint: the subscription starts at the earliest one, and a model skips what it has already
 * applied, so a lagging model catches up while the others wait, then they move together. An event a model cannot
 * apply is skipped and recorded (the model keeps moving); a failed write stops the batch and the runner retries it.
 */
export function startProjectionHost(options: ProjectionHostOptions): ProjectionHost {
  const { db, checkpoints, poison } = options;
  const log = options.logger.child({ host: options.name });
  const slots: Slot[] = options.models.map((model) => ({
    model,
    write: readModelWriter({
      db,
      projection: model.projection,
      collection: model.collection,
      fresh: model.fresh,
    }),
    position: undefined,
  }));
  const filter = subscriptionFilter(options.models.map((m) => m.projection));
  const committer = checkpointCommitter(checkpoints, log, options.checkpointIntervalMs);

  async function startFrom(): Promise<StartFrom> {
    // What was pending is dropped, not stored: a model whose checkpoint vanished must start over.
    committer.reset();
    await Promise.all(
      slots.map(async (slot) => {
        // A rebuild's collection gets its indexes once its documents are in (see `stop`).
        if (!slot.model.fresh)
          await ensureIndexes(db, slot.model.collection, slot.model.projection).catch((error: unknown) =>
            log.error({ err: error, collection: slot.model.collection }, 'could not create indexes'),
          );
        slot.write.forgetRemembered();
        slot.position = await checkpoints.load(slot.model.checkpointId);
      }),
    );
    return earliest(slots.map((slot) => slot.position));
  }

  /** Writes one model's share of a batch; the checkpoint follows, for all models at once. */
  async function feed(slot: Slot, events: readonly ProjectedEvent[], tail: AllPosition): Promise<BatchStats> {
    const { projection, collection } = slot.model;
    // Models take turns (the first waits one event-loop turn, the next two, ...), so the subscription's data is
    // read between their CPU-heavy shares of a big batch instead of after all of them.
    for (let turn = 0; turn <= slots.indexOf(slot); turn++) await nextTurn();
    const after = slot.position?.commit ?? -1;
    const mine = events.filter((event) => event.position > after && canHandle(projection, event.type));
    const spans = mine
      .filter((event) => typeof event.metadata.traceparent === 'string')
      .map((event) =>
        startSpan(`project ${event.type} into ${collection}`, {
          kind: SpanKind.CONSUMER,
          parent: traceContextOf(event.metadata),
          attributes: { 'messaging.message.id': event.eventId, 'shop.read_model': projection.name },
        }),
      );
    const result = await slot.write.write(mine).finally(() => spans.forEach((span) => span.end()));
    for (const { event, error } of result.poisoned) {
      log.error(
        { err: error, readModel: projection.name, eventId: event.eventId, stream: event.streamId },
        'skipping an event the read model cannot apply',
      );
    }
    await poison.record(projection.name, result.poisoned);
    return { events: mine.length, applied: result.applied, poisoned: result.poisoned.length, position: tail };
  }

  async function handle(batch: readonly StoredEvent[]): Promise<void> {
    const last = batch[batch.length - 1];
    if (last?.position === undefined) return;
    const tail = { commit: last.position, prepare: last.preparePosition ?? last.position };
    const events = batch.flatMap((stored) => toProjectedEvent(stored) ?? []);
    const fed = await Promise.allSettled(slots.map((slot) => feed(slot, events, tail)));
    // Models whose writes landed move their checkpoints together; a failed one keeps its own, and the runner
    // retries the batch from the earliest stored (the others skip what they already applied).
    const moved = slots.flatMap((slot, i) => {
      const outcome = fed[i];
      return outcome?.status === 'fulfilled' ? [{ slot, stats: outcome.value }] : [];
    });
    // A rebuild's model holds documents it has not written yet: its checkpoint is stored once they are, at stop.
    await committer.moved(
      moved
        .filter(({ slot }) => !slot.model.fresh && (slot.position?.commit ?? -1) < tail.commit)
        .map(({ slot }) => ({ name: slot.model.checkpointId, position: tail })),
    );
    for (const { slot, stats } of moved) {
      slot.position = tail;
      options.onBatch?.(slot.model.collection, stats);
    }
    const failed = fed.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    options.onHandled?.({ events: events.length, position: tail });
  }

  const start = (): CatchUp =>
    startCatchUp({
      client: options.client,
      subscribe: options.subscribe,
      name: options.name,
      logger: options.logger,
      maxBatch: options.maxBatch,
      lingerMs: options.lingerMs,
      filter,
      startFrom,
      handle,
    });
  let runner = start();
  let markCaughtUp: () => void = () => undefined;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  const follow = (current: CatchUp) => void current.caughtUp.then(() => current === runner && markCaughtUp());
  follow(runner);

  return {
    position: (collection) => slots.find((slot) => slot.model.collection === collection)?.position,
    isCaughtUp: () => runner.isCaughtUp(),
    caughtUp,
    async restart() {
      await runner.stop();
      runner = start();
      follow(runner);
    },
    async stop() {
      await runner.stop();
      // A rebuild writes its documents, then builds each index once over all of them (as mongorestore does): one
      // sort instead of a search per document inserted. A failed build fails the rebuild, so no collection is
      // switched in without the indexes its queries need.
      await Promise.all(
        slots
          .filter((slot) => slot.model.fresh)
          .map(async (slot) => {
            if (slot.position !== undefined) await slot.write.flush();
            await ensureIndexes(db, slot.model.collection, slot.model.projection);
          }),
      );
      const fresh = slots.filter((slot) => slot.model.fresh && slot.position !== undefined);
      await committer.moved(
        fresh.map((slot) => ({ name: slot.model.checkpointId, position: slot.position! })),
      );
      await committer
        .flush()
        .catch((error: unknown) =>
          log.warn(
            { err: error },
            'could not store the last checkpoints; the next start replays from older ones',
          ),
        );
    },
  };
}
