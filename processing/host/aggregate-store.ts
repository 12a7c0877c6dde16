import {
  WrongExpectedVersionError,
  StreamNotFoundError,
  NO_STREAM,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { appendEvents, toStoredEvent, type NewEvent, type StoredEvent } from '../../lib/eventstore';

export type ExpectedRevision = bigint | typeof NO_STREAM;

export interface LoadedStream {
  readonly events: readonly StoredEvent[];
  readonly revision: ExpectedRevision;
}

/** The processors' port to aggregate streams: read them whole, append with the revision that was read. */
export interface AggregateStore {
  load(stream: string): Promise<LoadedStream>;
  /** false when the stream moved since it was read (a competing writer): reload and decide again. */
  append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<boolean>;
}

export function eventStoreAggregateStore(client: EventStoreDBClient): AggregateStore {
  return {
    async load(stream) {
      const events: StoredEvent[] = [];
      try {
        for await (const resolved of client.readStream(stream)) {
          const stored = toStoredEvent(resolved);
          if (stored) events.push(stored);
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) return { events: [], revision: NO_STREAM };
        throw error;
      }
      const last = events[events.length - 1];
      return { events, revision: last === undefined ? NO_STREAM : BigInt(last.revision) };
    },
    async append(stream, events, expected) {
      try {
        await appendEvents(client, stream, events, expected);
        return true;
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) return false;
        throw error;
      }
    },
  };
}
