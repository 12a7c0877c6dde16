import type { CatchUpFilter } from '../../lib/catch-up';
import type { StoredEvent } from '../../lib/eventstore';
import { parkedStreamName, type GroupNames } from '../../lib/parked-messages';
import type { Projection, ProjectedEvent, ReadModelDocument } from '../projection';
import { SHOP_DATA_PARKED } from '../shop-data-parked';

/** The input stream and processing group, whose parked-messages stream the requests model follows. */
export type SourceNames = GroupNames;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The server-side filter for a read model. The requests model also reads the parked-messages stream, whose
 * links must be resolved to find the request; it filters by stream name. The others filter by event type.
 */
export function subscriptionFor(
  projection: Projection<ReadModelDocument>,
  names: SourceNames,
): { filter: CatchUpFilter; resolveLinkTos: boolean } {
  if (projection.name === 'requests') {
    const streams = [escapeRegex(names.inputStream), 'request-.+', escapeRegex(parkedStreamName(names))];
    return { filter: { streamNameRegex: `^(${streams.join('|')})$` }, resolveLinkTos: true };
  }
  return {
    filter: { eventTypeRegex: `^(${projection.eventTypes.map(escapeRegex).join('|')})$` },
    resolveLinkTos: false,
  };
}

/** What the projections see of a stored event; links to parked messages become `ShopDataParked`. */
export function toProjectedEvent(stored: StoredEvent, names: SourceNames): ProjectedEvent | undefined {
  if (stored.position === undefined) return undefined;
  if (stored.linkStreamId !== undefined) {
    if (stored.linkStreamId !== parkedStreamName(names)) return undefined;
    const requestId =
      typeof stored.metadata.$correlationId === 'string' ? stored.metadata.$correlationId : stored.eventId;
    return {
      type: SHOP_DATA_PARKED,
      data: { requestId, inputEventId: stored.eventId },
      metadata: {},
      eventId: stored.eventId,
      streamId: stored.linkStreamId,
      revision: stored.revision,
      position: stored.position,
      created: stored.created,
    };
  }
  if (stored.type.startsWith('$')) return undefined;
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
