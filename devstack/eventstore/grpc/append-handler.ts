import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import { status, type sendUnaryData, type ServerReadableStream } from '@grpc/grpc-js';
import type { Logger } from '../../../lib/logger';
import type { EventLog } from '../log/event-log';
import type { AppendResult, ExpectedRevision, ProposedEvent } from '../log/types';
import { streamNameOf, uuidString } from './convert';
import {
  EXCEPTION,
  internalError,
  invalidArgument,
  maximumAppendSizeExceeded,
  serviceError,
  streamDeletedError,
} from './errors';

const REQUIRED_METADATA = ['type', 'content-type'] as const;

function expectedRevisionOf(options: AppendReq.Options): ExpectedRevision | undefined {
  switch (options.getExpectedStreamRevisionCase()) {
    case AppendReq.Options.ExpectedStreamRevisionCase.ANY:
      return 'any';
    case AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return 'no_stream';
    case AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return 'stream_exists';
    case AppendReq.Options.ExpectedStreamRevisionCase.REVISION: {
      const text = options.getRevision();
      return /^\d+$/.test(text) ? Number(text) : undefined;
    }
    default:
      return undefined;
  }
}

export function appendResponse(result: Exclude<AppendResult, { reason: 'stream-deleted' }>): AppendResp {
  if (result.ok) {
    const success = new AppendResp.Success();
    if (result.currentRevision < 0) success.setNoStream(new Empty());
    else success.setCurrentRevision(String(result.currentRevision));
    success.setPosition(
      new AppendResp.Position()
        .setCommitPosition(String(result.position))
        .setPreparePosition(String(result.position)),
    );
    return new AppendResp().setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (result.current === 'no_stream') wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(String(result.current));
  switch (result.expected) {
    case 'any':
      wrong.setExpectedAny(new Empty());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new Empty());
      break;
    default:
      wrong.setExpectedRevision(String(result.expected));
  }
  return new AppendResp().setWrongExpectedVersion(wrong);
}

/** `Streams.Append`: one options message, then the proposed events; the reply comes after the client ends. */
export function createAppendHandler(log: EventLog, maxAppendSize: number, logger: Logger) {
  return (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let failed = false;
    const fail = (error: ReturnType<typeof serviceError>): void => {
      if (failed) return;
      failed = true;
      callback(error);
    };
    call.on('data', (request: AppendReq) => {
      if (failed) return;
      if (request.hasOptions()) {
        options = request.getOptions();
        return;
      }
      const message = request.getProposedMessage();
      if (!options || !message) return fail(invalidArgument('append must start with options'));
      const metadata = message.getMetadataMap();
      const missing = REQUIRED_METADATA.filter((key) => !metadata.get(key));
      if (missing.length > 0) {
        return fail(
          serviceError(
            status.INVALID_ARGUMENT,
            `Required metadata properties are missing: ${missing.join(', ')}`,
            {
              exception: EXCEPTION.missingRequiredMetadataProperty,
              'required-metadata-properties': missing.join(','),
            },
          ),
        );
      }
      const id = uuidString(message.getId());
      if (!id) return fail(invalidArgument('every event needs an id'));
      const data = message.getData_asU8();
      const custom = message.getCustomMetadata_asU8();
      size += data.byteLength + custom.byteLength;
      if (size > maxAppendSize) return fail(maximumAppendSizeExceeded(maxAppendSize));
      events.push({
        id,
        type: metadata.get('type') ?? '',
        contentType: metadata.get('content-type') ?? '',
        data,
        metadata: custom,
      });
    });
    call.on('error', (error) => logger.debug({ err: error }, 'append call failed'));
    call.on('end', () => {
      if (failed) return;
      if (!options) return fail(invalidArgument('append options are required'));
      const streamId = streamNameOf(options.getStreamIdentifier());
      const expected = expectedRevisionOf(options);
      if (!streamId) return fail(invalidArgument('a stream name is required'));
      if (expected === undefined) return fail(invalidArgument('an expected revision is required'));
      // Past its deadline (grpc-js has then answered DEADLINE_EXCEEDED) or abandoned: not carried out.
      if (call.cancelled) return;
      log.append(streamId, expected, events).then(
        (result) => {
          if (!result.ok && result.reason === 'stream-deleted') return fail(streamDeletedError(streamId));
          callback(null, appendResponse(result));
        },
        (error: unknown) => fail(internalError(error)),
      );
    });
  };
}
