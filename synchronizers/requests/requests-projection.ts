import { isDomainEventType } from '../../contracts/events/domain';
import {
  SETTLES_METADATA_KEY,
  SHOP_DATA_RECEIVED,
  shopDataParkedData,
  shopDataProcessedData,
  shopDataReceivedMetadata,
  shopDataRejectedData,
  shopDataWaitingData,
  type ShopDataProcessed,
} from '../../contracts/events/requests';
import { parseEventPart, requiredId } from '../event-data';
import type { ProjectedEvent, Projection } from '../projection';
import {
  isSettled,
  REQUESTS_COLLECTION,
  REQUESTS_EVENT_TYPES,
  type RequestDocument,
} from '../../contracts/read-models/requests';
import { requestDocument } from './request-document';

function received(doc: RequestDocument | undefined, event: ProjectedEvent): RequestDocument {
  const meta = parseEventPart(shopDataReceivedMetadata, event.metadata, event);
  const origin = { source: meta.source, receivedAt: meta.receivedAt, inputRevision: event.revision };
  if (doc) return requestDocument({ ...doc, ...origin });
  return requestDocument({
    _id: meta.$correlationId,
    status: 'accepted',
    applies: meta.applies,
    ...origin,
    profile: meta.profile,
    inputEventId: event.eventId,
    updatedAt: meta.receivedAt,
    _position: event.position,
  });
}

/** An outcome for a request whose input message is no longer in the history still tells the sender the outcome. */
function withoutInput(
  requestId: string,
  outcome: { applies: string; profile: string; inputEventId: string },
  event: ProjectedEvent,
): RequestDocument {
  return {
    _id: requestId,
    status: 'accepted',
    applies: outcome.applies,
    source: null,
    profile: outcome.profile,
    receivedAt: null,
    inputEventId: outcome.inputEventId,
    updatedAt: event.created,
    _position: event.position,
  };
}

function applyRequestEvent(
  doc: RequestDocument | undefined,
  event: ProjectedEvent,
): RequestDocument | undefined {
  switch (event.type) {
    case SHOP_DATA_RECEIVED:
      return received(doc, event);
    case 'ShopDataProcessed':
      return processed(doc, parseEventPart(shopDataProcessedData, event.data, event), event);
    case 'ShopDataRejected': {
      const data = parseEventPart(shopDataRejectedData, event.data, event);
      const {
        resultIds: _resultIds,
        streams: _streams,
        parked: _parked,
        ...base
      } = doc ?? withoutInput(data.requestId, data, event);
      return requestDocument({
        ...base,
        status: 'rejected',
        reason: data.reason,
        updatedAt: data.rejectedAt,
      });
    }
    case 'ShopDataWaiting': {
      const data = parseEventPart(shopDataWaitingData, event.data, event);
      // A replayed parked message may wait again; a settled one never goes back.
      if (doc && isSettled(doc.status)) return doc;
      const {
        resultIds: _resultIds,
        streams: _streams,
        parked: _parked,
        ...base
      } = doc ?? withoutInput(data.requestId, data, event);
      return requestDocument({ ...base, status: 'waiting', reason: data.reason, updatedAt: data.waitingAt });
    }
    case 'ShopDataParked': {
      const data = parseEventPart(shopDataParkedData, event.data, event);
      // Parking only happens to a message the gateway stored, so without its document there is nothing to say.
      if (!doc || isSettled(doc.status)) return doc;
      const { retryCount, firstAttemptAt, lastAttemptAt } = data;
      return requestDocument({
        ...doc,
        status: 'parked',
        reason: data.reason,
        parked: { retryCount, firstAttemptAt, lastAttemptAt },
        updatedAt: data.parkedAt,
      });
    }
    default: {
      // A domain event: the last one a message's plan appended carries the processed outcome.
      const marker = event.metadata[SETTLES_METADATA_KEY];
      if (marker === undefined) return doc;
      return processed(doc, parseEventPart(shopDataProcessedData, marker, event), event);
    }
  }
}

function processed(
  doc: RequestDocument | undefined,
  data: ShopDataProcessed['data'],
  event: ProjectedEvent,
): RequestDocument {
  const { reason: _reason, parked: _parked, ...base } = doc ?? withoutInput(data.requestId, data, event);
  return requestDocument({
    ...base,
    status: 'processed',
    resultIds: data.resultIds,
    ...(data.streams === undefined ? {} : { streams: data.streams }),
    updatedAt: data.processedAt,
  });
}

function requestIdOf(event: ProjectedEvent): string[] {
  if (event.type === SHOP_DATA_RECEIVED) return [requiredId(event.metadata, '$correlationId', event)];
  if (isDomainEventType(event.type)) {
    const marker = event.metadata[SETTLES_METADATA_KEY];
    return marker === undefined ? [] : [requiredId(marker, 'requestId', event)];
  }
  if (REQUESTS_EVENT_TYPES.includes(event.type)) {
    return [requiredId(event.data, 'requestId', event)];
  }
  return [];
}

/** The `requests` read model: what became of each message the gateway accepted; looked up by id only. */
export const requestsProjection: Projection<RequestDocument> = {
  name: REQUESTS_COLLECTION,
  eventTypes: REQUESTS_EVENT_TYPES,
  keysOf: requestIdOf,
  apply: applyRequestEvent,
  indexes: [],
};
