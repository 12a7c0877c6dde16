import type { EventStoreDBClient } from '@eventstore/db-client';
import { startCatchUp, type CatchUp } from '../../lib/catch-up';
import type { Logger } from '../../lib/logger';
import { createFactsStore, evolveFacts, type OrderFactsView } from '../facts/order-facts';
import { ORDER_STREAM_PREFIX } from '../orders/events';
import { PAYMENT_STREAM_PREFIX } from '../payments/events';
import { SHIPPING_STREAM_PREFIX } from '../shipping/events';
import { toDomainEvent } from './command-handler';

export interface FactsCache {
  readonly view: OrderFactsView;
  readonly caughtUp: Promise<void>;
  /** Waits (bounded) until the cache has folded in everything up to `position` of `$all`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

const WAIT_POLL_MS = 10;
export const FACT_STREAM_PREFIXES = [ORDER_STREAM_PREFIX, PAYMENT_STREAM_PREFIX, SHIPPING_STREAM_PREFIX];

/** The cross-aggregate cache: every domain event since the beginning, folded into facts per order. */
export function startFactsCache(client: EventStoreDBClient, logger: Logger): FactsCache {
  const store = createFactsStore();
  const runner: CatchUp = startCatchUp({
    client,
    name: 'order-facts',
    logger,
    startFrom: () => Promise.resolve('start'),
    filter: { streamNamePrefixes: FACT_STREAM_PREFIXES },
    handle: (events) => {
      for (const stored of events) {
        if (stored.type.startsWith('$')) continue;
        evolveFacts(store, toDomainEvent(stored), stored.revision);
      }
      return Promise.resolve();
    },
  });
  return {
    view: store,
    caughtUp: runner.caughtUp,
    async waitFor(position, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while ((runner.lastPosition()?.commit ?? -1) < position) {
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
      }
      return true;
    },
    stop: () => runner.stop(),
  };
}
