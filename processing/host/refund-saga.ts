import type { EventStoreDBClient } from '@eventstore/db-client';
import { startCatchUp, type CatchUp } from '../../lib/catch-up';
import type { Logger } from '../../lib/logger';
import { factsFor } from '../facts/order-facts';
import { ORDER_STREAM_PREFIX, type OrderCancelled } from '../orders/events';
import { refundsForCancelledOrder } from '../sagas/refund-on-cancel';
import type { AggregateStore } from './aggregate-store';
import { handleCommand, toDomainEvent } from './command-handler';
import type { FactsCache } from './facts-cache';

const FACTS_WAIT_MS = 5000;

/**
 * Refunds the payments of a cancelled order. It follows live events only (it starts at the end of `$all`), so
 * replaying history never refunds twice. Every processor runs it; the refunds' event ids derive from the cancel
 * event, so two processors refunding the same payment at the same revision append it once.
 */
export function startRefundSaga(
  client: EventStoreDBClient,
  store: AggregateStore,
  facts: FactsCache,
  logger: Logger,
  now: () => Date = () => new Date(),
): CatchUp {
  const log = logger.child({ saga: 'refund-on-cancel' });
  return startCatchUp({
    client,
    name: 'refund-on-cancel',
    logger,
    startFrom: () => Promise.resolve('end'),
    filter: { streamNamePrefixes: [ORDER_STREAM_PREFIX] },
    handle: async (events) => {
      for (const stored of events) {
        if (stored.type !== 'OrderCancelled') continue;
        const cancelled = toDomainEvent(stored) as OrderCancelled;
        if (stored.position !== undefined) await facts.waitFor(stored.position, FACTS_WAIT_MS);
        const orderFacts = factsFor(facts.view, cancelled.data.orderId);
        if (!orderFacts) continue;
        const correlationId =
          typeof stored.metadata.$correlationId === 'string'
            ? stored.metadata.$correlationId
            : stored.eventId;
        for (const refund of refundsForCancelledOrder(cancelled, orderFacts)) {
          const outcome = await handleCommand(
            store,
            refund,
            { causationId: stored.eventId, correlationId },
            () => ({
              now: now().toISOString(),
              facts: facts.view,
            }),
          );
          log.info(
            { correlationId, paymentId: refund.paymentId, outcome: outcome.kind },
            'refund for cancelled order',
          );
        }
      }
    },
  });
}
