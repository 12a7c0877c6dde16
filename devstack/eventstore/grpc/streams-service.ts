import {
  DeleteReq,
  DeleteResp,
  TombstoneReq,
  TombstoneResp,
} from '@eventstore/db-client/generated/streams_pb';
import type {
  sendUnaryData,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from '../../../lib/logger';
import type { EventLog } from '../log/event-log';
import type { DeleteResult, ExpectedRevision, ResolvedEvent } from '../log/types';
import { createAppendHandler } from './append-handler';
import { createBatchAppendHandler } from './batch-append-handler';
import { endWith, failCall, isOpen, writePage } from './call-writer';
import { streamNameOf } from './convert';
import { encodeReadEventResponse, encodeStreamNotFoundResponse } from './read-response-encoder';
import type { ReadReply } from './streams-definition';
import { runCatchUpSubscription } from './catch-up-subscription';
import { internalError, invalidArgument, streamDeletedError, wrongExpectedVersionError } from './errors';
import { parseReadRequest, type ReadRequest } from './read-request';
import type { DecodedReadRequest } from './read-request-decoder';

const READ_PAGE_SIZE = 500;

export interface StreamsServiceOptions {
  readonly log: EventLog;
  readonly logger: Logger;
  readonly maxAppendSize: number;
}

/** The Streams methods this server implements. */
export const STREAMS_METHODS = ['read', 'append', 'delete', 'tombstone', 'batchAppend'] as const;

async function sendRead(
  call: ServerWritableStream<DecodedReadRequest, ReadReply>,
  log: EventLog,
  request: ReadRequest,
) {
  const target = request.target;
  let remaining = request.maxCount ?? 0;
  let events: readonly ResolvedEvent[];
  if (target.kind === 'stream') {
    const result = log.readStream(target.streamId, {
      direction: request.direction,
      fromRevision: target.from,
      maxCount: remaining,
      resolveLinkTos: request.resolveLinkTos,
    });
    if (!result.ok && result.reason === 'stream-deleted')
      return failCall(call, streamDeletedError(target.streamId));
    if (!result.ok) return endWith(call, [encodeStreamNotFoundResponse(target.streamId)]);
    events = result.events;
  } else {
    events = [];
  }
  if (!(await writePage(call, events.map(encodeReadEventResponse)))) return;
  if (target.kind === 'all') {
    // Page through $all so a large read never materialises the whole log at once.
    let from = target.from;
    while (remaining > 0) {
      const page = log.readAll({
        direction: request.direction,
        fromPosition: from,
        maxCount: request.filter ? READ_PAGE_SIZE : Math.min(READ_PAGE_SIZE, remaining),
        resolveLinkTos: request.resolveLinkTos,
      });
      const messages: Buffer[] = [];
      for (const event of page) {
        const record = event.link ?? event.event;
        if (request.filter && record && !request.filter.matches(record)) continue;
        messages.push(encodeReadEventResponse(event));
        if (--remaining === 0) break;
      }
      if (!(await writePage(call, messages))) return;
      const last = page[page.length - 1];
      const lastRecord = last?.link ?? last?.event;
      if (page.length === 0 || !lastRecord) break;
      from = request.direction === 'backwards' ? lastRecord.position : lastRecord.position + 1;
    }
  }
  if (isOpen(call)) call.end();
}

function expectedOf(options: DeleteReq.Options | TombstoneReq.Options): ExpectedRevision | undefined {
  if (options.hasAny()) return 'any';
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  const text = options.getRevision();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function deletion<Request extends DeleteReq | TombstoneReq, Response extends DeleteResp | TombstoneResp>(
  run: (streamId: string, expected: ExpectedRevision) => Promise<DeleteResult>,
  respond: (position: number) => Response,
) {
  return (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>): void => {
    const options = call.request.getOptions();
    const streamId = streamNameOf(options?.getStreamIdentifier());
    const expected = options && expectedOf(options);
    if (!streamId) return callback(invalidArgument('a stream name is required'));
    if (expected === undefined) return callback(invalidArgument('an expected revision is required'));
    run(streamId, expected).then(
      (result) => {
        if (result.ok) return callback(null, respond(result.position));
        if (result.reason === 'stream-deleted') return callback(streamDeletedError(streamId));
        callback(wrongExpectedVersionError(streamId, result.expected, result.current));
      },
      (error: unknown) => callback(internalError(error)),
    );
  };
}

export function createStreamsService({
  log,
  logger,
  maxAppendSize,
}: StreamsServiceOptions): UntypedServiceImplementation {
  return {
    read(call: ServerWritableStream<DecodedReadRequest, ReadReply>): void {
      const parsed = parseReadRequest(call.request);
      if (!parsed.ok) return failCall(call, invalidArgument(parsed.problem));
      if (parsed.value.subscription) return runCatchUpSubscription(call, log, parsed.value, logger);
      sendRead(call, log, parsed.value).catch((error: unknown) => {
        logger.error({ err: error }, 'read failed');
        failCall(call, internalError(error));
      });
    },
    append: createAppendHandler(log, maxAppendSize, logger),
    batchAppend: createBatchAppendHandler(log, maxAppendSize, logger),
    delete: deletion<DeleteReq, DeleteResp>(
      (streamId, expected) => log.deleteStream(streamId, expected),
      (position) =>
        new DeleteResp().setPosition(
          new DeleteResp.Position().setCommitPosition(String(position)).setPreparePosition(String(position)),
        ),
    ),
    tombstone: deletion<TombstoneReq, TombstoneResp>(
      (streamId, expected) => log.tombstoneStream(streamId, expected),
      (position) =>
        new TombstoneResp().setPosition(
          new TombstoneResp.Position()
            .setCommitPosition(String(position))
            .setPreparePosition(String(position)),
        ),
    ),
  };
}
