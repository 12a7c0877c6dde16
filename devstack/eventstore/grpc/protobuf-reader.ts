import { isUtf8 } from 'node:buffer';
import * as protobuf from 'google-protobuf';
import type { BinaryDecoder } from 'google-protobuf';
import { DeclaredLengthError } from './bounded-decoding';

/**
 * A protobuf reader for the requests decoded by hand (request-decoders.ts), strict where google-protobuf's
 * generated `deserializeBinary` throws, so grpc-js answers the same INTERNAL "Error deserializing request":
 * a known field with another wire type, a varint longer than 10 bytes, an invalid wire type, and anything that
 * runs past the end of its message. Like google-protobuf, an end-group tag ends the message it appears in and
 * unknown fields (groups included) are skipped.
 */

export const WIRE = { varint: 0, fixed64: 1, delimited: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

const { jspb } = protobuf as unknown as { jspb: { BinaryDecoder: new (bytes: Uint8Array) => BinaryDecoder } };

export class MalformedRequestError extends Error {}

/** Node's Buffer methods behind `toString`, without its argument checks (this reader checks the bounds). */
type SlicingBuffer = Buffer & {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
};

export const NEGATIVE_LENGTH = 'a field claims a negative length';

export class ProtobufReader {
  field = 0;
  wireType = 0;
  /** The same bytes, for Buffer's native string slicing. */
  private readonly text: SlicingBuffer;
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
    public end = bytes.length,
  ) {
    this.text = (
      Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    ) as SlicingBuffer;
  }

  /** The next field's tag, or false at the message's end (or at an end-group tag, which ends it too). */
  next(): boolean {
    if (this.at === this.end) return false;
    const tag = this.varint32();
    this.field = tag >>> 3;
    this.wireType = tag & 7;
    if (this.wireType > WIRE.fixed32) throw new MalformedRequestError(`invalid wire type ${this.wireType}`);
    return this.wireType !== WIRE.endGroup;
  }

  private expect(wireType: number): void {
    if (this.wireType !== wireType)
      throw new MalformedRequestError(`field ${this.field} has wire type ${this.wireType}, not ${wireType}`);
  }

  private byte(): number {
    if (this.at >= this.end) throw new MalformedRequestError('a varint runs past the end of its message');
    return this.bytes[this.at++]!;
  }

  /**
   * google-protobuf's readUnsignedVarint32: the low 32 bits of a varint of up to 10 bytes, unsigned when it has
   * at most 5 bytes and, as there, signed when longer.
   */
  private varint32(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.byte();
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value >>> 0;
    }
    for (let extra = 0; extra < 5; extra++) if (this.byte() < 0x80) return value | 0;
    throw new MalformedRequestError('a varint is longer than 10 bytes');
  }

  /** A varint of up to 10 bytes as an unsigned 64-bit integer. */
  private varint64(): bigint {
    const first = this.byte();
    if (first < 0x80) return BigInt(first);
    let value = BigInt(first & 0x7f);
    for (let shift = 7n; shift < 70n; shift += 7n) {
      const byte = this.byte();
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, value);
    }
    throw new MalformedRequestError('a varint is longer than 10 bytes');
  }

  uint32(): number {
    this.expect(WIRE.varint);
    return this.varint32();
  }

  int32(): number {
    this.expect(WIRE.varint);
    return this.varint32() | 0;
  }

  bool(): boolean {
    this.expect(WIRE.varint);
    return this.varint32() !== 0;
  }

  /** A uint64 as google-protobuf's readUint64String gives it. */
  uint64String(): string {
    this.expect(WIRE.varint);
    return this.varint64().toString();
  }

  int64(): bigint {
    this.expect(WIRE.varint);
    return BigInt.asIntN(64, this.varint64());
  }

  /** The end of the length-delimited field starting at the cursor (which moves past its length). */
  delimitedEnd(): number {
    this.expect(WIRE.delimited);
    const length = this.varint32();
    // google-protobuf moves back over a skipped field with a negative length, and can loop there for ever.
    if (length < 0) throw new MalformedRequestError(NEGATIVE_LENGTH);
    const end = this.at + length;
    if (end > this.end) throw new DeclaredLengthError(`field ${this.field} claims more bytes than it has`);
    return end;
  }

  /** A view of a bytes field (google-protobuf's readBytes does not copy either). */
  bytesField(): Uint8Array {
    const end = this.delimitedEnd();
    const view = this.bytes.subarray(this.at, end);
    this.at = end;
    return view;
  }

  string(): string {
    const end = this.delimitedEnd();
    const start = this.at;
    const text = this.asciiOrUtf8(start, end);
    if (text !== undefined) {
      this.at = end;
      return text;
    }
    // google-protobuf's own decoder makes something of it, and may read past the string's end (a truncated
    // multi-byte sequence): parsing then goes on from where it stopped, as it did.
    const decoder = new jspb.BinaryDecoder(this.bytes);
    decoder.setCursor(start);
    const lenient = decoder.readString(end - start);
    this.at = decoder.getCursor();
    return lenient;
  }

  /** The text of valid UTF-8, undefined otherwise; ASCII (ids, types, names) without a validating pass. */
  private asciiOrUtf8(start: number, end: number): string | undefined {
    const bytes = this.bytes;
    let index = start;
    while (index < end && bytes[index]! < 0x80) index++;
    if (index === end) return this.text.latin1Slice(start, end);
    return isUtf8(bytes.subarray(start, end)) ? this.text.utf8Slice(start, end) : undefined;
  }

  /** A reader over the nested message at the cursor; the cursor moves past it. */
  message(): ProtobufReader {
    const end = this.delimitedEnd();
    const nested = new ProtobufReader(this.text, this.at, end);
    this.at = end;
    return nested;
  }

  /** Reads and drops a nested message's fields: an Empty, or one whose content the server ignores. */
  skipMessage(): void {
    this.message().skipAll();
  }

  skipAll(): void {
    while (this.next()) this.skip();
  }

  skip(): void {
    switch (this.wireType) {
      case WIRE.varint:
        // google-protobuf skips a varint of any length.
        while (this.byte() >= 0x80);
        return;
      case WIRE.fixed64:
        return this.advance(8);
      case WIRE.delimited:
        this.at = this.delimitedEnd();
        return;
      case WIRE.fixed32:
        return this.advance(4);
      case WIRE.startGroup:
        return this.skipGroup(this.field);
    }
  }

  private skipGroup(field: number): void {
    for (;;) {
      if (this.at >= this.end) throw new MalformedRequestError(`group ${field} has no end`);
      const tag = this.varint32();
      this.field = tag >>> 3;
      this.wireType = tag & 7;
      if (this.wireType > WIRE.fixed32) throw new MalformedRequestError(`invalid wire type ${this.wireType}`);
      if (this.wireType === WIRE.endGroup) {
        if (this.field !== field) throw new MalformedRequestError(`group ${field} ended by ${this.field}`);
        return;
      }
      this.skip();
    }
  }

  private advance(count: number): void {
    if (this.at + count > this.end)
      throw new MalformedRequestError('a field runs past the end of its message');
    this.at += count;
  }
}
