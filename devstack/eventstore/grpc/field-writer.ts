/**
 * Hand-written protobuf encoding for the messages sent once per event (reads, catch-up and persistent
 * subscriptions): google-protobuf's message objects cost more than the rest of those paths.
 */
const VARINT = 0;
const LENGTH_DELIMITED = 2;
const SMALL_VARINT_MAX = 0x0fff_ffff;

export function varintSize(value: number | bigint): number {
  if (typeof value === 'number' && value <= SMALL_VARINT_MAX) return smallVarintSize(value);
  let size = 1;
  let rest = BigInt(value);
  while (rest >= 0x80n) {
    size++;
    rest >>= 7n;
  }
  return size;
}

function smallVarintSize(value: number): number {
  if (value > SMALL_VARINT_MAX) return varintSize(value);
  let size = 1;
  for (let rest = value; rest >= 0x80; rest >>>= 7) size++;
  return size;
}

export function varintFieldSize(field: number, value: number | bigint): number {
  return smallVarintSize(field << 3) + varintSize(value);
}

export function lengthDelimitedSize(field: number, length: number): number {
  return smallVarintSize(field << 3) + smallVarintSize(length) + length;
}

/** Writes protobuf fields into one pre-sized buffer: no intermediate allocations per field. */
export class FieldWriter {
  private at = 0;
  constructor(readonly buffer: Buffer) {}

  private varint(value: number | bigint): void {
    if (typeof value === 'number' && value <= SMALL_VARINT_MAX) {
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
}

/** What `RecordedEvent` (the same field numbers in streams.proto and persistent.proto) carries. */
export interface RecordedEventFields {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number | bigint;
  readonly preparePosition: number | bigint;
  readonly commitPosition: number | bigint;
  readonly type: string;
  readonly contentType: string;
  /** 100-ns ticks since the Unix epoch, as the client reads `created`. */
  readonly createdUnixTicks: bigint;
  readonly metadata: Uint8Array;
  readonly data: Uint8Array;
}

const FIELD = {
  id: 1,
  streamIdentifier: 2,
  streamRevision: 3,
  preparePosition: 4,
  commitPosition: 5,
  metadata: 6,
  customMetadata: 7,
  data: 8,
  uuidString: 2,
  streamName: 3,
  mapKey: 1,
  mapValue: 2,
} as const;

const TYPE_KEY = Buffer.from('type');
const CONTENT_TYPE_KEY = Buffer.from('content-type');
const CREATED_KEY = Buffer.from('created');

function mapEntrySize(key: Buffer, value: Buffer): number {
  return lengthDelimitedSize(FIELD.mapKey, key.length) + lengthDelimitedSize(FIELD.mapValue, value.length);
}

/** A `RecordedEvent` with the id as a UUID string and the system metadata `type`, `content-type`, `created`. */
export function encodeRecordedEventFields(event: RecordedEventFields): Buffer {
  const id = Buffer.from(event.id, 'utf8');
  const streamName = Buffer.from(event.streamId, 'utf8');
  const type = Buffer.from(event.type, 'utf8');
  const contentType = Buffer.from(event.contentType, 'utf8');
  const created = Buffer.from(event.createdUnixTicks.toString(), 'latin1');
  const idSize = lengthDelimitedSize(FIELD.uuidString, id.length);
  const streamSize = lengthDelimitedSize(FIELD.streamName, streamName.length);
  const typeSize = mapEntrySize(TYPE_KEY, type);
  const contentTypeSize = mapEntrySize(CONTENT_TYPE_KEY, contentType);
  const createdSize = mapEntrySize(CREATED_KEY, created);
  let size =
    lengthDelimitedSize(FIELD.id, idSize) +
    lengthDelimitedSize(FIELD.streamIdentifier, streamSize) +
    varintFieldSize(FIELD.streamRevision, event.revision) +
    varintFieldSize(FIELD.preparePosition, event.preparePosition) +
    varintFieldSize(FIELD.commitPosition, event.commitPosition) +
    lengthDelimitedSize(FIELD.metadata, typeSize) +
    lengthDelimitedSize(FIELD.metadata, contentTypeSize) +
    lengthDelimitedSize(FIELD.metadata, createdSize);
  if (event.metadata.byteLength > 0)
    size += lengthDelimitedSize(FIELD.customMetadata, event.metadata.byteLength);
  if (event.data.byteLength > 0) size += lengthDelimitedSize(FIELD.data, event.data.byteLength);
  const writer = new FieldWriter(Buffer.allocUnsafe(size));
  writer.header(FIELD.id, idSize);
  writer.bytes(FIELD.uuidString, id);
  writer.header(FIELD.streamIdentifier, streamSize);
  writer.bytes(FIELD.streamName, streamName);
  writer.varintField(FIELD.streamRevision, event.revision);
  writer.varintField(FIELD.preparePosition, event.preparePosition);
  writer.varintField(FIELD.commitPosition, event.commitPosition);
  for (const [key, value, entrySize] of [
    [TYPE_KEY, type, typeSize],
    [CONTENT_TYPE_KEY, contentType, contentTypeSize],
    [CREATED_KEY, created, createdSize],
  ] as const) {
    writer.header(FIELD.metadata, entrySize);
    writer.bytes(FIELD.mapKey, key);
    writer.bytes(FIELD.mapValue, value);
  }
  if (event.metadata.byteLength > 0) writer.bytes(FIELD.customMetadata, event.metadata);
  if (event.data.byteLength > 0) writer.bytes(FIELD.data, event.data);
  return writer.buffer;
}
