import { crc32 } from 'node:zlib';
import type { RecordedEvent } from './types';

/** One event as stored in a log record: position and sequence are not stored, they follow from where it sits. */
export type StoredEntry = Omit<RecordedEvent, 'position' | 'sequence'>;

/** A record: [u32 payload length][u32 crc32 of payload][payload]. One record per append, so a torn write loses
 * a whole unacknowledged append and never half of one. */
export const RECORD_HEADER_BYTES = 8;
const COUNT_BYTES = 4;
const ENTRY_LENGTH_BYTES = 4;
/** revision f64 + created i64 + five length prefixes. */
const ENTRY_FIXED_BYTES = 8 + 8 + 2 + 2 + 2 + 2 + 4 + 4;

export interface EncodedRecord {
  readonly buffer: Buffer;
  /** Offset of each entry inside `buffer`: position = record offset + this. */
  readonly entryOffsets: readonly number[];
}

function entrySize(entry: StoredEntry): number {
  return (
    ENTRY_FIXED_BYTES +
    Buffer.byteLength(entry.id) +
    Buffer.byteLength(entry.streamId) +
    Buffer.byteLength(entry.type) +
    Buffer.byteLength(entry.contentType) +
    entry.data.byteLength +
    entry.metadata.byteLength
  );
}

function writeString16(buffer: Buffer, value: string, at: number): number {
  const length = buffer.write(value, at + 2, 'utf8');
  buffer.writeUInt16LE(length, at);
  return at + 2 + length;
}

function writeBytes32(buffer: Buffer, value: Uint8Array, at: number): number {
  buffer.writeUInt32LE(value.byteLength, at);
  buffer.set(value, at + 4);
  return at + 4 + value.byteLength;
}

export function encodeRecord(entries: readonly StoredEntry[]): EncodedRecord {
  const sizes = entries.map(entrySize);
  const payloadLength = COUNT_BYTES + sizes.reduce((sum, size) => sum + ENTRY_LENGTH_BYTES + size, 0);
  const buffer = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payloadLength);
  buffer.writeUInt32LE(payloadLength, 0);
  buffer.writeUInt32LE(entries.length, RECORD_HEADER_BYTES);
  const entryOffsets: number[] = [];
  let at = RECORD_HEADER_BYTES + COUNT_BYTES;
  entries.forEach((entry, index) => {
    entryOffsets.push(at);
    buffer.writeUInt32LE(sizes[index] ?? 0, at);
    at += ENTRY_LENGTH_BYTES;
    buffer.writeDoubleLE(entry.revision, at);
    buffer.writeBigInt64LE(entry.created, at + 8);
    at += 16;
    at = writeString16(buffer, entry.id, at);
    at = writeString16(buffer, entry.streamId, at);
    at = writeString16(buffer, entry.type, at);
    at = writeString16(buffer, entry.contentType, at);
    at = writeBytes32(buffer, entry.data, at);
    at = writeBytes32(buffer, entry.metadata, at);
  });
  buffer.writeUInt32LE(crc32(buffer.subarray(RECORD_HEADER_BYTES)), 4);
  return { buffer, entryOffsets };
}

/** The byte size `encodeRecord` would produce, without encoding (for the in-memory log's positions). */
export function recordSize(entries: readonly StoredEntry[]): { size: number; entryOffsets: number[] } {
  const entryOffsets: number[] = [];
  let at = RECORD_HEADER_BYTES + COUNT_BYTES;
  for (const entry of entries) {
    entryOffsets.push(at);
    at += ENTRY_LENGTH_BYTES + entrySize(entry);
  }
  return { size: at, entryOffsets };
}

/** Where an entry sits in a record buffer: `offset` from the record start, `length` with its length prefix. */
export interface EntrySpan {
  readonly offset: number;
  readonly length: number;
}

export type ScanOutcome =
  | { readonly ok: true; readonly size: number; readonly entries: readonly EntrySpan[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks the record starting at `offset` (length, checksum, entry lengths adding up) and lists its entries; a
 * short, oversized or checksum-failing record is reported, not thrown. `buffer` may hold more than the record.
 */
export function scanRecordAt(buffer: Buffer, offset: number): ScanOutcome {
  if (buffer.length - offset < RECORD_HEADER_BYTES) return { ok: false, reason: 'partial record header' };
  const payloadLength = buffer.readUInt32LE(offset);
  const end = offset + RECORD_HEADER_BYTES + payloadLength;
  if (payloadLength < COUNT_BYTES || end > buffer.length) return { ok: false, reason: 'partial record' };
  if (crc32(buffer.subarray(offset + RECORD_HEADER_BYTES, end)) !== buffer.readUInt32LE(offset + 4)) {
    return { ok: false, reason: 'checksum mismatch' };
  }
  const count = buffer.readUInt32LE(offset + RECORD_HEADER_BYTES);
  const entries: EntrySpan[] = [];
  let at = offset + RECORD_HEADER_BYTES + COUNT_BYTES;
  for (let index = 0; index < count; index++) {
    if (at + ENTRY_LENGTH_BYTES + ENTRY_FIXED_BYTES > end) return { ok: false, reason: 'malformed record' };
    const length = ENTRY_LENGTH_BYTES + buffer.readUInt32LE(at);
    entries.push({ offset: at - offset, length });
    at += length;
  }
  if (at !== end) return { ok: false, reason: 'record length does not match its entries' };
  return { ok: true, size: end - offset, entries };
}

class Reader {
  constructor(
    private readonly buffer: Buffer,
    public at: number,
  ) {}
  string16(): string {
    const length = this.buffer.readUInt16LE(this.at);
    const value = this.buffer.toString('utf8', this.at + 2, this.at + 2 + length);
    this.at += 2 + length;
    return value;
  }
}

/** What the index needs of an entry, decoded without copying its data. */
export interface EntryHeader {
  readonly revision: number;
  readonly id: string;
  readonly streamId: string;
  readonly type: string;
}

/** The header of the entry whose length prefix is at `at`. */
export function decodeEntryHeaderAt(buffer: Buffer, at: number): EntryHeader {
  const reader = new Reader(buffer, at + ENTRY_LENGTH_BYTES + 16);
  const revision = buffer.readDoubleLE(at + ENTRY_LENGTH_BYTES);
  const id = reader.string16();
  const streamId = reader.string16();
  return { revision, id, streamId, type: reader.string16() };
}

/** Where the length-prefixed (u16) string at `at` ends. */
const afterString16 = (buffer: Buffer, at: number): number => at + 2 + buffer.readUInt16LE(at);
const string16At = (buffer: Buffer, at: number): string =>
  buffer.toString('utf8', at + 2, afterString16(buffer, at));
/** The bytes of the length-prefixed (u32) field at `at`, without copying. */
const bytesAt = (buffer: Buffer, at: number): Uint8Array =>
  new Uint8Array(buffer.buffer, buffer.byteOffset + at + 4, buffer.readUInt32LE(at));

/**
 * The entry whose length prefix is at `at`. Its data and metadata are views into `buffer` (no copy: copying
 * small typed arrays costs more than decoding), so the caller hands over a buffer it will not reuse.
 * `streamId` and `type` come from the caller when it has them interned. No closures: this runs for every event
 * read back, and under tsx each closure is also wrapped to keep its name.
 */
export function decodeEntryAt(
  buffer: Buffer,
  at: number,
  names: { readonly streamId: string; readonly type: string },
): StoredEntry {
  const idAt = at + ENTRY_LENGTH_BYTES + 16;
  const contentTypeAt = afterString16(buffer, afterString16(buffer, afterString16(buffer, idAt)));
  const dataAt = afterString16(buffer, contentTypeAt);
  const data = bytesAt(buffer, dataAt);
  return {
    revision: buffer.readDoubleLE(at + ENTRY_LENGTH_BYTES),
    created: buffer.readBigInt64LE(at + ENTRY_LENGTH_BYTES + 8),
    id: string16At(buffer, idAt),
    streamId: names.streamId,
    type: names.type,
    contentType: string16At(buffer, contentTypeAt),
    data,
    metadata: bytesAt(buffer, dataAt + 4 + data.byteLength),
  };
}
