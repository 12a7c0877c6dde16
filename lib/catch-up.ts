import {
  eventTypeFilter,
  streamNameFilter,
  START,
  END,
  type AllStreamSubscription,
} from '@eventstore/db-client';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { toStoredEvent, type StoredEvent } from './eventstore';
import type { Logger } from './logger';

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

export interface CatchUpOptions {
  readonly client: EventStoreDBClient;
  readonly name: string;
  readonly logger: Logger;
  /** Asked at every (re)subscription, so a restart resumes from what was really handled. */
  readonly startFrom: () => Promise<StartFrom>;
  readonly filter?: CatchUpFilter;
  readonly resolveLinkTos?: boolean;
  readonly maxBatch?: number;
  /**
   * While events arrive back to back (the last batch was handled less than this long ago), a batch waits up to
   * this long from its first event for more before it is handed over: fewer, larger writes under load, and no
   * wait for an event that arrives alone. 0 (the default) hands over whatever is buffered at once.
   */
  readonly lingerMs?: number;
  /** Handles events in `$all` order; a batch is done only when this resolves. */
  readonly handle: (events: readonly StoredEvent[]) => Promise<void>;
  /**
   * The server moved past events the filter excluded. For progress reporting only: the client may call it while
   * earlier events are still being handled, so it must never be saved as a checkpoint.
   */
  readonly onCheckpoint?: (position: AllPosition) => void;
}

export interface CatchUp {
  readonly isCaughtUp: () => boolean;
  readonly lastPosition: () => AllPosition | undefined;
  /** Resolves once history has been handled and the subscription is live. */
  readonly caughtUp: Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_MAX_BATCH = 500;
const RESUBSCRIBE_DELAY_MS = 1000;
const CHECKPOINT_INTERVAL = 1;

function toReadPosition(from: StartFrom) {
  if (from === 'start') return START;
  if (from === 'end') return END;
  return { commit: BigInt(from.commit), prepare: BigInt(from.prepare) };
}

function toFilter(filter: CatchUpFilter | undefined, onCheckpoint: CatchUpOptions['onCheckpoint']) {
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

/** True when `next` settles within `ms`. */
async function arrivesWithin(next: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      next.then(
        () => true,
        () => true,
      ),
      elapsed,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The one catch-up subscription runner: subscribes to `$all`, hands events over in batches in order, never
 * handles two batches at once, and resubscribes from the last handled position after any error.
 */
export function startCatchUp(options: CatchUpOptions): CatchUp {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const lingerMs = options.lingerMs ?? 0;
  const log = options.logger.child({ subscription: options.name });
  let stopped = false;
  let caughtUp = false;
  let serverCaughtUp = false;
  let waiting = false;
  let last: AllPosition | undefined;
  let subscription: AllStreamSubscription | undefined;
  let markCaughtUp: () => void = () => undefined;
  const caughtUpPromise = new Promise<void>((resolve) => (markCaughtUp = resolve));
  let done: Promise<void> = Promise.resolve();

  async function consume(): Promise<void> {
    while (!stopped) {
      const from = last ?? (await options.startFrom());
      // Resuming from a checkpoint means everything up to it is handled, even before a new event arrives.
      if (typeof from === 'object') last = from;
      const sub = options.client.subscribeToAll({
        fromPosition: toReadPosition(from),
        resolveLinkTos: options.resolveLinkTos ?? false,
        filter: toFilter(options.filter, options.onCheckpoint),
      });
      subscription = sub;
      // The server's "caught up" can arrive while earlier events still wait in the client's buffer: it counts
      // only once everything before it has been handled, i.e. when the pump waits on an empty buffer.
      sub.on('caughtUp', () => {
        serverCaughtUp = true;
        if (waiting && sub.readableLength === 0) markLive();
      });
      sub.on('fellBehind', () => {
        serverCaughtUp = false;
        caughtUp = false;
      });
      try {
        await pump(sub);
      } catch (error) {
        if (stopped) break;
        log.warn({ err: error }, 'subscription dropped; resubscribing');
        await new Promise((r) => setTimeout(r, RESUBSCRIBE_DELAY_MS));
      } finally {
        await sub.unsubscribe().catch(() => undefined);
      }
    }
  }

  async function pump(sub: AllStreamSubscription): Promise<void> {
    const batch: StoredEvent[] = [];
    const iterator = sub[Symbol.asyncIterator]();
    let ahead: ReturnType<typeof iterator.next> | undefined;
    let aheadArrived = false;
    let batchStarted = 0;
    let lastFlushed = Number.NEGATIVE_INFINITY;
    for (;;) {
      // Checked before asking for the next event, which takes it out of the buffer (as one that came while the
      // batch lingered already has).
      if (!aheadArrived && batch.length === 0 && serverCaughtUp && sub.readableLength === 0) markLive();
      // An event asked for while the batch lingered is the next one, whether or not it came in time.
      const asked = ahead ?? iterator.next();
      ahead = undefined;
      aheadArrived = false;
      waiting = batch.length === 0;
      const next = await asked.finally(() => (waiting = false));
      if (next.done || stopped) break;
      const stored = toStoredEvent(next.value);
      if (stored) {
        if (batch.length === 0) batchStarted = performance.now();
        batch.push(stored);
      }
      // Flush when full, or when nothing more is buffered, so live events are handled at once.
      if (batch.length >= maxBatch || sub.readableLength === 0) {
        if (batch.length === 0) continue;
        const wait = batchStarted + lingerMs - performance.now();
        if (batch.length < maxBatch && wait > 0 && batchStarted - lastFlushed < lingerMs) {
          const asking = iterator.next();
          ahead = asking;
          aheadArrived = false;
          asking.then(
            () => ahead === asking && (aheadArrived = true),
            () => undefined,
          );
          if (await arrivesWithin(asking, wait)) continue;
        }
        await flush(batch.splice(0, batch.length));
        lastFlushed = performance.now();
      }
    }
    if (batch.length > 0) await flush(batch);
  }

  function markLive(): void {
    caughtUp = true;
    markCaughtUp();
  }

  async function flush(events: StoredEvent[]): Promise<void> {
    await options.handle(events);
    const tail = events[events.length - 1];
    if (tail?.position !== undefined) {
      last = { commit: tail.position, prepare: tail.preparePosition ?? tail.position };
    }
  }

  done = consume().catch((error: unknown) => log.error({ err: error }, 'catch-up runner stopped'));

  return {
    isCaughtUp: () => caughtUp,
    lastPosition: () => last,
    caughtUp: caughtUpPromise,
    async stop() {
      stopped = true;
      await subscription?.unsubscribe().catch(() => undefined);
      await done;
    },
  };
}
