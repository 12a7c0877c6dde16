import {
  eventTypeFilter,
  streamNameFilter,
  START,
  END,
  type EventStoreDBClient,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { toStoredEvent, type StoredEvent } from './eventstore';

/** A place in `$all`. Numbers, because they are stored in MongoDB and compared in guards. */
export interface AllPosition {
  readonly commit: number;
  readonly prepare: number;
}

export type StartFrom = AllPosition | 'start' | 'end';

export interface CatchUpFilter {
  readonly eventTypeRegex?: string;
  readonly streamNameRegex?: string;
  readonly streamNamePrefixes?: readonly string[];
}

/** One `$all` subscription as the catch-up runner asks for it; plain data, so it can cross to a worker thread. */
export interface FeedRequest {
  readonly fromPosition: StartFrom;
  readonly filter?: CatchUpFilter;
  readonly resolveLinkTos: boolean;
  /** Asks the server for checkpoints (positions reached past events the filter excluded). */
  readonly checkpoints: boolean;
}

export type FeedSignal = 'caughtUp' | 'fellBehind';

/**
 * A running `$all` subscription as the catch-up runner reads it: events in `$all` order (undefined for an item
 * that carries none), the server's caught-up / fell-behind signals, and how many events wait to be read.
 * A signal never overtakes the events the server sent before it: they are waiting already when it comes.
 */
export interface AllFeed extends AsyncIterable<StoredEvent | undefined> {
  readonly readableLength: number;
  on(signal: FeedSignal, listener: () => void): unknown;
  /** Ends the subscription on the server; the iteration then ends. */
  unsubscribe(): Promise<void>;
  /** Ends the iteration at once. */
  destroy(): void;
}

export type SubscribeToAll = (
  request: FeedRequest,
  onCheckpoint?: (position: AllPosition) => void,
) => AllFeed;

const CHECKPOINT_INTERVAL = 1;

function toReadPosition(from: StartFrom) {
  if (from === 'start') return START;
  if (from === 'end') return END;
  return { commit: BigInt(from.commit), prepare: BigInt(from.prepare) };
}

function toFilter(
  filter: CatchUpFilter | undefined,
  onCheckpoint: ((position: AllPosition) => void) | undefined,
) {
  if (!filter) return undefined;
  const checkpointReached = onCheckpoint
    ? (_s: unknown, p: { commit: bigint; prepare: bigint }) => {
        onCheckpoint({ commit: Number(p.commit), prepare: Number(p.prepare) });
      }
    : undefined;
  const common = { checkpointInterval: CHECKPOINT_INTERVAL, checkpointReached };
  if (filter.eventTypeRegex) return eventTypeFilter({ regex: filter.eventTypeRegex, ...common });
  if (filter.streamNameRegex) return streamNameFilter({ regex: filter.streamNameRegex, ...common });
  if (filter.streamNamePrefixes)
    return streamNameFilter({ prefixes: [...filter.streamNamePrefixes], ...common });
  return undefined;
}

/** Starts the subscription a request describes on this client (the official client's own object). */
export function subscribeWithClient(
  client: EventStoreDBClient,
  request: FeedRequest,
  onCheckpoint?: (position: AllPosition) => void,
) {
  return client.subscribeToAll({
    fromPosition: toReadPosition(request.fromPosition),
    resolveLinkTos: request.resolveLinkTos,
    filter: toFilter(request.filter, request.checkpoints ? onCheckpoint : undefined),
  });
}

/** Subscriptions decoded on this thread, by this client. */
export function clientFeed(client: EventStoreDBClient): SubscribeToAll {
  return (request, onCheckpoint) => {
    const sub = subscribeWithClient(client, request, onCheckpoint);
    return {
      [Symbol.asyncIterator]() {
        const iterator = sub[Symbol.asyncIterator]() as AsyncIterator<ResolvedEvent>;
        return {
          next: async () => {
            const next = await iterator.next();
            return next.done ? next : { done: false, value: toStoredEvent(next.value) };
          },
          return: async () => {
            await iterator.return?.();
            return { done: true, value: undefined };
          },
        };
      },
      get readableLength() {
        return sub.readableLength;
      },
      on: (signal, listener) => sub.on(signal, listener),
      unsubscribe: () => sub.unsubscribe(),
      destroy: () => sub.destroy(),
    };
  };
}
