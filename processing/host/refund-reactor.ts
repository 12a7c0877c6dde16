import { eventTypeFilter, type EventStoreDBClient } from '@eventstore/db-client';
import type { StoredEvent } from '../../lib/eventstore';
import type { Logger } from '../../lib/logger';
import {
  startPersistentConsumer,
  type PersistentConsumer,
  type Settlement,
} from '../../lib/persistent-consumer';
import { refundsForCancelledOrder } from '../sagas/refund-on-cancel';
import type { AggregateStore } from './aggregate-store';
import { handleCommand, toDomainEvent } from './command-handler';
import { retryDelayMs, serverMaxRetryCount, waitedMs, type RetryPolicy } from './retry-policy';

export interface RefundReactorOptions {
  readonly client: EventStoreDBClient;
  readonly store: AggregateStore;
  readonly logger: Logger;
  readonly group: string;
  readonly policy: RetryPolicy;
  readonly concurrency: number;
  readonly messageTimeoutMs: number;
  readonly now?: () => Date;
}

/**
 * Carries the refunds a cancellation decided to the payments' streams. A persistent-subscription group on `$all`
 * (filtered to OrderCancelled) gives what a reactor needs: a server-side checkpoint, so an order cancelled while
 * no processor ran is refunded once one starts; competing consumers across processors; retry and park like any
 * message. Each refund's events derive their ids from the RefundApplied it carries, so it happens once.
 */
export function startRefundReactor(options: RefundReactorOptions): PersistentConsumer {
  const { store, policy } = options;
  const now = options.now ?? (() => new Date());
  const log = options.logger.child({ reactor: 'refund-on-cancel' });

  async function handle(stored: StoredEvent, retryCount: number): Promise<Settlement> {
    const cancelled = toDomainEvent(stored);
    if (cancelled.type !== 'OrderCancelled') return { action: 'ack' };
    const { orderId } = cancelled.data;
    const correlationId =
      typeof stored.metadata.$correlationId === 'string' ? stored.metadata.$correlationId : stored.eventId;
    const order = await store.load(stored.streamId);
    const history = order.events.map((e) => ({ eventId: e.eventId, event: toDomainEvent(e) }));
    for (const { causationId, command } of refundsForCancelledOrder(orderId, history)) {
      const outcome = await handleCommand(store, command, { causationId, correlationId }, () => ({
        now: now().toISOString(),
      }));
      const context = { correlationId, orderId, paymentId: command.paymentId };
      if (outcome.kind === 'rejected') {
        log.error({ ...context, reason: outcome.reason }, 'refund of a cancelled order refused; parked');
        return { action: 'park', reason: outcome.reason };
      }
      if (outcome.kind === 'not-yet') {
        if (waitedMs(retryCount) >= policy.waitWindowMs) return { action: 'park', reason: outcome.reason };
        return { action: 'retry', reason: outcome.reason, afterMs: retryDelayMs(retryCount) };
      }
      log.info({ ...context, eventCount: outcome.eventCount }, 'refund for cancelled order');
    }
    return { action: 'ack' };
  }

  return startPersistentConsumer({
    client: options.client,
    source: { all: { filter: eventTypeFilter({ prefixes: ['OrderCancelled'] }) } },
    group: options.group,
    logger: log,
    concurrency: options.concurrency,
    settings: {
      maxRetryCount: serverMaxRetryCount(policy),
      messageTimeout: options.messageTimeoutMs,
    },
    async handle(event, retryCount) {
      try {
        return await handle(event, retryCount);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log.warn({ err: error, retryCount }, 'refund reactor failed; retrying');
        if (retryCount >= policy.maxRetryCount) return { action: 'park', reason };
        return { action: 'retry', reason, afterMs: retryDelayMs(retryCount) };
      }
    },
  });
}
