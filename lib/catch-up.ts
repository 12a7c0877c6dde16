import type { EventStoreDBClient } from '@eventstore/db-client';
import {
  clientFeed,
  type AllFeed,
  type AllPosition,
  type CatchUpFilter,
  type StartFrom,
  type SubscribeToAll,
} from './all-feed';
import type { StoredEvent } from './eventstore';
import type { Logger } from './logger';

export type { AllPosition, CatchUpFilter, StartFrom } from './all-feed';

export interface CatchUpOptions {
  readonly client: EventStoreDBClient;
  /** Where the subscription is decoded; this thread, through `client`, by default (see `threadFeed`). */
  readonly subscribe?: SubscribeToAll;
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
/** How long a short batch of history waits for more events while the server has not caught up. */
const HISTORY_LINGER_MS = 50;

/**
 * The one catch-up subscription runner: subscribes to `$all`, hands events over in batches in order, never
 * handles two batches at once (it reads on meanwhile), and resubscribes from the last handled position after any error.
 */
export function startCatchUp(options: CatchUpOptions): CatchUp {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const lingerMs = options.lingerMs ?? 0;
  const subscribe = options.subscribe ?? clientFeed(options.client);
  const log = options.logger.child({ subscription: options.name });
  let stopped = false;
  let caughtUp = false;
  let last: AllPosition | undefined;
  let subscription: AllFeed | undefined;
  let markCaughtUp: () => void = () => undefined;
  const caughtUpPromise = new Promise<void>((resolve) => (markCaughtUp = resolve));
  let done: Promise<void> = Promise.resolve();

  async function consume(): Promise<void> {
    while (!stopped) {
      const from = last ?? (await options.startFrom());
      // Resuming from a checkpoint means everything up to it is handled, even before a new event arrives.
      if (typeof from === 'object') last = from;
      const sub = subscribe(
        {
          fromPosition: from,
          resolveLinkTos: options.resolveLinkTos ?? false,
          filter: options.filter,
          checkpoints: options.onCheckpoint !== undefined,
        },
        options.onCheckpoint,
      );
      subscription = sub;
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

  /**
   * Reads on while a batch is handled, up to `maxBatch` events ahead. While the server is still sending history
   * a batch fills up to `maxBatch` (or waits `HISTORY_LINGER_MS` for more), so a long history goes in few big
   * writes; once it is live, what is buffered is handled at once, or after `lingerMs` while events arrive back to
   * back. Settles once nothing is being handled.
   */
  async function pump(sub: AllFeed): Promise<void> {
    const readAhead: StoredEvent[] = [];
    let serverCaughtUp = false;
    let waiting = false;
    let lingered = false;
    let batchStarted = 0;
    let lastFlushed = Number.NEGATIVE_INFINITY;
    let ended = false;
    let handling = false;
    let handlerDone = false;
    let failure: { error: unknown } | undefined;
    let wakeHandler = () => undefined as void;
    let wakeReader = () => undefined as void;

    /** How long a live batch may still wait for more (0: hand it over now). */
    const liveLinger = () =>
      batchStarted - lastFlushed < lingerMs ? Math.max(0, batchStarted + lingerMs - performance.now()) : 0;
    const ready = () =>
      readAhead.length >= maxBatch ||
      (readAhead.length > 0 && (ended || (waiting && (lingered || (serverCaughtUp && liveLinger() === 0)))));
    // The server's "caught up" can arrive while earlier events still wait in the client's buffer: it counts
    // only once everything before it has been handled and the reader waits on the server.
    const markLiveIfIdle = () => {
      if (!serverCaughtUp || !waiting || handling || readAhead.length > 0) return;
      caughtUp = true;
      markCaughtUp();
    };
    sub.on('caughtUp', () => {
      serverCaughtUp = true;
      markLiveIfIdle();
      wakeHandler();
    });
    sub.on('fellBehind', () => {
      serverCaughtUp = false;
      caughtUp = false;
    });

    async function handleBatches(): Promise<void> {
      for (;;) {
        while (!ready() && !ended) {
          // A live batch that became "busy" only when the batch ahead of it ended: the reader set no timer for
          // it, so the linger is timed here, or it would wait for the next event however long that takes.
          const linger = waiting && serverCaughtUp && readAhead.length > 0 ? liveLinger() : 0;
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wakeHandler = resolve;
            if (linger > 0) {
              timer = setTimeout(() => {
                lingered = true;
                resolve();
              }, linger);
            }
          });
          clearTimeout(timer);
        }
        if (readAhead.length === 0 || stopped) return;
        const batch = readAhead.splice(0, maxBatch);
        lingered = false;
        wakeReader();
        handling = true;
        try {
          await flush(batch);
        } finally {
          handling = false;
          lastFlushed = performance.now();
        }
        markLiveIfIdle();
      }
    }

    async function readAll(): Promise<void> {
      const iterator = sub[Symbol.asyncIterator]();
      while (!handlerDone) {
        if (readAhead.length >= maxBatch) {
          await new Promise<void>((resolve) => (wakeReader = resolve));
          continue;
        }
        waiting = sub.readableLength === 0;
        let linger: NodeJS.Timeout | undefined;
        if (waiting) {
          markLiveIfIdle();
          wakeHandler();
          const wait = readAhead.length === 0 ? 0 : serverCaughtUp ? liveLinger() : HISTORY_LINGER_MS;
          if (wait > 0) {
            linger = setTimeout(() => {
              lingered = true;
              wakeHandler();
            }, wait);
          }
        }
        const next = await iterator.next().finally(() => {
          clearTimeout(linger);
          waiting = false;
          lingered = false;
        });
        if (next.done || stopped) break;
        const stored = next.value;
        if (stored && readAhead.push(stored) === 1) batchStarted = performance.now();
        if (readAhead.length >= maxBatch) wakeHandler();
      }
    }

    const handler = handleBatches()
      .catch((error: unknown) => {
        failure = { error };
      })
      .finally(() => {
        // Nothing more is handled (a failed batch, or a stop): the read ends at once, even on a quiet server.
        handlerDone = true;
        wakeReader();
        if (!ended) sub.destroy();
      });
    let readFailure: { error: unknown } | undefined;
    try {
      await readAll();
    } catch (error) {
      readFailure = { error };
    } finally {
      ended = true;
      wakeHandler();
      await handler;
    }
    // A failed batch is what ended the read, if one did.
    if (failure) throw failure.error;
    if (readFailure) throw readFailure.error;
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
