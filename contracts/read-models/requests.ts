import { DOMAIN_EVENT_SCHEMAS } from '../events/domain';
import { REQUEST_OUTCOME_TYPES, SHOP_DATA_RECEIVED } from '../events/requests';
import type { ReadModelDocument } from './read-model';

export const REQUESTS_COLLECTION = 'requests';

export const REQUEST_STATUSES = ['accepted', 'waiting', 'processed', 'rejected', 'parked'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The `requests` read model: one document per gateway requestId, telling the sender what became of its data. */
export interface RequestDocument extends ReadModelDocument {
  readonly status: RequestStatus;
  readonly applies: string;
  /** Null only when the input message is no longer in the history (e.g. the input stream's max age). */
  readonly source: string | null;
  readonly profile: string;
  readonly receivedAt: string | null;
  readonly inputEventId: string;
  /** The input message's revision in the input stream: where the gateway stored it. */
  readonly inputRevision?: number;
  /** Why it was rejected, what it waits for, or why it was parked. */
  readonly reason?: string;
  /** Ids of the aggregates a processed message touched. */
  readonly resultIds?: readonly string[];
  /** The streams a processed message's plan ran on, in order: its domain events are there. */
  readonly streams?: readonly string[];
  /** While parked: how often it was tried, and when first and last. */
  readonly parked?: ParkedAttempts;
  readonly updatedAt: string;
}

export interface ParkedAttempts {
  readonly retryCount: number;
  readonly firstAttemptAt: string;
  readonly lastAttemptAt: string;
}

/**
 * A settled request (processed or rejected) is final: a later park or a late copy of the input message does not
 * take it back to parked or accepted. A parked message that is replayed and then processed ends processed.
 */
export const isSettled = (status: RequestStatus): boolean => status === 'processed' || status === 'rejected';

/**
 * The events this read model is made of: its projection handles these and no others. Of the domain events, only
 * those whose metadata carries the processed outcome (`settles`) change a request.
 */
export const REQUESTS_EVENT_TYPES: readonly string[] = [
  SHOP_DATA_RECEIVED,
  ...REQUEST_OUTCOME_TYPES,
  ...Object.keys(DOMAIN_EVENT_SCHEMAS),
];
