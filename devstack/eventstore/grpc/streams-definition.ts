import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { ServiceDefinition } from '@grpc/grpc-js';

/** A Read reply: a message object, or the bytes of one already encoded (see read-response-encoder.ts). */
export type ReadReply = ReadResp | Buffer;

function serializeReadReply(reply: ReadReply): Buffer {
  return Buffer.isBuffer(reply) ? reply : Buffer.from(reply.serializeBinary());
}

/** The client's Streams service definition, with Read also accepting pre-encoded replies. */
export const STREAMS_SERVICE_DEFINITION: ServiceDefinition = {
  ...StreamsService,
  read: { ...StreamsService.read, responseSerialize: serializeReadReply },
};
