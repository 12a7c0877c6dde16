import { ProtobufReader } from '../grpc/protobuf-reader';
import { readStreamName, readUuid, uuidText } from '../grpc/shared-decoders';

/** The persistent subscription `Read` requests (persistent.proto `ReadReq`), decoded by hand: one per ack/nack. */

export interface DecodedReadOptions {
  /** undefined for `$all`; `stream_identifier.stream_name` otherwise (empty when neither was sent). */
  readonly streamName: Uint8Array | undefined;
  readonly all: boolean;
  readonly groupName: string;
  readonly bufferSize: number;
  readonly structuredUuids: boolean;
}

export type DecodedPersistentReadRequest =
  | { readonly kind: 'options'; readonly options: DecodedReadOptions }
  | { readonly kind: 'ack'; readonly ids: readonly string[] }
  | {
      readonly kind: 'nack';
      readonly ids: readonly string[];
      readonly action: number;
      readonly reason: string;
    }
  | { readonly kind: 'none' };

const NONE = { kind: 'none' } as const;

/** `UUIDOption`: true when `structured` was the last choice sent. */
function readStructuredChoice(reader: ProtobufReader): boolean {
  let structured = false;
  while (reader.next()) {
    if (reader.field === 1 || reader.field === 2) {
      reader.skipMessage();
      structured = reader.field === 1;
    } else reader.skip();
  }
  return structured;
}

function readOptions(reader: ProtobufReader): DecodedReadOptions {
  let streamName: Uint8Array | undefined;
  let all = false;
  let groupName = '';
  let bufferSize = 0;
  let structuredUuids = false;
  while (reader.next()) {
    switch (reader.field) {
      case 1:
        streamName = readStreamName(reader.message());
        all = false;
        break;
      case 5:
        reader.skipMessage();
        all = true;
        streamName = undefined;
        break;
      case 2:
        groupName = reader.string();
        break;
      case 3:
        bufferSize = reader.int32();
        break;
      case 4:
        structuredUuids = readStructuredChoice(reader.message());
        break;
      default:
        reader.skip();
    }
  }
  return { streamName, all, groupName, bufferSize, structuredUuids };
}

/** An id as the group knows it: a UUID that sets neither form is "". */
function readIds(reader: ProtobufReader, withNack: boolean): DecodedPersistentReadRequest {
  const ids: string[] = [];
  let action = 0;
  let reason = '';
  while (reader.next()) {
    if (reader.field === 1) reader.bytesField();
    else if (reader.field === 2) ids.push(uuidText(readUuid(reader.message())) ?? '');
    else if (withNack && reader.field === 3) action = reader.int32();
    else if (withNack && reader.field === 4) reason = reader.string();
    else reader.skip();
  }
  return withNack ? { kind: 'nack', ids, action, reason } : { kind: 'ack', ids };
}

export function decodePersistentReadRequest(buffer: Buffer): DecodedPersistentReadRequest {
  const reader = new ProtobufReader(buffer);
  let request: DecodedPersistentReadRequest = NONE;
  while (reader.next()) {
    if (reader.field === 1) request = { kind: 'options', options: readOptions(reader.message()) };
    else if (reader.field === 2) request = readIds(reader.message(), false);
    else if (reader.field === 3) request = readIds(reader.message(), true);
    else reader.skip();
  }
  return request;
}
