import { FORWARDS, START, StreamNotFoundError, type EventStoreDBClient } from '@eventstore/db-client';

/** A persistent-subscription group on a stream: the input stream and the processing group. */
export interface GroupNames {
  readonly inputStream: string;
  readonly processingGroup: string;
}

export function parkedStreamName({ inputStream, processingGroup }: GroupNames): string {
  return `$persistentsubscription-${inputStream}::${processingGroup}-parked`;
}

/** The message a parked-stream entry links to, as stored on the input stream. */
export interface ParkedTarget {
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly created: Date;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
}

/** One entry of the parked stream: where it sits, what the server recorded, and the message it links to. */
export interface ParkedEntry {
  /** The entry's revision in the parked stream; replaying `stopAt` revision r replays the entries before r. */
  readonly revision: bigint;
  /** When the server parked it (the link's metadata `added`, else the link's own time). */
  readonly parkedAt: Date;
  /** What the server recorded, verbatim, e.g. "Client explicitly NAK'ed message.\n<the consumer's reason>". */
  readonly serverReason: string | undefined;
  /** Undefined when the linked event no longer exists (deleted or truncated stream). */
  readonly target: ParkedTarget | undefined;
}

const LINK_EVENT_TYPE = '$>';

function asObject(value: unknown): Record<string, unknown> {
  if (value instanceof Uint8Array) {
    try {
      return asObject(JSON.parse(Buffer.from(value).toString('utf8')));
    } catch {
      return {};
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The requestId a parked input message belongs to (its `$correlationId`), else its event id. */
export function requestIdOf(target: ParkedTarget): string {
  return text(target.metadata.$correlationId) ?? target.eventId;
}

interface LinkRecord {
  readonly revision: bigint;
  readonly created: Date;
  readonly metadata: unknown;
}
interface ResolvedParked {
  readonly event?: {
    readonly id: string;
    readonly type: string;
    readonly streamId: string;
    readonly revision: bigint;
    readonly created: Date;
    readonly data?: unknown;
    readonly metadata?: unknown;
  };
  readonly link?: LinkRecord;
}

/** Reads one resolved entry of the parked stream (a link and, when resolved, its target). */
export function toParkedEntry(resolved: ResolvedParked): ParkedEntry | undefined {
  const { event, link } = resolved;
  if (!event) return undefined;
  // Without a link the event read is the link itself: its target is gone.
  const linkRecord = link ?? (event.type === LINK_EVENT_TYPE ? event : undefined);
  if (!linkRecord) return undefined;
  const target = link ? event : undefined;
  const parkMetadata = asObject(linkRecord.metadata);
  const added = text(parkMetadata.added);
  return {
    revision: linkRecord.revision,
    parkedAt: added ? new Date(added) : linkRecord.created,
    serverReason: text(parkMetadata.reason),
    target: target && {
      eventId: target.id,
      type: target.type,
      streamId: target.streamId,
      revision: target.revision,
      created: target.created,
      data: target.data,
      metadata: asObject(target.metadata),
    },
  };
}

/**
 * The parked entries still waiting, oldest first (the server truncates what it replayed, so a read from the start
 * begins at the first one not yet replayed), at most `limit`.
 */
export async function readParkedEntries(
  client: EventStoreDBClient,
  names: GroupNames,
  limit: number,
  deadline?: number,
): Promise<ParkedEntry[]> {
  const entries: ParkedEntry[] = [];
  try {
    for await (const resolved of client.readStream(parkedStreamName(names), {
      direction: FORWARDS,
      fromRevision: START,
      maxCount: limit,
      resolveLinkTos: true,
      deadline,
    })) {
      const entry = toParkedEntry(resolved);
      if (entry) entries.push(entry);
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return entries;
}
