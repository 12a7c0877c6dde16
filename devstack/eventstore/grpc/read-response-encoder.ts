import type { RecordedEvent, ResolvedEvent } from '../log/types';
import { TOMBSTONE_REVISION } from '../log/types';

/**
 * Hand-written protobuf encoding of `ReadResp { event: ReadEvent }` (field numbers from streams.proto), because
 * reads and subscriptions send every event and google-protobuf's message objects cost more than the rest of the
 * read path. Each recorded event is encoded once and reused by every reader.
 */
const VARINT = 0;
const LENGTH_DELIMITED = 2;
const TOMBSTONE_REVISION_WIRE = 0x7fff_ffff_ffff_ffffn;

const FIELD = {
  readRespEvent: 1,
  readEventEvent: 1,
  readEventLink: 2,
  readEventCommitPosition: 3,
  recordedId: 1,
  recordedStreamIdentifier: 2,
  recordedStreamRevision: 3,
  recordedPreparePosition: 4,
  recordedCommitPosition: 5,
  recordedMetadata: 6,
  recordedCustomMetadata: 7,
  recordedData: 8,
  uuidString: 2,
  streamName: 3,
  mapKey: 1,
  mapValue: 2,
} as const;

function varint(value: number | bigint): number[] {
  const bytes: number[] = [];
  let rest = BigInt(value);
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

function smallVarint(value: number): number[] {
  if (value > 0x0fff_ffff) return varint(value);
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return bytes;
}

function key(field: number, wireType: number): number[] {
  return smallVarint((field << 3) | wireType);
}

function varintField(field: number, value: number | bigint): Buffer {
  return Buffer.from([...key(field, VARINT), ...varint(value)]);
}

function bytesField(field: number, value: Uint8Array): Buffer {
  return Buffer.concat([
    Buffer.from([...key(field, LENGTH_DELIMITED), ...smallVarint(value.byteLength)]),
    value,
  ]);
}

function stringField(field: number, value: string): Buffer {
  return bytesField(field, Buffer.from(value, 'utf8'));
}

function mapEntry(name: string, value: string): Buffer {
  return bytesField(
    FIELD.recordedMetadata,
    Buffer.concat([stringField(FIELD.mapKey, name), stringField(FIELD.mapValue, value)]),
  );
}

const encoded = new WeakMap<RecordedEvent, Buffer>();

export function encodeRecordedEvent(event: RecordedEvent): Buffer {
  const cached = encoded.get(event);
  if (cached) return cached;
  const revision = event.revision === TOMBSTONE_REVISION ? TOMBSTONE_REVISION_WIRE : event.revision;
  const parts = [
    bytesField(FIELD.recordedId, stringField(FIELD.uuidString, event.id)),
    bytesField(
      FIELD.recordedStreamIdentifier,
      bytesField(FIELD.streamName, Buffer.from(event.streamId, 'utf8')),
    ),
    varintField(FIELD.recordedStreamRevision, revision),
    varintField(FIELD.recordedPreparePosition, event.position),
    varintField(FIELD.recordedCommitPosition, event.position),
    mapEntry('type', event.type),
    mapEntry('content-type', event.contentType),
    mapEntry('created', event.created.toString()),
  ];
  if (event.metadata.byteLength > 0) parts.push(bytesField(FIELD.recordedCustomMetadata, event.metadata));
  if (event.data.byteLength > 0) parts.push(bytesField(FIELD.recordedData, event.data));
  const buffer = Buffer.concat(parts);
  encoded.set(event, buffer);
  return buffer;
}

/** The serialized `ReadResp` carrying one event (and the link it was reached through, when resolved). */
export function encodeReadEventResponse(resolved: ResolvedEvent): Buffer {
  const parts: Buffer[] = [];
  if (resolved.event) parts.push(bytesField(FIELD.readEventEvent, encodeRecordedEvent(resolved.event)));
  if (resolved.link) parts.push(bytesField(FIELD.readEventLink, encodeRecordedEvent(resolved.link)));
  const positioned = resolved.link ?? resolved.event;
  if (positioned) parts.push(varintField(FIELD.readEventCommitPosition, positioned.position));
  return bytesField(FIELD.readRespEvent, Buffer.concat(parts));
}
