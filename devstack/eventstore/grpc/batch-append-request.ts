import { ProtobufReader } from './protobuf-reader';
import { EMPTY_BYTES, readStreamName, readUuid, type DecodedUuid } from './shared-decoders';

/** `Streams.BatchAppend` requests decoded by hand (streams.proto field numbers), sent once per append. */

export type DecodedExpectedRevision =
  | { readonly kind: 'revision'; readonly value: string }
  | { readonly kind: 'no_stream' | 'any' | 'stream_exists' };

export interface DecodedBatchAppendOptions {
  /** `stream_identifier.stream_name`; undefined when the identifier is absent. */
  readonly streamName: Uint8Array | undefined;
  readonly expected: DecodedExpectedRevision | undefined;
  /** Unix ms, as google-protobuf's `Timestamp.toDate().getTime()` gives it. */
  readonly deadline: number | undefined;
}

export interface DecodedProposedMessage {
  readonly id: DecodedUuid | undefined;
  readonly type: string;
  readonly contentType: string | undefined;
  readonly customMetadata: Uint8Array;
  readonly data: Uint8Array;
}

export interface DecodedBatchAppendRequest {
  readonly correlationId: DecodedUuid | undefined;
  readonly options: DecodedBatchAppendOptions | undefined;
  readonly proposedMessages: readonly DecodedProposedMessage[];
  readonly isFinal: boolean;
}

const NO_STREAM = { kind: 'no_stream' } as const;
const ANY = { kind: 'any' } as const;
const STREAM_EXISTS = { kind: 'stream_exists' } as const;

function readDeadline(reader: ProtobufReader): number {
  let seconds = 0;
  let nanos = 0;
  while (reader.next()) {
    if (reader.field === 1) seconds = Number(reader.int64());
    else if (reader.field === 2) nanos = reader.int32();
    else reader.skip();
  }
  return new Date(seconds * 1000 + nanos / 1_000_000).getTime();
}

function readOptions(reader: ProtobufReader): DecodedBatchAppendOptions {
  let streamName: Uint8Array | undefined;
  let expected: DecodedExpectedRevision | undefined;
  let deadline: number | undefined;
  while (reader.next()) {
    switch (reader.field) {
      case 1:
        streamName = readStreamName(reader.message());
        break;
      case 2:
        expected = { kind: 'revision', value: reader.uint64String() };
        break;
      case 3:
        reader.skipMessage();
        expected = NO_STREAM;
        break;
      case 4:
        reader.skipMessage();
        expected = ANY;
        break;
      case 5:
        reader.skipMessage();
        expected = STREAM_EXISTS;
        break;
      case 6:
        deadline = readDeadline(reader.message());
        break;
      default:
        reader.skip();
    }
  }
  return { streamName, expected, deadline };
}

const TYPE = 'type';
const CONTENT_TYPE = 'content-type';

function readProposedMessage(reader: ProtobufReader): DecodedProposedMessage {
  let id: DecodedUuid | undefined;
  let type: string | undefined;
  let contentType: string | undefined;
  let customMetadata: Uint8Array = EMPTY_BYTES;
  let data: Uint8Array = EMPTY_BYTES;
  while (reader.next()) {
    switch (reader.field) {
      case 1:
        id = readUuid(reader.message());
        break;
      case 2: {
        // A map entry; absent key or value is "", a repeated key keeps its last value. google-protobuf reads
        // only the tag of any other field in an entry, and the value's bytes as the next tag: so here too.
        const entry = reader.message();
        let key = '';
        let value = '';
        while (entry.next()) {
          if (entry.field === 1) key = entry.string();
          else if (entry.field === 2) value = entry.string();
        }
        if (key === TYPE) type = value;
        else if (key === CONTENT_TYPE) contentType = value;
        break;
      }
      case 3:
        customMetadata = reader.bytesField();
        break;
      case 4:
        data = reader.bytesField();
        break;
      default:
        reader.skip();
    }
  }
  return { id, type: type ?? '', contentType, customMetadata, data };
}

export function decodeBatchAppendRequest(buffer: Buffer): DecodedBatchAppendRequest {
  const reader = new ProtobufReader(buffer);
  let correlationId: DecodedUuid | undefined;
  let options: DecodedBatchAppendOptions | undefined;
  const proposedMessages: DecodedProposedMessage[] = [];
  let isFinal = false;
  while (reader.next()) {
    switch (reader.field) {
      case 1:
        correlationId = readUuid(reader.message());
        break;
      case 2:
        options = readOptions(reader.message());
        break;
      case 3:
        proposedMessages.push(readProposedMessage(reader.message()));
        break;
      case 4:
        isFinal = reader.bool();
        break;
      default:
        reader.skip();
    }
  }
  return { correlationId, options, proposedMessages, isFinal };
}
