import {
  BACKWARDS,
  END,
  jsonEvent,
  NO_STREAM,
  StreamDeletedError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventStoreDBClient,
  type PersistentSubscriptionToStreamResolvedEvent,
} from '@eventstore/db-client';
import { collectRead } from './eventstore';
import type { GroupSource } from './persistent-consumer';

type Resolved = PersistentSubscriptionToStreamResolvedEvent;

const last = { direction: BACKWARDS, fromRevision: END, maxCount: 1 } as const;

/** Where the group's source ends now: a stream's last revision (-1 when empty), or `$all`'s last commit position. */
async function sourceHead(client: EventStoreDBClient, source: GroupSource): Promise<bigint> {
  const read =
    'stream' in source
      ? client.readStream(source.stream, last)
      : client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
  const [head] = await collectRead(read, (resolved) => placeOf(source, resolved));
  return head ?? -1n;
}

const placeOf = (source: GroupSource, resolved: Pick<Resolved, 'event'>): bigint | undefined =>
  'stream' in source ? resolved.event?.revision : resolved.event?.position?.commit;

/**
 * The started mark of an input stream: no consumer, of any group on it, has started a message past `upTo`. Each
 * raises it before it starts a message past it, `lease` revisions ahead, so it costs one append per `lease`
 * messages. `sinceCreation` says the mark was put in place while the stream was still empty: a mark made later
 * (messages may have been started before by consumers that kept none) bounds nothing.
 */
export const STARTED_EVENT_TYPE = 'DeliveriesStarted';

interface StartedMark {
  readonly upTo: bigint;
  readonly sinceCreation: boolean;
  readonly revision: AppendExpectedRevision;
}

/** Shared by every group on the stream: a group made later must still see what the others started. */
export function startedMarkStream(stream: string): string {
  return `started-${stream}`;
}

/** A mark stream keeps only its last few marks: only the last one counts. */
const MARKS_KEPT = 16;

function markOf(data: unknown, revision: bigint): StartedMark | undefined {
  const { upTo, sinceCreation } = (data ?? {}) as { upTo?: unknown; sinceCreation?: unknown };
  if (typeof upTo !== 'string' || !/^-?\d+$/.test(upTo)) return undefined;
  return { upTo: BigInt(upTo), sinceCreation: sinceCreation === true, revision };
}

/** The last mark; `{ revision }` alone when the last event is no mark; undefined when there is none. */
async function readMark(
  client: EventStoreDBClient,
  stream: string,
): Promise<StartedMark | { readonly revision: AppendExpectedRevision } | undefined> {
  const [found] = await collectRead(client.readStream(stream, last), ({ event }) =>
    event ? (markOf(event.data, event.revision) ?? { revision: event.revision }) : undefined,
  );
  return found;
}

async function appendMark(
  client: EventStoreDBClient,
  stream: string,
  mark: Omit<StartedMark, 'revision'>,
  expectedRevision: AppendExpectedRevision,
): Promise<void> {
  const data = { upTo: mark.upTo.toString(), sinceCreation: mark.sinceCreation };
  await client.appendToStream(stream, jsonEvent({ type: STARTED_EVENT_TYPE, data }), { expectedRevision });
  if (expectedRevision === NO_STREAM) {
    await client.setStreamMetadata(stream, { maxCount: MARKS_KEPT }).catch(() => undefined);
  }
}

/** What a connection may count as never started: past the mark, when the mark has covered the stream throughout. */
async function markBound(
  client: EventStoreDBClient,
  stream: string,
  head: bigint,
): Promise<bigint | undefined> {
  const markStream = startedMarkStream(stream);
  const mark = await readMark(client, markStream);
  if (mark === undefined && head === -1n) {
    // Nothing to start yet: from here on the mark covers every message of the stream.
    try {
      await appendMark(client, markStream, { upTo: -1n, sinceCreation: true }, NO_STREAM);
      return -1n;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      return markBound(client, stream, head);
    }
  }
  return mark !== undefined && 'upTo' in mark && mark.sinceCreation ? mark.upTo : undefined;
}

export interface DeliveryHistory {
  /**
   * Call before the message's handler starts: resolves once the started mark covers the message, with true only
   * when the group cannot have delivered it before (to this consumer or any other).
   */
  starting(resolved: Resolved): Promise<boolean>;
}

/** How long a message waits for the connection's first reads to tell its past; after that it counts as seen. */
const KNOWN_WITHIN_MS = 5000;

/** How far past a message the started mark is raised; a later connection counts these as possibly seen. */
export const DEFAULT_STARTED_LEASE = 1000n;

/**
 * What one persistent-subscription connection can tell of a message's past. The server delivers a message again
 * with a higher retry count (a nack, a timeout, a consumer gone), as a resolved link from the parked stream when
 * parked messages are replayed, or from the group's checkpoint with retry count 0 when the group restarts — and a
 * restart (server restart, update, subsystem restart) drops every connection. So on one connection, a message
 * with retry count 0 that is no link is delivered for the first time if it was appended after the connection was
 * confirmed, or, for a group on a stream, if it lies past the stream's started mark read then (no consumer of any
 * group had started it). Until both are known, every message counts as possibly seen.
 */
export function deliveryHistory(
  client: EventStoreDBClient,
  source: GroupSource,
  subscription: NodeJS.EventEmitter,
  lease: bigint = DEFAULT_STARTED_LEASE,
): DeliveryHistory {
  // `$all` positions are no count of messages: a group on `$all` is told by the head alone and keeps no mark.
  const markStream = 'stream' in source ? startedMarkStream(source.stream) : undefined;
  let seenUpTo: bigint | undefined;
  /** The highest mark known to be stored. */
  let stored: bigint | undefined;
  let raising: Promise<void> | undefined;
  let deleted = false;
  const remember = (upTo: bigint) => (stored = stored === undefined || upTo > stored ? upTo : stored);

  // The server confirms a connection before it delivers anything on it.
  const known = new Promise<void>((resolve) => {
    subscription.once('confirmation', () => {
      sourceHead(client, source)
        .then(async (head) => {
          // A mark that cannot be read bounds nothing: the head alone still bounds what came before.
          const bound =
            'stream' in source
              ? await markBound(client, source.stream, head).catch(() => undefined)
              : undefined;
          seenUpTo = bound !== undefined && bound < head ? bound : head;
        })
        .catch(() => undefined)
        .finally(resolve);
    });
  });
  const untilKnown = () => {
    if (seenUpTo !== undefined) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, KNOWN_WITHIN_MS).unref()));
    return Promise.race([known, late]).finally(() => clearTimeout(timer));
  };

  async function raise(stream: string, upTo: bigint): Promise<void> {
    for (;;) {
      const mark = await readMark(client, stream).catch((error: unknown) => {
        if (error instanceof StreamDeletedError) return undefined;
        throw error;
      });
      const current = mark && 'upTo' in mark ? mark : undefined;
      if (current && current.upTo >= upTo) {
        remember(current.upTo);
        return;
      }
      try {
        const sinceCreation = current?.sinceCreation ?? false;
        await appendMark(client, stream, { upTo, sinceCreation }, mark?.revision ?? NO_STREAM);
        remember(upTo);
        return;
      } catch (error) {
        // A deleted mark stream can be neither read nor raised: no connection counts anything as first by it.
        if (error instanceof StreamDeletedError) return void (deleted = true);
        // Another consumer raised it meanwhile: read it again.
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
  }

  return {
    async starting(resolved) {
      const at = placeOf(source, resolved);
      if (at === undefined) return false;
      await untilKnown();
      while (markStream !== undefined && !deleted && (stored === undefined || at > stored)) {
        raising ??= raise(markStream, at + lease).finally(() => (raising = undefined));
        await raising;
      }
      if (seenUpTo === undefined || resolved.retryCount > 0 || resolved.link !== undefined) return false;
      return at > seenUpTo;
    },
  };
}
