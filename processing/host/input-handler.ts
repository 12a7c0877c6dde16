import { MaxAppendSizeExceededError } from '@eventstore/db-client';
import type { Registry } from 'prom-client';
import type { StoredEvent } from '../../lib/eventstore';
import { counter, histogram } from '../../lib/metrics';
import type { Logger } from '../../lib/logger';
import type { Settlement } from '../../lib/persistent-consumer';
import { adapt } from '../adapters/registry';
import type { ShopCommand } from '../commands';
import { SHOP_DATA_RECEIVED } from '../requests/events';
import type { AggregateStore } from './aggregate-store';
import { handleCommand } from './command-handler';
import type { OutcomeRecorder } from './outcome-recorder';
import { retryDelayMs, waitedMs, type RetryPolicy } from './retry-policy';

export interface InputHandlerDeps {
  readonly store: AggregateStore;
  readonly outcomes: OutcomeRecorder;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly policy: RetryPolicy;
  /** Seals a command's personal fields before anything is decided or appended. */
  readonly seal: (command: ShopCommand) => Promise<ShopCommand>;
  readonly now?: () => Date;
  /** Named in every outcome this handler records, so a request shows which processor decided it. */
  readonly processorId?: string;
}

/** A reason is for people: long enough for every field a message gets wrong, never the message itself. */
export const MAX_REASON_LENGTH = 2000;

export function boundedReason(reason: string): string {
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
}

/** Input ids whose waiting reason was recorded, so a retry every few seconds does not append it again. */
const MAX_REMEMBERED_WAITS = 10_000;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Step 2 for one input message: adapt → decide → append → record the outcome → settle. */
export function createInputHandler(deps: InputHandlerDeps) {
  const { policy } = deps;
  const now = deps.now ?? (() => new Date());
  const messages = counter(deps.registry, 'processing_messages_total', 'Input messages by outcome', [
    'outcome',
  ]);
  const latency = histogram(deps.registry, 'processing_duration_seconds', 'Time to handle one input message');
  const recordedWaits = new Map<string, string>();

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
    const base = {
      requestId,
      inputEventId: event.eventId,
      applies,
      profile,
      ...(deps.processorId === undefined ? {} : { processor: deps.processorId }),
    };

    async function park(reason: string): Promise<Settlement> {
      recordedWaits.delete(event.eventId);
      await deps.outcomes
        .record({ type: 'ShopDataParked', data: { ...base, reason, parkedAt: now().toISOString() } })
        .catch((error: unknown) => log.warn({ err: error }, 'could not record why the input is parked'));
      messages.inc({ outcome: 'parked' });
      log.warn({ reason, retryCount }, 'input parked');
      return { action: 'park', reason };
    }

    async function wait(reason: string): Promise<Settlement> {
      if (waitedMs(retryCount) >= policy.waitWindowMs) {
        return park(`still waiting after ${Math.round(policy.waitWindowMs / 1000)} s: ${reason}`);
      }
      if (recordedWaits.get(event.eventId) !== reason) {
        await deps.outcomes.record({
          type: 'ShopDataWaiting',
          data: { ...base, reason, waitingAt: now().toISOString() },
        });
        if (recordedWaits.size >= MAX_REMEMBERED_WAITS) recordedWaits.clear();
        recordedWaits.set(event.eventId, reason);
      }
      messages.inc({ outcome: 'waiting' });
      log.info({ reason, retryCount }, 'input waits: precondition not met yet');
      return { action: 'retry', reason, afterMs: retryDelayMs(retryCount) };
    }

    function settled(): Settlement {
      recordedWaits.delete(event.eventId);
      return { action: 'ack' };
    }

    try {
      const adapted = adapt({ applies, profile, requestId, payload: event.data });
      if (!adapted.ok) {
        await deps.outcomes.record({
          type: 'ShopDataRejected',
          data: { ...base, reason: boundedReason(adapted.reason), rejectedAt: now().toISOString() },
        });
        messages.inc({ outcome: 'rejected' });
        log.info({ reason: boundedReason(adapted.reason) }, 'input rejected: cannot be mapped');
        return settled();
      }
      const outcome = await handleCommand(
        deps.store,
        await deps.seal(adapted.command),
        { causationId: event.eventId, correlationId: requestId },
        () => ({ now: now().toISOString() }),
      );
      if (outcome.kind === 'not-yet') return await wait(outcome.reason);
      if (outcome.kind === 'rejected') {
        await deps.outcomes.record({
          type: 'ShopDataRejected',
          data: { ...base, reason: boundedReason(outcome.reason), rejectedAt: now().toISOString() },
        });
        messages.inc({ outcome: 'rejected' });
        log.info({ reason: boundedReason(outcome.reason) }, 'input rejected by a business rule');
        return settled();
      }
      await deps.outcomes.record({
        type: 'ShopDataProcessed',
        data: {
          ...base,
          resultIds: [outcome.aggregateId],
          eventCount: outcome.eventCount,
          streams: outcome.streams,
          processedAt: now().toISOString(),
        },
      });
      messages.inc({ outcome: 'processed' });
      log.debug({ stream: outcome.stream, eventCount: outcome.eventCount }, 'input processed');
      return settled();
    } catch (error) {
      if (error instanceof MaxAppendSizeExceededError) {
        // It can never succeed: retrying would only park it. A rejection says why.
        const reason = `the resulting events are larger than the store takes (${error.maxAppendSize} bytes)`;
        await deps.outcomes.record({
          type: 'ShopDataRejected',
          data: { ...base, reason, rejectedAt: now().toISOString() },
        });
        messages.inc({ outcome: 'rejected' });
        log.info({ reason }, 'input rejected: too large for the store');
        return settled();
      }
      const reason = boundedReason(error instanceof Error ? error.message : String(error));
      log.warn({ err: error, retryCount }, 'technical failure while handling input');
      if (retryCount >= policy.maxRetryCount) return await park(reason);
      messages.inc({ outcome: 'retried' });
      return { action: 'retry', reason, afterMs: retryDelayMs(retryCount) };
    } finally {
      end();
    }
  };
}
