import type { Db } from 'mongodb';
import { PROJECTION_POISON_COLLECTION, type PoisonDocument } from '../../contracts/read-models/poison';
import type { PoisonedEvent } from '../projection';

/** Where skipped events are recorded for operators. */
export interface PoisonLog {
  record(readModel: string, poisoned: readonly PoisonedEvent[]): Promise<void>;
  list(readModel?: string): Promise<PoisonDocument[]>;
}

const MAX_ERROR_LENGTH = 500;

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

export function toPoisonDocument(
  readModel: string,
  { event, error }: PoisonedEvent,
  at: Date,
): PoisonDocument {
  return {
    _id: `${readModel}/${event.eventId}`,
    readModel,
    eventId: event.eventId,
    eventType: event.type,
    streamId: event.streamId,
    position: event.position,
    error: describe(error),
    recordedAt: at,
  };
}

export function mongoPoisonLog(db: Db, now: () => Date = () => new Date()): PoisonLog {
  const collection = db.collection<PoisonDocument>(PROJECTION_POISON_COLLECTION);
  return {
    async record(readModel, poisoned) {
      if (poisoned.length === 0) return;
      const at = now();
      // The first record stands: a replay of the same event adds nothing.
      await collection.bulkWrite(
        poisoned.map((entry) => {
          const doc = toPoisonDocument(readModel, entry, at);
          return { updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: doc }, upsert: true } };
        }),
        { ordered: false },
      );
    },
    list(readModel) {
      return collection
        .find(readModel === undefined ? {} : { readModel })
        .sort({ position: 1 })
        .toArray();
    },
  };
}
