import { MaxAppendSizeExceededError } from '@eventstore/db-client';
import type { Registry } from 'prom-client';
import type { StoredEvent } from '../../lib/eventstore';
import { counter, histogram } from '../../lib/metrics';
import type { Logger } from '../../lib/logger';
import type { Settlement } from '../../lib/persistent-consumer';
import { inSpan, SpanKind, traceContextOf } from '../../lib/tracing';
import { adapt } from '../adapters/registry';
import type { ShopCommand } from '../commands';
import { SHOP_DATA_RECEIVED, type ShopDataProcessed } from '../../contracts/events/requests';
import type { AggregateStore } from './aggregate-store';
import { handleCommand, type PlanResult } from './command-handler';
import type { OutcomeRecorder } from './outcome-recorder';
import { firstRecordedAttempt, hasOwnHistory, settledOutcome, type RecordedOutcome } from './request-history';
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

/**
 * Input ids whose waiting reason was recorded (so a retry every few seconds does not append it again), and when
 * this processor first tried each message that has not settled yet.
 */
const MAX_REMEMBERED = 10_000;

function remember(map: Map<string, string>, key: string, value: string): void {
  if (map.size >= MAX_REMEMBERED) map.clear();
  map.set(key, value);
}

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
  const firstSeen = new Map<string, string>();

  // The trace of the request that stored the message goes on here: its decision, appends and outcome.
  return async function handle(
    event: StoredEvent,
    retryCount: number,
    firstDelivery = false,
  ): Promise<Settlement> {
    if (event.type !== SHOP_DATA_RECEIVED) return { action: 'ack' };
    const span = {
      kind: SpanKind.CONSUMER,
      parent: traceContextOf(event.metadata),
      attributes: { 'messaging.message.id': event.eventId, 'shop.retry_count': retryCount },
    };
    return inSpan(`process ${SHOP_DATA_RECEIVED}`, span, () => handleOne(event, retryCount, firstDelivery));
  };

  async function handleOne(
    event: StoredEvent,
    retryCount: number,
    firstDelivery: boolean,
  ): Promise<Settlement> {
    const end = latency.startTimer();
    const requestId = text(event.metadata.$correlationId) ?? event.eventId;
    // A copy the admin appended to replay one parked message is that message: same identity, same outcome ids.
    const replayOf = text(event.metadata.replayOf);
    const inputEventId = replayOf ?? event.eventId;
    const applies = text(event.metadata.applies) ?? '';
    const profile = text(event.metadata.profile) ?? '';
    // The child logger is made when a line is written: the common path (processed, at info level) writes none.
    let child: Logger | undefined;
    const log = () =>
      (child ??= deps.logger.child({ correlationId: requestId, inputEventId, applies, profile }));
    const base = {
      requestId,
      inputEventId,
      applies,
      profile,
      ...(deps.processorId === undefined ? {} : { processor: deps.processorId }),
    };
    const attemptAt = now().toISOString();
    let history: readonly RecordedOutcome[] = [];

    async function park(reason: string): Promise<Settlement> {
      const firstAttemptAt =
        [firstRecordedAttempt(history, inputEventId), firstSeen.get(inputEventId)]
          .filter((at): at is string => at !== undefined)
          .sort()[0] ?? attemptAt;
      forget();
      const parked = { reason, parkedAt: attemptAt, retryCount, firstAttemptAt, lastAttemptAt: attemptAt };
      await deps.outcomes
        .record({ type: 'ShopDataParked', data: { ...base, ...parked } })
        .catch((error: unknown) => log().warn({ err: error }, 'could not record why the input is parked'));
      messages.inc({ outcome: 'parked' });
      log().warn({ reason, retryCount }, 'input parked');
      return { action: 'park', reason };
    }

    async function wait(reason: string): Promise<Settlement> {
      if (waitedMs(retryCount) >= policy.waitWindowMs) {
        return park(`still waiting after ${Math.round(policy.waitWindowMs / 1000)} s: ${reason}`);
      }
      if (recordedWaits.get(inputEventId) !== reason) {
        await deps.outcomes.record({
          type: 'ShopDataWaiting',
          data: { ...base, reason, waitingAt: attemptAt },
        });
        remember(recordedWaits, inputEventId, reason);
      }
      messages.inc({ outcome: 'waiting' });
      log().info({ reason, retryCount }, 'input waits: precondition not met yet');
      return { action: 'retry', reason, afterMs: retryDelayMs(retryCount) };
    }

    function forget(): void {
      recordedWaits.delete(inputEventId);
      firstSeen.delete(inputEventId);
    }

    function settled(): Settlement {
      forget();
      return { action: 'ack' };
    }

    try {
      // A settled request is final: a redelivery, a replayed parked copy or a message an operator skipped is
      // acknowledged without being decided again (a rule that rejected it then might pass now). A message the
      // group delivers for the first time has no past to look up, unless it is an operator's replayed copy.
      const unseen = firstDelivery && replayOf === undefined;
      history = unseen ? [] : await deps.outcomes.history(requestId);
      const earlier = settledOutcome(history, inputEventId);
      if (earlier) {
        messages.inc({ outcome: 'already-settled' });
        log().info(
          { outcome: earlier.type },
          'input already settled; acknowledged without handling it again',
        );
        return settled();
      }
      if (!firstSeen.has(inputEventId)) remember(firstSeen, inputEventId, attemptAt);
      const adapted = adapt({ applies, profile, requestId, payload: event.data });
      if (!adapted.ok) {
        await deps.outcomes.record({
          type: 'ShopDataRejected',
          data: { ...base, reason: boundedReason(adapted.reason), rejectedAt: attemptAt },
        });
        messages.inc({ outcome: 'rejected' });
        log().info({ reason: boundedReason(adapted.reason) }, 'input rejected: cannot be mapped');
        return settled();
      }
      const command = await deps.seal(adapted.command);
      const processed = (done: PlanResult): ShopDataProcessed['data'] => ({
        ...base,
        resultIds: [...done.resultIds],
        eventCount: done.eventCount,
        streams: [...done.streams],
        processedAt: attemptAt,
      });
      const causation = { causationId: inputEventId, correlationId: requestId, settles: processed };
      const outcome = await inSpan(`decide ${command.type}`, {}, () =>
        handleCommand(deps.store, command, causation, () => ({ now: now().toISOString() })),
      );
      if (outcome.kind === 'not-yet') return await wait(outcome.reason);
      if (outcome.kind === 'rejected') {
        await deps.outcomes.record({
          type: 'ShopDataRejected',
          data: { ...base, reason: boundedReason(outcome.reason), rejectedAt: attemptAt },
        });
        messages.inc({ outcome: 'rejected' });
        log().info({ reason: boundedReason(outcome.reason) }, 'input rejected by a business rule');
        return settled();
      }
      // The last domain event tells the outcome; the request stream gets it too when it appended nothing, or when
      // that stream already tells of this message (it waited or was parked) and so must show how it ended.
      if (!outcome.settled || hasOwnHistory(history, inputEventId)) {
        await deps.outcomes.record({
          type: 'ShopDataProcessed',
          data: processed({ resultIds: [outcome.aggregateId], ...outcome }),
        });
      }
      messages.inc({ outcome: 'processed' });
      if (deps.logger.isLevelEnabled('debug')) {
        log().debug({ stream: outcome.stream, eventCount: outcome.eventCount }, 'input processed');
      }
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
        log().info({ reason }, 'input rejected: too large for the store');
        return settled();
      }
      const reason = boundedReason(error instanceof Error ? error.message : String(error));
      log().warn({ err: error, retryCount }, 'technical failure while handling input');
      if (retryCount >= policy.maxRetryCount) return await park(reason);
      messages.inc({ outcome: 'retried' });
      return { action: 'retry', reason, afterMs: retryDelayMs(retryCount) };
    } finally {
      end();
    }
  }
}
