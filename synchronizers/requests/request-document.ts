import type { RequestDocument } from '../../contracts/read-models/requests';

/** Keys in one fixed order and optional fields left out, so one history always gives the same BSON bytes. */
export function requestDocument(doc: RequestDocument): RequestDocument {
  return {
    _id: doc._id,
    status: doc.status,
    applies: doc.applies,
    source: doc.source,
    profile: doc.profile,
    receivedAt: doc.receivedAt,
    inputEventId: doc.inputEventId,
    ...(doc.inputRevision === undefined ? {} : { inputRevision: doc.inputRevision }),
    ...(doc.reason === undefined ? {} : { reason: doc.reason }),
    ...(doc.resultIds === undefined ? {} : { resultIds: [...doc.resultIds] }),
    ...(doc.streams === undefined ? {} : { streams: [...doc.streams] }),
    ...(doc.parked === undefined
      ? {}
      : {
          parked: {
            retryCount: doc.parked.retryCount,
            firstAttemptAt: doc.parked.firstAttemptAt,
            lastAttemptAt: doc.parked.lastAttemptAt,
          },
        }),
    updatedAt: doc.updatedAt,
    _position: doc._position,
  };
}
