import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import {
  MaximumAppendSizeExceeded,
  StreamDeleted,
  Timeout,
  Unknown,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { StreamIdentifier } from '@eventstore/db-client/generated/shared_pb';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from '../../../lib/logger';
import type { EventLog } from '../log/event-log';
import type { AppendResult, ExpectedRevision, ProposedEvent } from '../log/types';
import { streamIdentifier, streamNameFromBytes } from './convert';
import { EMPTY_BYTES, uuidMessage, uuidText, type DecodedUuid } from './shared-decoders';
import type { DecodedBatchAppendOptions, DecodedBatchAppendRequest } from './batch-append-request';
import { encodeBatchAppendSuccess } from './batch-append-success';
import type { BatchAppendReply } from './streams-definition';

type Call = ServerDuplexStream<DecodedBatchAppendRequest, BatchAppendReply>;

interface PendingBatch {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: ProposedEvent[];
  /** The client's per-append deadline (Unix ms); BatchAppend calls themselves have none. */
  readonly deadline: number | undefined;
  size: number;
}

const DETAIL_TYPE = {
  wrongExpectedVersion: 'event_store.client.WrongExpectedVersion',
  streamDeleted: 'event_store.client.StreamDeleted',
  maximumAppendSizeExceeded: 'event_store.client.MaximumAppendSizeExceeded',
  timeout: 'event_store.client.Timeout',
  unknown: 'event_store.client.Unknown',
} as const;

function expectedOf(options: DecodedBatchAppendOptions): ExpectedRevision | undefined {
  const expected = options.expected;
  if (expected?.kind !== 'revision') return expected?.kind;
  return /^\d+$/.test(expected.value) ? Number(expected.value) : undefined;
}

/** The client always unpacks `details`, so a status without a specific detail carries `Unknown`. */
function errorStatus(
  code: Code,
  message: string,
  detail = { bytes: new Unknown().serializeBinary(), type: DETAIL_TYPE.unknown as string },
): Status {
  const any = new Any();
  any.pack(detail.bytes, detail.type);
  return new Status().setCode(code).setMessage(message).setDetails(any);
}

function wrongExpectedVersionStatus(current: number | 'no_stream', expected: ExpectedRevision): Status {
  const detail = new WrongExpectedVersion();
  if (current === 'no_stream') detail.setCurrentNoStream(new ProtobufEmpty());
  else detail.setCurrentStreamRevision(String(current));
  if (expected === 'any') detail.setExpectedAny(new ProtobufEmpty());
  else if (expected === 'no_stream') detail.setExpectedNoStream(new ProtobufEmpty());
  else if (expected === 'stream_exists') detail.setExpectedStreamExists(new ProtobufEmpty());
  else detail.setExpectedStreamPosition(String(expected));
  return errorStatus(Code.FAILED_PRECONDITION, 'WrongExpectedVersion', {
    bytes: detail.serializeBinary(),
    type: DETAIL_TYPE.wrongExpectedVersion,
  });
}

/** What EventStoreDB answers for an append whose deadline passed; the client makes it DeadlineExceededError. */
function timeoutStatus(): Status {
  return errorStatus(Code.DEADLINE_EXCEEDED, 'Timeout', {
    bytes: new Timeout().serializeBinary(),
    type: DETAIL_TYPE.timeout,
  });
}

function failureResponse(result: Exclude<AppendResult, { ok: true }>): BatchAppendResp {
  const response = new BatchAppendResp();
  if (result.reason === 'stream-deleted') {
    return response.setError(
      errorStatus(Code.FAILED_PRECONDITION, 'Stream deleted', {
        bytes: new StreamDeleted().serializeBinary(),
        type: DETAIL_TYPE.streamDeleted,
      }),
    );
  }
  return response.setError(wrongExpectedVersionStatus(result.current, result.expected));
}

/**
 * `Streams.BatchAppend`: one long-lived bidirectional call per client carrying many appends, each identified by
 * a correlation id and possibly split over several requests until `is_final`. Failures are per-append statuses.
 */
export function createBatchAppendHandler(log: EventLog, maxAppendSize: number, logger: Logger) {
  return (call: Call): void => {
    const pending = new Map<string, PendingBatch>();
    let inFlight = 0;
    let clientDone = false;
    const endIfDone = (): void => {
      if (clientDone && inFlight === 0 && !call.writableEnded) call.end();
    };
    const reply = (correlation: DecodedUuid) =>
      new BatchAppendResp().setCorrelationId(uuidMessage(correlation));
    call.on('data', (request: DecodedBatchAppendRequest) => {
      const correlation = request.correlationId;
      const correlationId = uuidText(correlation);
      if (!correlation || !correlationId) return;
      let batch = pending.get(correlationId);
      const options = request.options;
      if (!batch) {
        const streamId = streamNameFromBytes(options?.streamName);
        const expected = options && expectedOf(options);
        if (!streamId || expected === undefined) {
          // The client reads the stream name of every error reply.
          const identifier = new StreamIdentifier().setStreamName(options?.streamName ?? EMPTY_BYTES);
          call.write(
            reply(correlation)
              .setStreamIdentifier(identifier)
              .setError(
                errorStatus(Code.INVALID_ARGUMENT, 'a stream name and expected revision are required'),
              ),
          );
          return;
        }
        batch = { streamId, expected, events: [], deadline: options?.deadline, size: 0 };
        pending.set(correlationId, batch);
      }
      for (const message of request.proposedMessages) {
        const { data, customMetadata } = message;
        batch.size += data.byteLength + customMetadata.byteLength;
        batch.events.push({
          id: uuidText(message.id) ?? '',
          type: message.type,
          contentType: message.contentType ?? 'application/octet-stream',
          data,
          metadata: customMetadata,
        });
      }
      if (!request.isFinal) return;
      pending.delete(correlationId);
      const { streamId, expected, events, size, deadline } = batch;
      // Built only for a failure: a success is encoded by hand.
      const failed = (error: Status) =>
        reply(correlation).setStreamIdentifier(streamIdentifier(streamId)).setError(error);
      if (size > maxAppendSize) {
        const detail = new MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize);
        call.write(
          failed(
            errorStatus(Code.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
              bytes: detail.serializeBinary(),
              type: DETAIL_TYPE.maximumAppendSizeExceeded,
            }),
          ),
        );
        return;
      }
      if (events.some((event) => !event.id || !event.type)) {
        call.write(failed(errorStatus(Code.INVALID_ARGUMENT, 'every event needs an id and a type')));
        return;
      }
      const remainingMs = deadline === undefined ? Infinity : deadline - Date.now();
      // Not carried out once late, as EventStoreDB drops expired writes.
      if (remainingMs <= 0) return void call.write(failed(timeoutStatus()));
      inFlight++;
      let answered = false;
      const answer = (built: BatchAppendReply): void => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        if (!call.cancelled && !call.writableEnded) call.write(built);
        inFlight--;
        endIfDone();
      };
      // A write still in progress at the deadline may yet commit: the client is told "timeout", not "failed".
      const timer =
        remainingMs === Infinity ? undefined : setTimeout(() => answer(failed(timeoutStatus())), remainingMs);
      log.append(streamId, expected, events).then(
        (result) => {
          if (result.ok) {
            return answer(
              encodeBatchAppendSuccess(correlation, streamId, result.currentRevision, result.position),
            );
          }
          const built = failureResponse(result);
          answer(
            built.setCorrelationId(uuidMessage(correlation)).setStreamIdentifier(streamIdentifier(streamId)),
          );
        },
        (error: unknown) => {
          logger.error({ err: error }, 'batch append failed');
          answer(failed(errorStatus(Code.INTERNAL, 'append failed')));
        },
      );
    });
    call.on('end', () => {
      clientDone = true;
      endIfDone();
    });
    call.on('error', (error) => logger.debug({ err: error }, 'batch append call failed'));
  };
}
