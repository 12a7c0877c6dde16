import {
  WrongExpectedVersionError,
  StreamDeletedError,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { appendEvents, readStreamOrEmpty, type NewEvent, type StoredEvent } from '../../lib/eventstore';
import type { Logger } from '../../lib/logger';
import { createLogger } from '../../lib/logger';
import type { CommandRoute } from '../decider';
import { snapshottingStore, type SnapshottingStore, type StreamAccess } from './snapshot-store';

export type ExpectedRevision = bigint | typeof NO_STREAM;

export interface LoadedStream {
  readonly events: readonly StoredEvent[];
  readonly revision: ExpectedRevision;
}

/** What a load needs to fold a stream into an aggregate's state (a `CommandRoute` is one). */
export type AggregateStream<S> = Pick<CommandRoute<S>, 'aggregate' | 'stream' | 'initialState' | 'evolve'>;

/** An aggregate's state as of `revision`, the revision its next append is guarded by. */
export interface LoadedState<S> {
  readonly state: S;
  readonly revision: ExpectedRevision;
  /** Whether a message with this causation id already appended to the stream (a redelivery). */
  hasCausation(causationId: string): boolean;
  /** The revision of the snapshot the state was folded from; undefined when the whole stream was folded. */
  readonly snapshotRevision: number | undefined;
}

/** The processors' port to aggregate streams: load them, append with the revision that was read. */
export interface AggregateStore {
  /** Every event of the stream, for readers that need the events themselves rather than a state. */
  load(stream: string): Promise<LoadedStream>;
  /** The stream folded into its state, from its latest snapshot when it has a usable one. */
  loadState<S>(route: AggregateStream<S>): Promise<LoadedState<S>>;
  /** false when the stream moved since it was read (a competing writer): reload and decide again. */
  append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<boolean>;
}

export interface EventStoreAggregateStoreOptions {
  /** `SNAPSHOT_AFTER_EVENTS`; 0 turns snapshots off. */
  readonly snapshotAfterEvents?: number;
  /** Where failed snapshot writes are reported; a processing logger at info level when not given. */
  readonly logger?: Logger;
}

export function eventStoreAggregateStore(
  client: EventStoreDBClient,
  options: EventStoreAggregateStoreOptions = {},
): SnapshottingStore {
  return snapshottingStore(eventStoreStreams(client), {
    snapshotAfterEvents: options.snapshotAfterEvents,
    logger: options.logger ?? createLogger('processing'),
  });
}

export function eventStoreStreams(client: EventStoreDBClient): StreamAccess {
  return {
    read(stream, fromRevision, maxCount) {
      const from = fromRevision === 0n ? START : fromRevision;
      return readStreamOrEmpty(client, stream, {
        fromRevision: from,
        ...(maxCount === undefined ? {} : { maxCount }),
      });
    },
    async readLast(stream) {
      try {
        const [last] = await readStreamOrEmpty(client, stream, {
          direction: BACKWARDS,
          fromRevision: END,
          maxCount: 1,
        });
        return last;
      } catch (error) {
        if (error instanceof StreamDeletedError) return undefined;
        throw error;
      }
    },
    async append(stream, events, expected) {
      try {
        const result = await appendEvents(client, stream, events, expected);
        return result.nextExpectedRevision;
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) return undefined;
        throw error;
      }
    },
    async keepOnlyLast(stream) {
      const { metadata } = await client.getStreamMetadata(stream);
      if (metadata?.maxCount !== undefined) return;
      await client.setStreamMetadata(stream, { ...metadata, maxCount: 1 });
    },
  };
}
