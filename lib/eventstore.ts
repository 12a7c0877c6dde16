import {
  EventStoreDBClient,
  jsonEvent,
  type AppendExpectedRevision,
  type ResolvedEvent,
  type MetadataType,
  type StreamingRead,
} from '@eventstore/db-client';
import { DeadlineExceededError, StreamNotFoundError, UnavailableError } from '@eventstore/db-client';
import type { Check } from './http';
import { inSpan, SpanKind, withTraceContext } from './tracing';

export { EventStoreDBClient };

/** An event as the application sees it, whichever subscription or read delivered it. */
export interface StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly streamId: string;
  readonly revision: number;
  /** Commit position in `$all`; absent when the server did not send one. */
  readonly position: number | undefined;
  readonly preparePosition: number | undefined;
  readonly created: string;
  /** Set when this event was reached through a link: the stream holding the link. */
  readonly linkStreamId?: string | undefined;
}

export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

export function connectEventStore(connectionString: string): EventStoreDBClient {
  return EventStoreDBClient.connectionString(connectionString);
}

export function toJsonEvent(event: NewEvent) {
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });
}

/** The one append: in a span of its own, each event carrying the trace context in its metadata. */
export async function appendEvents(
  client: EventStoreDBClient,
  stream: string,
  events: readonly NewEvent[],
  expectedRevision: AppendExpectedRevision,
  deadlineMs?: number,
) {
  const attributes = { 'messaging.destination.name': stream, 'messaging.batch.message_count': events.length };
  return inSpan(`append ${stream}`, { kind: SpanKind.PRODUCER, attributes }, () =>
    client.appendToStream(
      stream,
      events.map((event) => toJsonEvent({ ...event, metadata: withTraceContext(event.metadata) })),
      { expectedRevision, deadline: deadlineMs },
    ),
  );
}

function asRecord(metadata: MetadataType | undefined): Record<string, unknown> {
  if (metadata === undefined || metadata instanceof Uint8Array || typeof metadata !== 'object') return {};
  return Array.isArray(metadata) ? {} : metadata;
}

/** The event a resolved event stands for (the target of a link when resolved, else the event itself). */
export function toStoredEvent(resolved: ResolvedEvent): StoredEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  // A resolved link sits in $all at the link's position, not the target's.
  const at = (resolved.link ?? event).position;
  const commit = resolved.commitPosition ?? at?.commit;
  const prepare = at?.prepare ?? commit;
  return {
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata: asRecord(event.metadata),
    streamId: event.streamId,
    revision: Number(event.revision),
    position: commit === undefined ? undefined : Number(commit),
    preparePosition: prepare === undefined ? undefined : Number(prepare),
    created: event.created.toISOString(),
    linkStreamId: resolved.link?.streamId,
  };
}

/**
 * Every item of a read, mapped (undefined drops one); a stream that does not exist reads as empty. Listens to the
 * read instead of iterating it: leaving a `for await` on the error of a missing stream makes Node create and
 * format an `AbortError` for every such read, a cost paid on each new aggregate.
 */
export function collectRead<T>(
  read: StreamingRead<ResolvedEvent>,
  map: (resolved: ResolvedEvent) => T | undefined,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const items: T[] = [];
    read.on('data', (resolved: ResolvedEvent) => {
      try {
        const item = map(resolved);
        if (item !== undefined) items.push(item);
      } catch (error) {
        read.removeAllListeners('data');
        // The rest of the read is of no use: the call is ended rather than read to its end.
        void read.cancel().catch(() => undefined);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    read.on('error', (error: Error) => (error instanceof StreamNotFoundError ? resolve([]) : reject(error)));
    read.once('end', () => resolve(items));
  });
}

/** A stream's events as the read options select them; a stream that does not exist reads as empty. */
export function readStreamOrEmpty(
  client: EventStoreDBClient,
  stream: string,
  options?: Parameters<EventStoreDBClient['readStream']>[1],
): Promise<StoredEvent[]> {
  return collectRead(client.readStream(stream, options), toStoredEvent);
}

/** True for the errors that mean "the store could not be reached", as opposed to a refused request. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof UnavailableError || error instanceof DeadlineExceededError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNREFUSED' || code === 14 || code === 4;
}

/**
 * Readiness: a cheap read that only succeeds when the store answers. It reads to the end (at most one event)
 * rather than breaking out: the client tracks every call until it finishes, and `dispose()` waits without limit
 * for a read left half-consumed, so an abandoned probe would hold up the service's shutdown.
 */
export function eventStoreCheck(client: EventStoreDBClient, deadlineMs = 2000): () => Promise<Check> {
  return async () => {
    try {
      const read = client.readAll({
        direction: 'backwards',
        fromPosition: 'end',
        maxCount: 1,
        deadline: deadlineMs,
      });
      for await (const _ of read) {
        // maxCount 1: the loop ends after one event, when the server ends the call
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  };
}
