import type { BatchAppendReq, ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { ReadReq as PersistentReadReq } from '@eventstore/db-client/generated/persistent_pb';
import type { UUID } from '@eventstore/db-client/generated/shared_pb';
import type { DecodedUuid } from './shared-decoders';
import type { DecodedBatchAppendRequest, DecodedProposedMessage } from './batch-append-request';
import type { DecodedFilter, DecodedReadRequest, DecodedReadTarget } from './read-request-decoder';
import type { DecodedPersistentReadRequest } from '../persistent/read-request-decoder';
import { uuidText } from './shared-decoders';

/**
 * For specs: what the hand decoders give, read off google-protobuf's generated message objects the way the
 * server's handlers read them before. request-decoders.spec.ts compares the two.
 */

function uuidOf(uuid: UUID | undefined): DecodedUuid | undefined {
  if (!uuid) return undefined;
  if (uuid.hasString()) return { kind: 'string', value: uuid.getString() };
  const structured = uuid.getStructured();
  if (!structured) return { kind: 'none' };
  return {
    kind: 'structured',
    most: BigInt(structured.getMostSignificantBits()),
    least: BigInt(structured.getLeastSignificantBits()),
  };
}

const bytes = (value: Uint8Array) => Buffer.from(value);

function targetOf(options: ReadReq.Options): DecodedReadTarget | undefined {
  const stream = options.getStream();
  if (stream) {
    const identifier = stream.getStreamIdentifier();
    return {
      kind: 'stream',
      streamName: identifier && bytes(identifier.getStreamName_asU8()),
      from: stream.hasStart()
        ? { kind: 'start' }
        : stream.hasEnd()
          ? { kind: 'end' }
          : stream.hasRevision()
            ? { kind: 'revision', value: stream.getRevision() }
            : undefined,
    };
  }
  const all = options.getAll();
  if (!all) return undefined;
  const position = all.getPosition();
  return {
    kind: 'all',
    from: all.hasStart()
      ? { kind: 'start' }
      : all.hasEnd()
        ? { kind: 'end' }
        : position
          ? { kind: 'position', commit: position.getCommitPosition(), prepare: position.getPreparePosition() }
          : undefined,
  };
}

function filterOf(filter: ReadReq.Options.FilterOptions | undefined): DecodedFilter | undefined {
  if (!filter) return undefined;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  return {
    expression: expression && {
      on: onStream ? 'stream' : 'eventType',
      regex: expression.getRegex(),
      prefixes: expression.getPrefixList(),
    },
    max: filter.hasMax() ? filter.getMax() : undefined,
    checkpointIntervalMultiplier: filter.getCheckpointintervalmultiplier(),
  };
}

export function asDecodedRead(request: ReadReq): DecodedReadRequest {
  const options = request.getOptions();
  if (!options) return { options: undefined };
  return {
    options: {
      target: targetOf(options),
      readDirection: options.getReadDirection(),
      resolveLinks: options.getResolveLinks(),
      countOption: options.hasSubscription()
        ? { kind: 'subscription' }
        : options.hasCount()
          ? { kind: 'count', value: options.getCount() }
          : undefined,
      filter: filterOf(options.getFilter()),
    },
  };
}

function proposedOf(message: BatchAppendReq.ProposedMessage): DecodedProposedMessage {
  const metadata = message.getMetadataMap();
  return {
    id: uuidOf(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type'),
    customMetadata: bytes(message.getCustomMetadata_asU8()),
    data: bytes(message.getData_asU8()),
  };
}

export function asDecodedBatchAppend(request: BatchAppendReq): DecodedBatchAppendRequest {
  const options = request.getOptions();
  const identifier = options?.getStreamIdentifier();
  return {
    correlationId: uuidOf(request.getCorrelationId()),
    options: options && {
      streamName: identifier && bytes(identifier.getStreamName_asU8()),
      expected: options.hasAny()
        ? { kind: 'any' }
        : options.hasNoStream()
          ? { kind: 'no_stream' }
          : options.hasStreamExists()
            ? { kind: 'stream_exists' }
            : options.hasStreamPosition()
              ? { kind: 'revision', value: options.getStreamPosition() }
              : undefined,
      deadline: options.getDeadline()?.toDate().getTime(),
    },
    proposedMessages: request.getProposedMessagesList().map(proposedOf),
    isFinal: request.getIsFinal(),
  };
}

const idText = (uuid: UUID) => uuidText(uuidOf(uuid)) ?? '';

export function asDecodedPersistentRead(request: PersistentReadReq): DecodedPersistentReadRequest {
  const options = request.getOptions();
  if (options) {
    const identifier = options.getStreamIdentifier();
    return {
      kind: 'options',
      options: {
        streamName: options.hasAll() ? undefined : identifier && bytes(identifier.getStreamName_asU8()),
        all: options.hasAll(),
        groupName: options.getGroupName(),
        bufferSize: options.getBufferSize(),
        structuredUuids: options.getUuidOption()?.hasStructured() ?? false,
      },
    };
  }
  const ack = request.getAck();
  if (ack) return { kind: 'ack', ids: ack.getIdsList().map(idText) };
  const nack = request.getNack();
  if (nack)
    return {
      kind: 'nack',
      ids: nack.getIdsList().map(idText),
      action: nack.getAction(),
      reason: nack.getReason(),
    };
  return { kind: 'none' };
}
