import type { ServiceDefinition } from '@grpc/grpc-js';
import * as protobuf from 'google-protobuf';
import { BinaryReader, type BinaryDecoder } from 'google-protobuf';

/**
 * google-protobuf trusts declared lengths: a nested message or string claiming more bytes than the buffer holds
 * is read byte by byte up to the claim, past the end (a 21-byte frame claiming 4 GiB blocks the event loop for
 * minutes). Every request is decoded with a reader whose decoder refuses such a length at once; the thrown
 * error makes grpc-js answer INTERNAL "Error deserializing request", as it does for any undecodable message.
 */

interface GeneratedMessageClass {
  new (): unknown;
  deserializeBinaryFromReader(message: unknown, reader: BinaryReader): unknown;
}

export class DeclaredLengthError extends Error {}

// The package's typings declare BinaryDecoder as an export; at runtime it is only reachable as jspb.BinaryDecoder.
const { jspb } = protobuf as unknown as { jspb: { BinaryDecoder: typeof BinaryDecoder } };
const DECODER_PROTOTYPE = jspb.BinaryDecoder.prototype;

const readString = Reflect.get<BinaryDecoder, 'readString'>(DECODER_PROTOTYPE, 'readString');
/** The decoder's readString under every name google-protobuf's own reader calls it by (minified aliases). */
const READ_STRING_NAMES = Object.keys(DECODER_PROTOTYPE).filter(
  (name) => (DECODER_PROTOTYPE as unknown as Record<string, unknown>)[name] === readString,
);

const setEnd = Reflect.get<BinaryDecoder, 'setEnd'>(DECODER_PROTOTYPE, 'setEnd');

/**
 * A decoder that refuses lengths past its buffer. The checks live on a prototype made once, so a request costs one
 * decoder more, not a set of closures and property writes.
 */
const GUARDED_DECODER_PROTOTYPE: BinaryDecoder = Object.create(DECODER_PROTOTYPE) as BinaryDecoder;
Object.assign(GUARDED_DECODER_PROTOTYPE, {
  setEnd(this: BinaryDecoder, end: number): void {
    const bufferEnd = this.getBuffer().length;
    if (end > bufferEnd)
      throw new DeclaredLengthError(`a nested message claims ${end - bufferEnd} bytes too many`);
    setEnd.call(this, end);
  },
  ...Object.fromEntries(
    READ_STRING_NAMES.map((name) => [
      name,
      function guardedReadString(this: BinaryDecoder, length: number): string {
        if (length < 0 || this.getCursor() + length > this.getEnd())
          throw new DeclaredLengthError(`a string claims ${length} bytes, more than its message holds`);
        return readString.call(this, length);
      },
    ]),
  ),
});

type DecoderConstructor = new (bytes: Uint8Array) => BinaryDecoder;
function GuardedDecoder(this: BinaryDecoder, bytes: Uint8Array): void {
  (jspb.BinaryDecoder as unknown as (this: BinaryDecoder, bytes: Uint8Array) => void).call(this, bytes);
}
GuardedDecoder.prototype = GUARDED_DECODER_PROTOTYPE;

/** The reader's own decoder sits in a minified private field: found once, by its class. */
const DECODER_FIELD: string = (() => {
  const probe = new BinaryReader(new Uint8Array(0)) as unknown as Record<string, unknown>;
  const field = Object.keys(probe).find((key) => probe[key] instanceof jspb.BinaryDecoder);
  if (!field) throw new Error('google-protobuf reader without a decoder');
  return field;
})();

export function boundedDeserializer(messageClass: GeneratedMessageClass): (buffer: Buffer) => unknown {
  return (buffer) => {
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const reader = new BinaryReader();
    (reader as unknown as Record<string, unknown>)[DECODER_FIELD] = new (
      GuardedDecoder as unknown as DecoderConstructor
    )(bytes);
    const message = messageClass.deserializeBinaryFromReader(new messageClass(), reader);
    // An unknown field whose length runs past the end is skipped by moving the cursor there: still malformed.
    if (reader.getError()) throw new DeclaredLengthError('a field runs past the end of the message');
    return message;
  };
}

const HAND_DECODERS = new WeakSet<(buffer: Buffer) => unknown>();

/** Marks a request decoder written by hand (protobuf-reader.ts), which refuses such lengths itself. */
export function handDecoded<T>(decode: (buffer: Buffer) => T): (buffer: Buffer) => T {
  HAND_DECODERS.add(decode);
  return decode;
}

/**
 * The definition with every request decoded by `boundedDeserializer` (methods carry their generated class),
 * except those already decoded by hand.
 */
export function withBoundedDecoding(definition: ServiceDefinition): ServiceDefinition {
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => {
      if (HAND_DECODERS.has(method.requestDeserialize)) return [name, method];
      const { requestType } = method as { requestType?: GeneratedMessageClass };
      if (!requestType) throw new Error(`method ${name} has no generated request class`);
      return [name, { ...method, requestDeserialize: boundedDeserializer(requestType) }];
    }),
  );
}
