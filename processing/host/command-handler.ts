import { v5 as uuidv5 } from 'uuid';
import type { NewEvent, StoredEvent } from '../../lib/eventstore';
import type { ShopCommand } from '../commands';
import { planFor, stateOf, type CommandRoute } from '../decider';
import type { DecideContext, Decision } from '../decision';
import {
  CURRENT_SCHEMA_VERSION,
  type DomainEvent,
  type DomainEventMetadata,
} from '../../contracts/events/domain';
import { SETTLES_METADATA_KEY } from '../../contracts/events/requests';
import { upcast } from '../../contracts/upcasting/upcasters';
import { NO_STREAM } from '@eventstore/db-client';
import type { AggregateStore, LoadedState } from './aggregate-store';

/** Namespace for domain event ids derived from the input event id (UUID v5). */
export const EVENT_ID_NAMESPACE = '9a4f2c71-3b5e-4d8a-8c61-0e7f5d2b9a13';
export const MAX_CONFLICT_RETRIES = 5;

export type CommandOutcome =
  | {
      readonly kind: 'processed';
      readonly stream: string;
      readonly aggregateId: string;
      readonly eventCount: number;
      /** Every stream the plan ran a step on, in order. */
      readonly streams: readonly string[];
      /**
       * The plan's last append carries the outcome (`settles` on its last event), now or on an earlier attempt
       * of this message: nothing else needs recording. False when the last step appended nothing.
       */
      readonly settled: boolean;
    }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'not-yet'; readonly reason: string };

export interface Causation {
  /** The id the resulting events derive from: the input event id, or a reactor's triggering event id. */
  readonly causationId: string;
  readonly correlationId: string;
  /** The completion marker for the plan's last append, given what the plan did; none for a reactor. */
  readonly settles?: (done: PlanResult) => Readonly<Record<string, unknown>>;
}

/** What a plan did, as the marker on its last event tells it. */
export interface PlanResult {
  readonly resultIds: readonly string[];
  readonly eventCount: number;
  readonly streams: readonly string[];
}

export function domainEventId(causationId: string, stream: string, index: number): string {
  return uuidv5(`${causationId}/${stream}/${index}`, EVENT_ID_NAMESPACE);
}

export function toDomainEvent(stored: StoredEvent): DomainEvent {
  const version = typeof stored.metadata.schemaVersion === 'number' ? stored.metadata.schemaVersion : 1;
  return upcast(stored.type, stored.data, version);
}

/** A stream as it is before its first event: what a step that assumes its stream absent decides on. */
function absent<S>(route: CommandRoute<S>): LoadedState<S> {
  return {
    state: route.initialState,
    revision: NO_STREAM,
    hasCausation: () => false,
    snapshotRevision: undefined,
  };
}

function notOk(decision: Decision & { ok: false }): CommandOutcome {
  return { kind: decision.kind, reason: decision.reason };
}

/**
 * Runs a command's plan (see `CommandPlan`): the check, then each step as load → decide → append with the
 * revision that was read. Nothing is decided on anything but the stream the append is guarded by.
 */
export async function handleCommand(
  store: AggregateStore,
  command: ShopCommand,
  causation: Causation,
  context: () => DecideContext,
): Promise<CommandOutcome> {
  const plan = planFor(command);
  let checked: unknown;
  if (plan.check) {
    const loaded = await store.load(plan.check.stream);
    checked = stateOf(plan.check, loaded.events.map(toDomainEvent));
    const decision = plan.check.decide(checked, context());
    if (!decision.ok) return notOk(decision);
  }
  const steps = plan.steps(checked);
  if ('ok' in steps) return steps.ok ? failedPlan(plan.aggregateId) : notOk(steps);
  let eventCount = 0;
  let settled = false;
  const streams: string[] = [];
  for (const [index, route] of steps.entries()) {
    streams.push(route.stream);
    const last = index === steps.length - 1;
    const marker = last ? causation.settles : undefined;
    const settles = marker
      ? (stepEvents: number) =>
          marker({ resultIds: [plan.aggregateId], eventCount: eventCount + stepEvents, streams })
      : undefined;
    const step = await runStep(store, route, causation, context, settles);
    if (step.kind !== 'processed') return step;
    eventCount += step.eventCount;
    settled = last && step.settled;
  }
  const stream = streams[streams.length - 1] ?? '';
  return { kind: 'processed', stream, aggregateId: plan.aggregateId, eventCount, streams, settled };
}

function failedPlan(aggregateId: string): never {
  throw new Error(`the plan for ${aggregateId} answered a decision that is ok instead of its steps`);
}

/**
 * One step: a competing writer makes the append fail; then the stream is reloaded and the command decided again,
 * a bounded number of times. Event ids derive from the causation, so a redelivered message that raced its own
 * first attempt appends nothing new, and a step its first attempt completed is recognised and skipped (for the
 * last step, with the marker that attempt wrote: `settles` was given then as now).
 */
async function runStep(
  store: AggregateStore,
  route: CommandRoute,
  causation: Causation,
  context: () => DecideContext,
  settles?: (stepEvents: number) => Readonly<Record<string, unknown>>,
): Promise<CommandOutcome> {
  const done = {
    kind: 'processed',
    stream: route.stream,
    aggregateId: route.aggregateId,
    streams: [route.stream],
  } as const;
  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const loaded = attempt === 0 && route.assumeAbsent ? absent(route) : await store.loadState(route);
    if (loaded.hasCausation(causation.causationId)) {
      return { ...done, eventCount: 0, settled: settles !== undefined };
    }
    const decision = route.decide(loaded.state, context());
    if (!decision.ok) return notOk(decision);
    if (decision.events.length === 0) return { ...done, eventCount: 0, settled: false };
    const metadata: DomainEventMetadata = {
      $correlationId: causation.correlationId,
      $causationId: causation.causationId,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    };
    const lastIndex = decision.events.length - 1;
    const events: NewEvent[] = decision.events.map((event, index) => ({
      id: domainEventId(causation.causationId, route.stream, index),
      type: event.type,
      data: { ...event.data },
      metadata:
        settles && index === lastIndex
          ? { ...metadata, [SETTLES_METADATA_KEY]: settles(decision.events.length) }
          : { ...metadata },
    }));
    if (await store.append(route.stream, events, loaded.revision)) {
      return { ...done, eventCount: events.length, settled: settles !== undefined };
    }
  }
  throw new Error(`${route.stream} kept changing: gave up after ${MAX_CONFLICT_RETRIES} conflicting appends`);
}
