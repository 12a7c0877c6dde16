import { ReadResp, SubscriptionInfo } from '@eventstore/db-client/generated/persistent_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import type { LoggedEvent } from './port';
import type { OutstandingMessage } from './message';
import type { GroupStats } from './subscription-group';
import type { SubscriptionDefinition } from './settings';
import type { SourcePoint } from './checkpoint-window';
import { ALL_STREAM } from './names';
import { formatCheckpoint, formatPosition } from './checkpoint-store';
import { unixTicksFromTicks } from '../log/stream-metadata';
import { encodePersistentReadEvent, type PersistentReadReply } from './read-event-encoder';

/** Messages for the wire, built with the client's own generated classes; 64-bit fields as decimal strings. */

export type UuidFormat = 'string' | 'structured';

function uuidOf(id: string, format: UuidFormat): UUID {
  const uuid = new UUID();
  if (format === 'string') return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  const structured = new UUID.Structured()
    .setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString())
    .setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString());
  return uuid.setStructured(structured);
}

export function recordedEventOf(event: LoggedEvent, format: UuidFormat): ReadResp.ReadEvent.RecordedEvent {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidOf(event.id, format))
    .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(event.streamId)))
    .setStreamRevision(event.revision.toString())
    .setPreparePosition(event.position.prepare.toString())
    .setCommitPosition(event.position.commit.toString())
    .setCustomMetadata(event.metadata)
    .setData(event.data);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.contentType)
    .set('created', unixTicksFromTicks(event.created).toString());
  return recorded;
}

export function readEventOf(
  message: OutstandingMessage,
  isAll: boolean,
  format: UuidFormat,
): PersistentReadReply {
  if (format === 'string') return encodePersistentReadEvent(message, isAll);
  const readEvent = new ReadResp.ReadEvent().setEvent(recordedEventOf(message.event, format));
  if (message.link) readEvent.setLink(recordedEventOf(message.link, format));
  if (isAll) readEvent.setCommitPosition(message.original.position.commit.toString());
  else readEvent.setNoPosition(new Empty());
  readEvent.setRetryCount(message.retryCount);
  return new ReadResp().setEvent(readEvent);
}

export function confirmationOf(subscriptionId: string): ReadResp {
  return new ReadResp().setSubscriptionConfirmation(
    new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId),
  );
}

function startFromText(definition: SubscriptionDefinition): string {
  const { startFrom } = definition.settings;
  const isAll = definition.stream === ALL_STREAM;
  switch (startFrom.kind) {
    case 'start':
      return isAll ? 'C:0/P:0' : '0';
    case 'end':
      return isAll ? 'C:-1/P:-1' : '-1';
    case 'revision':
      return startFrom.revision.toString();
    case 'position':
      return formatPosition(startFrom.position);
  }
}

function pointText(stream: string, point: SourcePoint | undefined): string {
  return point ? formatCheckpoint(stream, point) : '';
}

export function subscriptionInfoOf(definition: SubscriptionDefinition, stats: GroupStats): SubscriptionInfo {
  const { settings } = definition;
  const connections = stats.connections.map(({ connection, inFlight, totalItems }) =>
    new SubscriptionInfo.ConnectionInfo()
      .setFrom(connection.from)
      .setUsername(connection.username)
      .setAverageItemsPerSecond(0)
      .setTotalItems(totalItems.toString())
      .setCountSinceLastMeasurement('0')
      .setAvailableSlots(Math.max(connection.bufferSize - inFlight, 0))
      .setInFlightMessages(inFlight)
      .setConnectionName(connection.connectionName),
  );
  return new SubscriptionInfo()
    .setEventSource(definition.stream)
    .setGroupName(definition.group)
    .setStatus(stats.live ? 'Live' : 'Behind')
    .setConnectionsList(connections)
    .setAveragePerSecond(0)
    .setTotalItems(stats.totalItems.toString())
    .setCountSinceLastMeasurement('0')
    .setLastCheckpointedEventPosition(pointText(definition.stream, stats.lastCheckpoint))
    .setLastKnownEventPosition(pointText(definition.stream, stats.lastKnown))
    .setResolveLinkTos(settings.resolveLinkTos)
    .setStartFrom(startFromText(definition))
    .setMessageTimeoutMilliseconds(settings.messageTimeoutMs)
    .setExtraStatistics(settings.extraStatistics)
    .setMaxRetryCount(settings.maxRetryCount)
    .setLiveBufferSize(settings.liveBufferSize)
    .setBufferSize(settings.historyBufferSize)
    .setReadBatchSize(settings.readBatchSize)
    .setCheckPointAfterMilliseconds(settings.checkpointAfterMs)
    .setMinCheckPointCount(settings.minCheckpointCount)
    .setMaxCheckPointCount(settings.maxCheckpointCount)
    .setReadBufferCount(stats.bufferCount)
    .setLiveBufferCount('0')
    .setRetryBufferCount(stats.retryCount)
    .setTotalInFlightMessages(stats.inFlight)
    .setOutstandingMessagesCount(stats.inFlight)
    .setNamedConsumerStrategy(settings.consumerStrategy)
    .setMaxSubscriberCount(settings.maxSubscriberCount)
    .setParkedMessageCount(stats.parkedCount.toString());
}
