import type { CatchUpFilter } from '../../lib/catch-up';
import type { StoredEvent } from '../../lib/eventstore';
import type { Projection, ProjectedEvent, ReadModelDocument } from '../projection';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The event types any of these projections handles, in first-declared order. */
export function handledTypes(projections: readonly Projection<ReadModelDocument>[]): string[] {
  return [...new Set(projections.flatMap((projection) => projection.eventTypes))];
}

/** The one server-side filter for the host's subscription: the union of the types its projections handle. */
export function subscriptionFilter(projections: readonly Projection<ReadModelDocument>[]): CatchUpFilter {
  return { eventTypeRegex: `^(${handledTypes(projections).map(escapeRegex).join('|')})$` };
}

/** What the projections see of a stored event; system events (and links) are not theirs. */
export function toProjectedEvent(stored: StoredEvent): ProjectedEvent | undefined {
  if (stored.position === undefined || stored.linkStreamId !== undefined || stored.type.startsWith('$')) {
    return undefined;
  }
  return {
    type: stored.type,
    data: stored.data,
    metadata: stored.metadata,
    eventId: stored.eventId,
    streamId: stored.streamId,
    revision: stored.revision,
    position: stored.position,
    created: stored.created,
  };
}
