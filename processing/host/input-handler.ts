import type { Registry } from 'prom-client';
import type { StoredEvent } from '../../lib/eventstore';
import { counter, histogram } from '../../lib/metrics';
import type { Logger } from '../../lib/logger';
import type { Settlement } from '../../lib/persistent-consumer';
import { adapt } from '../adapters/registry';
import type { OrderFactsView } from '../facts/order-facts';
import { SHOP_DATA_RECEIVED } from '../requests/events';
import type { AggregateStore } from './aggregate-store';
import { handleCommand } from './command-handler';
import type { OutcomeRecorder } from './outcome-recorder';

export interface InputHandlerDeps {
  readonly store: AggregateStore;
  readonly outcomes: OutcomeRecorder;
  readonly facts: OrderFactsView;
  readonly logger: Logger;
  readonly registry: Registry;
  /** After this many retries a message that still cannot be handled is parked. */
  readonly maxRetryCount: number;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

const BASE_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;

/** Exponential backoff before a retry, so an order that is a moment late does not exhaust the retries. */
export function backoffMs(retryCount: number): number {
  return Math.min(BASE_BACKOFF_MS * 2 ** retryCount, MAX_BACKOFF_MS);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Step 2 for one input message: adapt → decide → append → record the outcome → settle. */
export function createInputHandler(deps: InputHandlerDeps) {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const messages = counter(deps.registry, 'processing_messages_total', 'Input messages by outcome', [
    'outcome',
  ]);
  const latency = histogram(deps.registry, 'processing_duration_seconds', 'Time to handle one input message');

  async function retryOrPark(reason: string, retryCount: number): Promise<Settlement> {
    if (retryCount >= deps.maxRetryCount) {
      messages.inc({ outcome: 'parked' });
      return { action: 'park', reason };
    }
    messages.inc({ outcome: 'retried' });
    await sleep(backoffMs(retryCount));
    return { action: 'retry', reason };
  }

  return async function handle(event: StoredEvent, retryCount: number): Promise<Settlement> {
    if (event.type !== SHOP_DATA_RECEIVED) return { action: 'ack' };
    const end = latency.startTimer();
    const requestId = text(event.metadata.$correlationId) ?? event.eventId;
    const applies = text(event.metadata.applies) ?? '';
    const profile = text(event.metadata.profile) ?? '';
    const log = deps.logger.child({
      correlationId: requestId,
      inputEventId: event.eventId,
      applies,
      profile,
    });
    const base = { requestId, inputEventId: event.eventId, applies, profile };
    try {
      const adapted = adapt({ applies, profile, requestId, payload: event.data });
      if (!adapted.ok) {
        await deps.outcomes.record({
          type: 'ShopDataRejected',
          data: { ...base, reason: adapted.reason, rejectedAt: now().toISOString() },
        });
        messages.inc({ outcome: 'rejected' });
        log.info({ reason: adapted.reason }, 'input rejected: cannot be mapped');
        return { action: 'ack' };
      }
      const outcome = await handleCommand(
        deps.store,
        adapted.command,
        { causationId: event.eventId, correlationId: requestId },
        () => ({ now: now().toISOString(), facts: deps.facts }),
      );
      if (outcome.kind === 'not-yet') {
        log.info({ reason: outcome.reason, retryCount }, 'input not handled yet: precondition not met');
        return await retryOrPark(outcome.reason, retryCount);
      }
      if (outcome.kind === 'rejected') {
        await deps.outcomes.record({
          type: 'ShopDataRejected',
          data: { ...base, reason: outcome.reason, rejectedAt: now().toISOString() },
        });
        messages.inc({ outcome: 'rejected' });
        log.info({ reason: outcome.reason }, 'input rejected by a business rule');
        return { action: 'ack' };
      }
      await deps.outcomes.record({
        type: 'ShopDataProcessed',
        data: {
          ...base,
          resultIds: [outcome.aggregateId],
          eventCount: outcome.eventCount,
          processedAt: now().toISOString(),
        },
      });
      messages.inc({ outcome: 'processed' });
      log.debug({ stream: outcome.stream, eventCount: outcome.eventCount }, 'input processed');
      return { action: 'ack' };
    } catch (error) {
      log.warn({ err: error, retryCount }, 'technical failure while handling input');
      return await retryOrPark(error instanceof Error ? error.message : String(error), retryCount);
    } finally {
      end();
    }
  };
}
