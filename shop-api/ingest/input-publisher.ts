import { hash } from 'node:crypto';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import {
  jsonEvent,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type EventData,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { appendEvents, isUnavailable } from '../../lib/eventstore';
import { inSpan, SpanKind, withTraceContext } from '../../lib/tracing';
import { SHOP_DATA_RECEIVED, type ShopDataReceivedMetadata } from '../../contracts/events/requests';
import type { ShopData } from './shop-data';

/** Namespace for request ids derived from Idempotency-Key headers (UUID v5). */
const IDEMPOTENCY_NAMESPACE = '5b8f6f2e-7c1a-4e52-9d0b-3f6a1c2d4e8f';
export const APPEND_DEADLINE_MS = 5000;
export const IDEMPOTENCY_STREAM_PREFIX = 'idempotency-';
const KEY_CLAIMED = 'IdempotencyKeyClaimed';

/** An Idempotency-Key with the fingerprint (SHA-256 of the raw body) of the request that carries it. */
export interface IdempotentRequest {
  readonly key: string;
  readonly fingerprint: string;
}

export type PublishResult =
  | { readonly ok: true; readonly requestId: string; readonly metadata: ShopDataReceivedMetadata }
  | { readonly ok: false; readonly reason: 'key-reused'; readonly requestId: string };

/** The gateway's one port to the event store: store a received message, answer its requestId. */
export interface InputPublisher {
  /** `payloadBytes`: the size of the payload's JSON, which the gateway measured to bound the event. */
  publish(
    data: ShopData,
    idempotency: IdempotentRequest | undefined,
    receivedAt: Date,
    payloadBytes: number,
  ): Promise<PublishResult>;
}

export function bodyFingerprint(raw: Buffer): string {
  return hash('sha256', raw, 'hex');
}

/**
 * The requestId doubles as the input event id. With an Idempotency-Key it is derived from the sender and the key,
 * so a retry appends an event id the store already holds.
 */
export function requestIdFor(source: string, idempotencyKey: string | undefined): string {
  return idempotencyKey === undefined
    ? uuidv4()
    : uuidv5(`${source}\n${idempotencyKey}`, IDEMPOTENCY_NAMESPACE);
}

/**
 * A key is claimed on its own stream `idempotency-<requestId>`, appended with expected revision NO_STREAM: of two
 * requests with one key exactly one claim succeeds, on any EventStoreDB (deduplication of a re-appended event id
 * with expected revision `any` is only best effort on a real server). The claim holds the body's fingerprint, so
 * a retry with the same body is answered with the same requestId and a different body is refused, stored nowhere.
 */
async function claim(
  client: EventStoreDBClient,
  requestId: string,
  source: string,
  { key, fingerprint }: IdempotentRequest,
  at: Date,
): Promise<boolean> {
  const stream = IDEMPOTENCY_STREAM_PREFIX + requestId;
  try {
    await appendEvents(
      client,
      stream,
      [
        {
          id: uuidv5(`${requestId}/claim/${fingerprint}`, IDEMPOTENCY_NAMESPACE),
          type: KEY_CLAIMED,
          data: { requestId, source, key, fingerprint, claimedAt: at.toISOString() },
          metadata: { $correlationId: requestId },
        },
      ],
      NO_STREAM,
      APPEND_DEADLINE_MS,
    );
    return true;
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
    return (await claimedFingerprint(client, stream)) === fingerprint;
  }
}

async function claimedFingerprint(client: EventStoreDBClient, stream: string): Promise<string | undefined> {
  let fingerprint: string | undefined;
  try {
    // Read to the end (one event) rather than break: an abandoned read keeps the client from disposing.
    for await (const { event } of client.readStream(stream, { maxCount: 1, deadline: APPEND_DEADLINE_MS })) {
      const data = event?.data as { fingerprint?: unknown } | undefined;
      if (typeof data?.fingerprint === 'string') fingerprint = data.fingerprint;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return fingerprint;
}

/** Bounds for one coalesced append: well under EventStoreDB's default 1 MiB MaxAppendSize. */
export interface AppendBatchLimits {
  readonly maxEvents: number;
  /** Data + metadata bytes (JSON) of the events in one append; a single larger event still goes alone. */
  readonly maxBytes: number;
}

export const DEFAULT_APPEND_BATCH_LIMITS: AppendBatchLimits = { maxEvents: 200, maxBytes: 512 * 1024 };

interface QueuedAppend<E> {
  readonly event: E;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Appends that arrive while one is in flight wait and go together as the next one: one round trip (and one fsync)
 * for many requests, and no added wait for a request that arrives alone. One append is in flight at a time, so
 * the input stream keeps arrival order. Each caller gets its own outcome: when a batch fails for a reason that may
 * be one event's (too large, refused), its events are appended one by one; when the store is unreachable or the
 * outcome unknown (deadline), every caller in the batch gets that error, as each alone would have.
 */
export function coalescingAppender<E>(
  appendBatch: (events: E[]) => Promise<unknown>,
  limits: AppendBatchLimits = DEFAULT_APPEND_BATCH_LIMITS,
): (event: E, bytes: number) => Promise<void> {
  const queue: QueuedAppend<E>[] = [];
  let writing = false;

  const takeBatch = (): QueuedAppend<E>[] => {
    let count = 0;
    let bytes = 0;
    for (const next of queue) {
      if (count === limits.maxEvents || (count > 0 && bytes + next.bytes > limits.maxBytes)) break;
      count++;
      bytes += next.bytes;
    }
    return queue.splice(0, count);
  };

  const write = async (batch: readonly QueuedAppend<E>[]): Promise<void> => {
    try {
      await appendBatch(batch.map((queued) => queued.event));
      for (const queued of batch) queued.resolve();
    } catch (error) {
      if (batch.length === 1 || isUnavailable(error)) {
        for (const queued of batch) queued.reject(error);
        return;
      }
      // An append is atomic: nothing of the batch was stored, so each event can go again on its own.
      for (const queued of batch) await write([queued]);
    }
  };

  const drain = async () => {
    writing = true;
    while (queue.length > 0) await write(takeBatch());
    writing = false;
  };

  // `bytes` comes from the caller, which has measured the event already: the payload is not serialized again here.
  return (event, bytes) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ event, bytes, resolve, reject });
      if (!writing) void drain();
    });
}

export interface PublisherOptions {
  /**
   * False when this process started no tracing: the OpenTelemetry API is then a no-op, so the span and the trace
   * context of each append are skipped rather than made and thrown away. On unless told.
   */
  readonly traced?: boolean;
}

const UTF8 = new TextEncoder();

export function eventStoreInputPublisher(
  client: EventStoreDBClient,
  inputStream: string,
  limits: AppendBatchLimits = DEFAULT_APPEND_BATCH_LIMITS,
  { traced = true }: PublisherOptions = {},
): InputPublisher {
  // Expected revision `any`: the input stream is a log of arrivals, nothing guards on its revision.
  const append = coalescingAppender<EventData>(
    (events) =>
      client.appendToStream(inputStream, events, {
        expectedRevision: 'any',
        deadline: APPEND_DEADLINE_MS,
      }),
    limits,
  );
  return {
    async publish(data, idempotency, receivedAt, payloadBytes) {
      const requestId = requestIdFor(data.source, idempotency?.key);
      if (idempotency && !(await claim(client, requestId, data.source, idempotency, receivedAt))) {
        return { ok: false, reason: 'key-reused', requestId };
      }
      const metadata: ShopDataReceivedMetadata = {
        applies: data.applies,
        source: data.source,
        profile: data.profile,
        receivedAt: receivedAt.toISOString(),
        $correlationId: requestId,
      };
      const appendWith = (stored: Record<string, unknown>) => {
        // The same JSON bytes the client would store, serialized once: measured here, and handed to the client as
        // bytes so it neither serializes the metadata again nor round-trips it through base64.
        const encoded = UTF8.encode(JSON.stringify(stored));
        return append(
          jsonEvent({ id: requestId, type: SHOP_DATA_RECEIVED, data: data.payload, metadata: encoded }),
          payloadBytes + encoded.length,
        );
      };
      if (!traced) {
        await appendWith(metadata);
        return { ok: true, requestId, metadata };
      }
      // A span per request, so its event carries the request's own trace context whichever batch it goes in.
      const attributes = { 'messaging.destination.name': inputStream };
      await inSpan(`append ${inputStream}`, { kind: SpanKind.PRODUCER, attributes }, () =>
        appendWith(withTraceContext({ ...metadata })),
      );
      return { ok: true, requestId, metadata };
    },
  };
}
