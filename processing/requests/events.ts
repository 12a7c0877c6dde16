/** What every outcome names: the request, its input message and how it was routed, and who decided. */
interface OutcomeOf {
  readonly requestId: string;
  readonly inputEventId: string;
  readonly applies: string;
  readonly profile: string;
  /** Which processor decided (host:pid#n); absent in outcomes recorded before it was kept. */
  readonly processor?: string;
}

/**
 * What became of one input message, stream `request-<requestId>`. Written by the processor for every input it
 * settles, so a request's status is known even when the outcome appended no domain event (a repeated place).
 */
export interface ShopDataProcessed {
  readonly type: 'ShopDataProcessed';
  readonly data: OutcomeOf & {
    /** Ids of the aggregates the message touched, e.g. `["o-1"]`. */
    readonly resultIds: readonly string[];
    /** Domain events appended; 0 when the command changed nothing (an idempotent repeat). */
    readonly eventCount: number;
    /** The streams the plan ran a step on, in order (absent in outcomes recorded before it was kept). */
    readonly streams?: readonly string[];
    readonly processedAt: string;
  };
}

export interface ShopDataRejected {
  readonly type: 'ShopDataRejected';
  readonly data: OutcomeOf & {
    readonly reason: string;
    readonly rejectedAt: string;
    /** Set when an operator skipped the parked message (`admin parked skip`): who did. */
    readonly skippedBy?: string;
  };
}

/**
 * The message waits for a predecessor (a payment before its order, a shipment before full payment): it is retried
 * with backoff over the wait window and parked only after it. Written once per reason.
 */
export interface ShopDataWaiting {
  readonly type: 'ShopDataWaiting';
  readonly data: OutcomeOf & {
    readonly reason: string;
    readonly waitingAt: string;
  };
}

/**
 * Written just before the processor parks the message, so the request keeps why it was parked (in full: the
 * server's own record of a nack keeps only what fits its reason field) and how often it was tried.
 */
export interface ShopDataParked {
  readonly type: 'ShopDataParked';
  readonly data: OutcomeOf & {
    readonly reason: string;
    readonly parkedAt: string;
    /** Retries before it was parked (the delivery's retry count). */
    readonly retryCount: number;
    /** The earliest attempt on record (its first wait, or the first time this processor saw it). */
    readonly firstAttemptAt: string;
    /** The attempt that parked it. */
    readonly lastAttemptAt: string;
  };
}

export type RequestOutcomeEvent = ShopDataProcessed | ShopDataRejected | ShopDataWaiting | ShopDataParked;
export const REQUEST_STREAM_PREFIX = 'request-';

/** The raw input message the gateway appends to the input stream. `data` is the payload as it came. */
export const SHOP_DATA_RECEIVED = 'ShopDataReceived';
export interface ShopDataReceivedMetadata {
  readonly applies: string;
  readonly source: string;
  readonly profile: string;
  readonly receivedAt: string;
  readonly $correlationId: string;
  /**
   * On a copy the admin appends to replay one parked message (`admin parked replay --request`): the event id of the
   * original, which stays the message's identity (its outcome and domain event ids derive from it).
   */
  readonly replayOf?: string;
}
