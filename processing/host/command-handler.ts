import { v5 as uuidv5 } from 'uuid';
import type { NewEvent, StoredEvent } from '../../lib/eventstore';
import type { ShopCommand } from '../commands';
import type { DecideContext } from '../decision';
import { decideOn, routeCommand } from '../decider';
import { CURRENT_SCHEMA_VERSION, type DomainEvent, type DomainEventMetadata } from '../events';
import { upcast } from '../upcasting/upcasters';
import type { AggregateStore } from './aggregate-store';

/** Namespace for domain event ids derived from the input event id (UUID v5). */
export const EVENT_ID_NAMESPACE = '9a4f2c71-3b5e-4d8a-8c61-0e7f5d2b9a13';
export const MAX_CONFLICT_RETRIES = 5;

export type CommandOutcome =
  | {
      readonly kind: 'processed';
      readonly stream: string;
      readonly aggregateId: string;
      readonly eventCount: number;
    }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'not-yet'; readonly reason: string };

export interface Causation {
  /** The id the resulting events derive from: the input event id, or a saga's triggering event id. */
  readonly causationId: string;
  readonly correlationId: string;
}

export function domainEventId(causationId: string, stream: string, index: number): string {
  return uuidv5(`${causationId}/${stream}/${index}`, EVENT_ID_NAMESPACE);
}

export function toDomainEvent(stored: StoredEvent): DomainEvent {
  const version = typeof stored.metadata.schemaVersion === 'number' ? stored.metadata.schemaVersion : 1;
  return upcast(stored.type, stored.data, version);
}

/**
 * Load → decide → append with the revision that was read. A competing writer makes the append fail; then the
 * stream is reloaded and the command decided again, a bounded number of times. Event ids derive from the
 * causation, so a redelivered message that raced its own first attempt appends nothing new.
 */
export async function handleCommand(
  store: AggregateStore,
  command: ShopCommand,
  causation: Causation,
  context: () => DecideContext,
): Promise<CommandOutcome> {
  const route = routeCommand(command);
  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const loaded = await store.load(route.stream);
    // A redelivered message whose events are already in the stream has been handled: nothing to decide.
    if (loaded.events.some((e) => e.metadata.$causationId === causation.causationId)) {
      return { kind: 'processed', stream: route.stream, aggregateId: route.aggregateId, eventCount: 0 };
    }
    const decision = decideOn(route, loaded.events.map(toDomainEvent), context());
    if (!decision.ok)
      return decision.kind === 'rejected'
        ? { kind: 'rejected', reason: decision.reason }
        : { kind: 'not-yet', reason: decision.reason };
    const processed = {
      kind: 'processed',
      stream: route.stream,
      aggregateId: route.aggregateId,
      eventCount: decision.events.length,
    } as const;
    if (decision.events.length === 0) return processed;
    const metadata: DomainEventMetadata = {
      $correlationId: causation.correlationId,
      $causationId: causation.causationId,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    };
    const events: NewEvent[] = decision.events.map((event, index) => ({
      id: domainEventId(causation.causationId, route.stream, index),
      type: event.type,
      data: { ...event.data },
      metadata: { ...metadata },
    }));
    if (await store.append(route.stream, events, loaded.revision)) return processed;
  }
  throw new Error(`${route.stream} kept changing: gave up after ${MAX_CONFLICT_RETRIES} conflicting appends`);
}
