import { z } from 'zod';
import { id, timestamp, type EventOf } from './event-shape';

/** The raw input message the gateway appends to the input stream. `data` is the payload as it came. */
export const SHOP_DATA_RECEIVED = 'ShopDataReceived';

export const shopDataReceivedMetadata = z.object({
  applies: z.string(),
  source: z.string(),
  profile: z.string(),
  receivedAt: timestamp,
  $correlationId: id,
  /**
   * On a copy the admin appends to replay one parked message (`admin parked replay --request`): the event id of the
   * original, which stays the message's identity (its outcome and domain event ids derive from it).
   */
  replayOf: z.string().optional(),
});
export type ShopDataReceivedMetadata = Readonly<z.output<typeof shopDataReceivedMetadata>>;

/** What became of one input message: stream `request-<requestId>`, written by the processor that settled it. */
export const REQUEST_STREAM_PREFIX = 'request-';

/** What every outcome names: the request, its input message and how it was routed, and who decided. */
const outcomeOf = {
  requestId: id,
  inputEventId: id,
  applies: z.string(),
  profile: z.string(),
  /** Which processor decided (host:pid#n); absent in outcomes recorded before it was kept. */
  processor: z.string().optional(),
};

/**
 * What a processed message settles to. When its plan appended domain events, the last of them carries it in its
 * metadata (`settles`, see `settlesOf`) and nothing is appended to `request-<id>`; it is appended there as
 * `ShopDataProcessed` when the plan appended nothing (an idempotent repeat), or when the request stream already
 * tells of this message (it waited or was parked), so that stream also shows how it ended.
 */
export const shopDataProcessedData = z.object({
  ...outcomeOf,
  /** Ids of the aggregates the message touched, e.g. `["o-1"]`. */
  resultIds: z.array(z.string()),
  /** Domain events appended; 0 when the command changed nothing (an idempotent repeat). */
  eventCount: z.number().int().nonnegative(),
  /** The streams the plan ran a step on, in order (absent in outcomes recorded before it was kept). */
  streams: z.array(z.string()).optional(),
  processedAt: timestamp,
});
export type ShopDataProcessed = EventOf<'ShopDataProcessed', typeof shopDataProcessedData>;

/** The metadata key of the completion marker on a domain event. */
export const SETTLES_METADATA_KEY = 'settles';

/** The processed outcome a domain event's metadata carries; undefined without one or when it is malformed. */
export function settlesOf(
  metadata: Readonly<Record<string, unknown>>,
): ShopDataProcessed['data'] | undefined {
  const marker = metadata[SETTLES_METADATA_KEY];
  if (marker === undefined) return undefined;
  const parsed = shopDataProcessedData.safeParse(marker);
  return parsed.success ? parsed.data : undefined;
}

export const shopDataRejectedData = z.object({
  ...outcomeOf,
  reason: z.string(),
  rejectedAt: timestamp,
  /** Set when an operator skipped the parked message (`admin parked skip`): who did. */
  skippedBy: z.string().optional(),
});
export type ShopDataRejected = EventOf<'ShopDataRejected', typeof shopDataRejectedData>;

/**
 * The message waits for a predecessor (a payment before its order, a shipment before full payment): it is retried
 * with backoff over the wait window and parked only after it. Written once per reason.
 */
export const shopDataWaitingData = z.object({ ...outcomeOf, reason: z.string(), waitingAt: timestamp });
export type ShopDataWaiting = EventOf<'ShopDataWaiting', typeof shopDataWaitingData>;

/**
 * The message was parked: by the processor when its wait window ran out or it kept failing (recorded just before
 * it parks, with the full reason), or by the server after too many redeliveries (recorded by the processor that
 * sees the server's link to it, with the server's reason). Either way processing writes it; readers need not know
 * where EventStoreDB keeps parked messages.
 */
export const shopDataParkedData = z.object({
  ...outcomeOf,
  reason: z.string(),
  parkedAt: timestamp,
  /** Retries before it was parked (the delivery's retry count). */
  retryCount: z.number().int().nonnegative(),
  /** The earliest attempt on record (its first wait, or the first time this processor saw it). */
  firstAttemptAt: timestamp,
  /** The attempt that parked it. */
  lastAttemptAt: timestamp,
});
export type ShopDataParked = EventOf<'ShopDataParked', typeof shopDataParkedData>;

export type RequestOutcomeEvent = ShopDataProcessed | ShopDataRejected | ShopDataWaiting | ShopDataParked;
export type RequestOutcomeType = RequestOutcomeEvent['type'];
export const REQUEST_OUTCOME_TYPES: readonly RequestOutcomeType[] = [
  'ShopDataProcessed',
  'ShopDataRejected',
  'ShopDataWaiting',
  'ShopDataParked',
];
