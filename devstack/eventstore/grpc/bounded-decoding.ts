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

function guard(decoder: BinaryDecoder): void {
  const bufferEnd = decoder.getBuffer().length;
  const setEnd = decoder.setEnd.bind(decoder);
  decoder.setEnd = (end: number) => {
    if (end > bufferEnd)
      throw new DeclaredLengthError(`a nested message claims ${end - bufferEnd} bytes too many`);
    setEnd(end);
  };
  const guardedReadString = function (this: BinaryDecoder, length: number): string {
    if (length < 0 || this.getCursor() + length > this.getEnd())
      throw new DeclaredLengthError(`a string claims ${length} bytes, more than its message holds`);
    return readString.call(this, length);
  };
  for (const name of READ_STRING_NAMES)
    (decoder as unknown as Record<string, unknown>)[name] = guardedReadString;
}

/** The reader's own decoder (a minified private field, so found by its class). */
function decoderOf(reader: BinaryReader): BinaryDecoder {
  const decoder: unknown = Object.values(reader).find((value) => value instanceof jspb.BinaryDecoder);
  if (!(decoder instanceof jspb.BinaryDecoder)) throw new Error('google-protobuf reader without a decoder');
  return decoder;
}

export function boundedDeserializer(messageClass: GeneratedMessageClass): (buffer: Buffer) => unknown {
  return (buffer) => {
    const reader = new BinaryReader(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    guard(decoderOf(reader));
    const message = messageClass.deserializeBinaryFromReader(new messageClass(), reader);
    // An unknown field whose length runs past the end is skipped by moving the cursor there: still malformed.
    if (reader.getError()) throw new DeclaredLengthError('a field runs past the end of the message');
    return message;
  };
}

/** The definition with every request decoded by `boundedDeserializer` (methods carry their generated class). */
export function withBoundedDecoding(definition: ServiceDefinition): ServiceDefinition {
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => {
      const { requestType } = method as { requestType?: GeneratedMessageClass };
      if (!requestType) throw new Error(`method ${name} has no generated request class`);
      return [name, { ...method, requestDeserialize: boundedDeserializer(requestType) }];
    }),
  );
}
