import type { RecordedEvent, ResolvedEvent } from '../log/types';
import { TOMBSTONE_REVISION } from '../log/types';
import { unixTicksFromTicks } from '../log/stream-metadata';

/**
 * Hand-written protobuf encoding of `ReadResp { event: ReadEvent }` (field numbers from streams.proto), because
 * reads and subscriptions send every event and google-protobuf's message objects cost more than the rest of the
 * read path. Each recorded event is encoded once and reused by every reader.
 */
const VARINT = 0;
const LENGTH_DELIMITED = 2;
/** EventStoreDB reports a tombstone's revision as Int64.MaxValue. */
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

function varintSize(value: number | bigint): number {
  let size = 1;
  let rest = BigInt(value);
  while (rest >= 0x80n) {
    size++;
    rest >>= 7n;
  }
  return size;
}

function smallVarintSize(value: number): number {
  if (value > 0x0fff_ffff) return varintSize(value);
  let size = 1;
  for (let rest = value; rest >= 0x80; rest >>>= 7) size++;
  return size;
}

/** Writes protobuf fields into one pre-sized buffer: no intermediate allocations per field. */
class FieldWriter {
  private at = 0;
  constructor(readonly buffer: Buffer) {}

  private varint(value: number | bigint): void {
    if (typeof value === 'number' && value <= 0x0fff_ffff) {
      let rest = value;
      while (rest >= 0x80) {
        this.buffer[this.at++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
      this.buffer[this.at++] = rest;
      return;
    }
    let rest = BigInt(value);
    while (rest >= 0x80n) {
      this.buffer[this.at++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buffer[this.at++] = Number(rest);
  }

  varintField(field: number, value: number | bigint): void {
    this.varint((field << 3) | VARINT);
    this.varint(value);
  }

  /** Starts a length-delimited field whose body, `length` bytes, the caller writes next. */
  header(field: number, length: number): void {
    this.varint((field << 3) | LENGTH_DELIMITED);
    this.varint(length);
  }

  bytes(field: number, value: Uint8Array): void {
    this.header(field, value.byteLength);
    this.buffer.set(value, this.at);
    this.at += value.byteLength;
  }

  string(field: number, value: Buffer): void {
    this.bytes(field, value);
  }
}

function varintFieldSize(field: number, value: number | bigint): number {
  return smallVarintSize(field << 3) + varintSize(value);
}

function lengthDelimitedSize(field: number, length: number): number {
  return smallVarintSize(field << 3) + smallVarintSize(length) + length;
}

const encoded = new WeakMap<RecordedEvent, Buffer>();

export function encodeRecordedEvent(event: RecordedEvent): Buffer {
  const cached = encoded.get(event);
  if (cached) return cached;
  const revision = event.revision === TOMBSTONE_REVISION ? TOMBSTONE_REVISION_WIRE : event.revision;
  const id = Buffer.from(event.id, 'utf8');
  const streamName = Buffer.from(event.streamId, 'utf8');
  const metadata: [Buffer, Buffer][] = [
    [Buffer.from('type'), Buffer.from(event.type, 'utf8')],
    [Buffer.from('content-type'), Buffer.from(event.contentType, 'utf8')],
    [Buffer.from('created'), Buffer.from(unixTicksFromTicks(event.created).toString())],
  ];
  const idSize = lengthDelimitedSize(FIELD.uuidString, id.length);
  const streamSize = lengthDelimitedSize(FIELD.streamName, streamName.length);
  const entrySizes = metadata.map(
    ([name, value]) =>
      lengthDelimitedSize(FIELD.mapKey, name.length) + lengthDelimitedSize(FIELD.mapValue, value.length),
  );
  let size =
    lengthDelimitedSize(FIELD.recordedId, idSize) +
    lengthDelimitedSize(FIELD.recordedStreamIdentifier, streamSize) +
    varintFieldSize(FIELD.recordedStreamRevision, revision) +
    varintFieldSize(FIELD.recordedPreparePosition, event.position) +
    varintFieldSize(FIELD.recordedCommitPosition, event.position) +
    entrySizes.reduce((sum, entry) => sum + lengthDelimitedSize(FIELD.recordedMetadata, entry), 0);
  if (event.metadata.byteLength > 0)
    size += lengthDelimitedSize(FIELD.recordedCustomMetadata, event.metadata.byteLength);
  if (event.data.byteLength > 0) size += lengthDelimitedSize(FIELD.recordedData, event.data.byteLength);
  const writer = new FieldWriter(Buffer.allocUnsafe(size));
  writer.header(FIELD.recordedId, idSize);
  writer.string(FIELD.uuidString, id);
  writer.header(FIELD.recordedStreamIdentifier, streamSize);
  writer.bytes(FIELD.streamName, streamName);
  writer.varintField(FIELD.recordedStreamRevision, revision);
  writer.varintField(FIELD.recordedPreparePosition, event.position);
  writer.varintField(FIELD.recordedCommitPosition, event.position);
  metadata.forEach(([name, value], index) => {
    writer.header(FIELD.recordedMetadata, entrySizes[index] ?? 0);
    writer.string(FIELD.mapKey, name);
    writer.string(FIELD.mapValue, value);
  });
  if (event.metadata.byteLength > 0) writer.bytes(FIELD.recordedCustomMetadata, event.metadata);
  if (event.data.byteLength > 0) writer.bytes(FIELD.recordedData, event.data);
  encoded.set(event, writer.buffer);
  return writer.buffer;
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
