import type { RecordedEvent, ResolvedEvent } from '../log/types';
import { TOMBSTONE_REVISION } from '../log/types';
import { unixTicksFromTicks } from '../log/stream-metadata';
import { encodeRecordedEventFields, FieldWriter, lengthDelimitedSize, varintFieldSize } from './field-writer';

/**
 * `ReadResp { event: ReadEvent }` of streams.proto, encoded by hand (see field-writer.ts). Each recorded event is
 * encoded once and reused by every reader.
 */

/** EventStoreDB reports a tombstone's revision as Int64.MaxValue. */
const TOMBSTONE_REVISION_WIRE = 0x7fff_ffff_ffff_ffffn;

const FIELD = { readRespEvent: 1, readEventEvent: 1, readEventLink: 2, readEventCommitPosition: 3 } as const;

const encoded = new WeakMap<RecordedEvent, Buffer>();

export function encodeRecordedEvent(event: RecordedEvent): Buffer {
  const cached = encoded.get(event);
  if (cached) return cached;
  const buffer = encodeRecordedEventFields({
    id: event.id,
    streamId: event.streamId,
    revision: event.revision === TOMBSTONE_REVISION ? TOMBSTONE_REVISION_WIRE : event.revision,
    preparePosition: event.position,
    commitPosition: event.position,
    type: event.type,
    contentType: event.contentType,
    createdUnixTicks: unixTicksFromTicks(event.created),
    metadata: event.metadata,
    data: event.data,
  });
  encoded.set(event, buffer);
  return buffer;
}

/** The serialized `ReadResp` carrying one event (and the link it was reached through, when resolved). */
export function encodeReadEventResponse(resolved: ResolvedEvent): Buffer {
  const event = resolved.event && encodeRecordedEvent(resolved.event);
  const link = resolved.link && encodeRecordedEvent(resolved.link);
  const positioned = resolved.link ?? resolved.event;
  let readEventSize = 0;
  if (event) readEventSize += lengthDelimitedSize(FIELD.readEventEvent, event.length);
  if (link) readEventSize += lengthDelimitedSize(FIELD.readEventLink, link.length);
  if (positioned) readEventSize += varintFieldSize(FIELD.readEventCommitPosition, positioned.position);
  const writer = new FieldWriter(Buffer.allocUnsafe(lengthDelimitedSize(FIELD.readRespEvent, readEventSize)));
  writer.header(FIELD.readRespEvent, readEventSize);
  if (event) writer.bytes(FIELD.readEventEvent, event);
  if (link) writer.bytes(FIELD.readEventLink, link);
  if (positioned) writer.varintField(FIELD.readEventCommitPosition, positioned.position);
  return writer.buffer;
}

const STREAM_NOT_FOUND = { readResp: 4, streamIdentifier: 1, streamName: 3 } as const;

/** The serialized `ReadResp { stream_not_found { stream_identifier } }`: most reads of a new aggregate end so. */
export function encodeStreamNotFoundResponse(streamId: string): Buffer {
  const name = Buffer.from(streamId, 'utf8');
  const identifierSize = lengthDelimitedSize(STREAM_NOT_FOUND.streamName, name.length);
  const notFoundSize = lengthDelimitedSize(STREAM_NOT_FOUND.streamIdentifier, identifierSize);
  const writer = new FieldWriter(
    Buffer.allocUnsafe(lengthDelimitedSize(STREAM_NOT_FOUND.readResp, notFoundSize)),
  );
  writer.header(STREAM_NOT_FOUND.readResp, notFoundSize);
  writer.header(STREAM_NOT_FOUND.streamIdentifier, identifierSize);
  writer.bytes(STREAM_NOT_FOUND.streamName, name);
  return writer.buffer;
}
