import { handDecoded } from '../grpc/bounded-decoding';
import { decodePersistentReadRequest } from './read-request-decoder';
import { ReadResp } from '@eventstore/db-client/generated/persistent_pb';
import { PersistentSubscriptionsService } from '@eventstore/db-client/generated/persistent_grpc_pb';
import type { ServiceDefinition } from '@grpc/grpc-js';
import {
  encodeRecordedEventFields,
  FieldWriter,
  lengthDelimitedSize,
  varintFieldSize,
} from '../grpc/field-writer';
import { unixTicksFromTicks } from '../log/stream-metadata';
import type { OutstandingMessage } from './message';
import type { LoggedEvent } from './port';

/**
 * `ReadResp { event: ReadEvent }` of persistent.proto for a delivery with string UUIDs, encoded by hand: every
 * delivered message is one, and google-protobuf's message objects were most of a delivery's cost.
 */

const FIELD = {
  readRespEvent: 1,
  event: 1,
  link: 2,
  commitPosition: 3,
  noPosition: 4,
  retryCount: 5,
} as const;

function encodeLogged(event: LoggedEvent): Buffer {
  return encodeRecordedEventFields({
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    preparePosition: event.position.prepare,
    commitPosition: event.position.commit,
    type: event.type,
    contentType: event.contentType,
    createdUnixTicks: unixTicksFromTicks(event.created),
    metadata: event.metadata,
    data: event.data,
  });
}

export function encodePersistentReadEvent(message: OutstandingMessage, isAll: boolean): Buffer {
  const event = encodeLogged(message.event);
  const link = message.link && encodeLogged(message.link);
  const commit = message.original.position.commit;
  const readEventSize =
    lengthDelimitedSize(FIELD.event, event.length) +
    (link ? lengthDelimitedSize(FIELD.link, link.length) : 0) +
    (isAll ? varintFieldSize(FIELD.commitPosition, commit) : lengthDelimitedSize(FIELD.noPosition, 0)) +
    varintFieldSize(FIELD.retryCount, message.retryCount);
  const writer = new FieldWriter(Buffer.allocUnsafe(lengthDelimitedSize(FIELD.readRespEvent, readEventSize)));
  writer.header(FIELD.readRespEvent, readEventSize);
  writer.bytes(FIELD.event, event);
  if (link) writer.bytes(FIELD.link, link);
  if (isAll) writer.varintField(FIELD.commitPosition, commit);
  else writer.header(FIELD.noPosition, 0);
  writer.varintField(FIELD.retryCount, message.retryCount);
  return writer.buffer;
}

/** A persistent-subscription Read reply: a message object, or the bytes of one already encoded. */
export type PersistentReadReply = ReadResp | Buffer;

function serializeReadReply(reply: PersistentReadReply): Buffer {
  return Buffer.isBuffer(reply) ? reply : Buffer.from(reply.serializeBinary());
}

/**
 * The client's PersistentSubscriptions service definition, with Read also accepting pre-encoded replies and its
 * requests decoded by hand (read-request-decoder.ts).
 */
export const PERSISTENT_SERVICE_DEFINITION: ServiceDefinition = {
  ...PersistentSubscriptionsService,
  read: {
    ...PersistentSubscriptionsService.read,
    requestDeserialize: handDecoded(decodePersistentReadRequest),
    responseSerialize: serializeReadReply,
  },
};
