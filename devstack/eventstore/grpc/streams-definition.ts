import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import type { BatchAppendResp, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { handDecoded } from './bounded-decoding';
import { decodeBatchAppendRequest } from './batch-append-request';
import { decodeReadRequest } from './read-request-decoder';

/** A Read reply: a message object, or the bytes of one already encoded (see read-response-encoder.ts). */
export type ReadReply = ReadResp | Buffer;

/** A BatchAppend reply: a message object, or the bytes of one already encoded (see batch-append-success.ts). */
export type BatchAppendReply = BatchAppendResp | Buffer;

function serializeReply(reply: ReadReply | BatchAppendReply): Buffer {
  return Buffer.isBuffer(reply) ? reply : Buffer.from(reply.serializeBinary());
}

/**
 * The client's Streams service definition, with Read and BatchAppend also accepting pre-encoded replies and
 * their requests decoded by hand (read-request-decoder.ts, batch-append-request.ts).
 */
export const STREAMS_SERVICE_DEFINITION: ServiceDefinition = {
  ...StreamsService,
  read: {
    ...StreamsService.read,
    requestDeserialize: handDecoded(decodeReadRequest),
    responseSerialize: serializeReply,
  },
  batchAppend: {
    ...StreamsService.batchAppend,
    requestDeserialize: handDecoded(decodeBatchAppendRequest),
    responseSerialize: serializeReply,
  },
};
