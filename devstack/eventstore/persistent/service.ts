import type {
  sendUnaryData,
  ServerDuplexStream,
  ServerUnaryCall,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import {
  CreateReq,
  CreateResp,
  DeleteReq,
  DeleteResp,
  GetInfoReq,
  GetInfoResp,
  ListReq,
  ListResp,
  type ReadReq,
  type ReadResp,
  ReplayParkedReq,
  ReplayParkedResp,
  UpdateReq,
  UpdateResp,
} from '@eventstore/db-client/generated/persistent_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import type { GroupRegistry } from './group-registry';
import { parseDefinition } from './settings';
import { invalidArgument, subscriptionExists, subscriptionNotFound } from './errors';
import { handleRead } from './read-call';
import { subscriptionInfoOf } from './wire';
import { ALL_STREAM } from './names';

/** The PersistentSubscriptions gRPC service (persistent_grpc_pb.js) over the group registry. */

type Unary<Req, Resp> = (call: ServerUnaryCall<Req, Resp>, callback: sendUnaryData<Resp>) => void;

function streamOf(options: {
  hasAll(): boolean;
  getStreamIdentifier(): { getStreamName_asU8(): Uint8Array } | undefined;
}): string {
  if (options.hasAll()) return ALL_STREAM;
  return Buffer.from(options.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array()).toString(
    'utf8',
  );
}

function unary<Req, Resp>(logger: Logger, work: (request: Req) => Promise<Resp>): Unary<Req, Resp> {
  return (call, callback) => {
    work(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => {
        const known = error instanceof Error && 'code' in error;
        if (!known) logger.error({ err: error }, 'persistent subscription request failed');
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
  };
}

export function createPersistentService(
  registry: GroupRegistry,
  logger: Logger,
): UntypedServiceImplementation {
  const create = unary<CreateReq, CreateResp>(logger, async (request) => {
    const parsed = parseDefinition(request);
    if (!parsed.ok) throw invalidArgument(parsed.reason);
    const outcome = await registry.create(parsed.value);
    if (!outcome.ok) throw subscriptionExists(parsed.value.stream, parsed.value.group);
    return new CreateResp();
  });

  const update = unary<UpdateReq, UpdateResp>(logger, async (request) => {
    const parsed = parseDefinition(request);
    if (!parsed.ok) throw invalidArgument(parsed.reason);
    const outcome = await registry.update(parsed.value);
    if (!outcome.ok) throw subscriptionNotFound(parsed.value.stream, parsed.value.group);
    return new UpdateResp();
  });

  const remove = unary<DeleteReq, DeleteResp>(logger, async (request) => {
    const options = request.getOptions();
    if (!options) throw invalidArgument('Options are required.');
    const stream = streamOf(options);
    const outcome = await registry.delete(stream, options.getGroupName());
    if (!outcome.ok) throw subscriptionNotFound(stream, options.getGroupName());
    return new DeleteResp();
  });

  const getInfo = unary<GetInfoReq, GetInfoResp>(logger, async (request) => {
    const options = request.getOptions();
    if (!options) throw invalidArgument('Options are required.');
    const stream = streamOf(options);
    const group = await registry.find(stream, options.getGroupName());
    if (!group) throw subscriptionNotFound(stream, options.getGroupName());
    await group.whenReady();
    return new GetInfoResp().setSubscriptionInfo(subscriptionInfoOf(group.definition, group.stats()));
  });

  const list = unary<ListReq, ListResp>(logger, async (request) => {
    const forStream = request.getOptions()?.getListForStream();
    const wanted = forStream
      ? forStream.hasAll()
        ? ALL_STREAM
        : streamOf({ hasAll: () => false, getStreamIdentifier: () => forStream.getStream() })
      : undefined;
    const groups = (await registry.all()).filter((g) => wanted === undefined || g.stream === wanted);
    // EventStoreDB answers NOT_FOUND for a stream without subscriptions.
    if (wanted !== undefined && groups.length === 0) throw subscriptionNotFound(wanted, '');
    await Promise.all(groups.map((g) => g.whenReady()));
    return new ListResp().setSubscriptionsList(
      groups.map((g) => subscriptionInfoOf(g.definition, g.stats())),
    );
  });

  const replayParked = unary<ReplayParkedReq, ReplayParkedResp>(logger, async (request) => {
    const options = request.getOptions();
    if (!options) throw invalidArgument('Options are required.');
    const stream = streamOf(options);
    const group = await registry.find(stream, options.getGroupName());
    if (!group) throw subscriptionNotFound(stream, options.getGroupName());
    await group.replayParked(options.hasStopAt() ? BigInt(options.getStopAt()) : undefined);
    return new ReplayParkedResp();
  });

  const restartSubsystem = unary<Empty, Empty>(logger, async () => {
    await registry.restart();
    return new Empty();
  });

  return {
    create,
    update,
    delete: remove,
    read: (call: ServerDuplexStream<ReadReq, ReadResp>) => handleRead(call, registry, logger),
    getInfo,
    list,
    replayParked,
    restartSubsystem,
  };
}
