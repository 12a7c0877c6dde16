import type { ShopDataReceivedMetadata } from '../../contracts/events/requests';

/**
 * The requests this gateway stored lately, so `GET` on a 202's Location answers `accepted` instead of 404 while
 * the requests read model has not caught up yet. Bounded in count and age; the read model is the record.
 * Per gateway process: a request stored by another instance is found once the read model has it.
 */
export interface AcceptedRequests {
  remember(requestId: string, metadata: ShopDataReceivedMetadata): void;
  find(requestId: string): ShopDataReceivedMetadata | undefined;
}

export const MAX_REMEMBERED_REQUESTS = 100_000;
export const REMEMBER_FOR_MS = 10 * 60_000;

export function acceptedRequests(
  max = MAX_REMEMBERED_REQUESTS,
  ttlMs = REMEMBER_FOR_MS,
  clock: () => number = Date.now,
): AcceptedRequests {
  // A Map keeps insertion order, so the oldest entries are the first to go.
  const entries = new Map<string, { metadata: ShopDataReceivedMetadata; at: number }>();
  return {
    remember(requestId, metadata) {
      entries.delete(requestId);
      entries.set(requestId, { metadata, at: clock() });
      for (const [id, entry] of entries) {
        if (entries.size <= max && clock() - entry.at <= ttlMs) break;
        entries.delete(id);
      }
    },
    find(requestId) {
      const entry = entries.get(requestId);
      if (entry === undefined) return undefined;
      if (clock() - entry.at > ttlMs) {
        entries.delete(requestId);
        return undefined;
      }
      return entry.metadata;
    },
  };
}
