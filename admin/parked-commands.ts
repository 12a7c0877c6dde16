import {
  FORWARDS,
  PersistentSubscriptionDoesNotExistError,
  START,
  StreamNotFoundError,
  type EventStoreDBClient,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { parkedStreamName } from '../synchronizers/host/event-source';
import { plural, table } from './format';
import { done, SERVER_DEADLINE_MS, type CommandOutcome } from './outcome';
import { groupMissing, type GroupNames } from './subscription-commands';

export interface ParkedMessage {
  readonly requestId: string;
  readonly eventId: string;
  readonly type: string;
  readonly parkedAt: string;
  readonly reason: string;
}

const LINK_EVENT_TYPE = '$>';
const UNKNOWN = '?';

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

/** EventStoreDB records a client's nack as "Client explicitly NAK'ed message.\n<reason>": keep it on one row. */
function oneLine(reason: string | undefined): string | undefined {
  return reason?.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * One entry of the parked stream. The link's metadata carries why and when it was parked where the server
 * records that; the linked input event carries the requestId as `$correlationId`.
 */
export function toParkedMessage(resolved: ResolvedEvent): ParkedMessage | undefined {
  const { event, link } = resolved;
  if (!event) return undefined;
  const target = event.type === LINK_EVENT_TYPE && !link ? undefined : event;
  const linkRecord = link ?? (target ? undefined : event);
  const parkMetadata = asObject(linkRecord?.metadata);
  const metadata = asObject(target?.metadata);
  return {
    requestId: text(metadata.$correlationId) ?? UNKNOWN,
    eventId: target?.id ?? UNKNOWN,
    type: target?.type ?? '(linked event no longer exists)',
    parkedAt: text(parkMetadata.added) ?? linkRecord?.created.toISOString() ?? UNKNOWN,
    reason: oneLine(text(parkMetadata.reason)) ?? 'unknown',
  };
}

export async function readParked(
  client: EventStoreDBClient,
  names: GroupNames,
  limit: number,
): Promise<ParkedMessage[]> {
  const parked: ParkedMessage[] = [];
  try {
    for await (const resolved of client.readStream(parkedStreamName(names), {
      direction: FORWARDS,
      fromRevision: START,
      maxCount: limit,
      resolveLinkTos: true,
      deadline: SERVER_DEADLINE_MS,
    })) {
      const message = toParkedMessage(resolved);
      if (message) parked.push(message);
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return parked;
}

export function formatParked(parked: readonly ParkedMessage[], limit: number): string {
  if (parked.length === 0) return 'No parked messages.';
  const rows = parked.map((m) => [m.requestId, m.eventId, m.type, m.parkedAt, m.reason]);
  const listing = table(['requestId', 'event id', 'type', 'parked at', 'reason'], rows);
  const more = parked.length === limit ? `\n(showing the first ${limit}; use --limit to see more)` : '';
  return `${plural(parked.length, 'parked message')}:\n${listing}${more}`;
}

export async function parkedList(
  client: EventStoreDBClient,
  names: GroupNames,
  limit: number,
): Promise<CommandOutcome> {
  return done(formatParked(await readParked(client, names, limit), limit));
}

export async function parkedReplay(client: EventStoreDBClient, names: GroupNames): Promise<CommandOutcome> {
  const options = { deadline: SERVER_DEADLINE_MS };
  try {
    const info = await client.getPersistentSubscriptionToStreamInfo(
      names.inputStream,
      names.processingGroup,
      options,
    );
    const count = info.stats.parkedMessageCount;
    if (count === 0n) return done('No parked messages to replay.');
    await client.replayParkedMessagesToStream(names.inputStream, names.processingGroup, options);
    return done(
      `Replaying ${plural(count, 'parked message')} to group "${names.processingGroup}"` +
        (info.connections.length === 0 ? ': no consumer is connected, they wait for a processor.' : '.'),
    );
  } catch (error) {
    if (error instanceof PersistentSubscriptionDoesNotExistError) return groupMissing(names);
    throw error;
  }
}
