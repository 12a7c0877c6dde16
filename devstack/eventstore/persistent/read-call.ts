import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { ReadReq } from '@eventstore/db-client/generated/persistent_pb';
import type { UUID } from '@eventstore/db-client/generated/shared_pb';
import type { GroupRegistry } from './group-registry';
import type { NackAction, SubscriptionGroup } from './subscription-group';
import { confirmationOf, readEventOf, type UuidFormat } from './wire';
import type { PersistentReadReply } from './read-event-encoder';
import { ALL_STREAM, subscriptionIdOf } from './names';
import { usernameOf } from '../grpc/auth';
import { maximumSubscribersReached, subscriptionDropped, subscriptionNotFound } from './errors';

/** The Read call: first message joins a group, later ones ack/nack; the call's end leaves the group. */

const NACK_ACTIONS: Record<number, NackAction> = {
  [ReadReq.Nack.Action.UNKNOWN]: 'unknown',
  [ReadReq.Nack.Action.PARK]: 'park',
  [ReadReq.Nack.Action.RETRY]: 'retry',
  [ReadReq.Nack.Action.SKIP]: 'skip',
  [ReadReq.Nack.Action.STOP]: 'stop',
};

function idOf(uuid: UUID): string {
  if (!uuid.hasStructured()) return uuid.getString();
  const structured = uuid.getStructured()!;
  const most = BigInt.asUintN(64, BigInt(structured.getMostSignificantBits()));
  const least = BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits()));
  const hex = most.toString(16).padStart(16, '0') + least.toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let nextConnection = 0;

export function handleRead(
  call: ServerDuplexStream<ReadReq, PersistentReadReply>,
  registry: GroupRegistry,
  logger: Logger,
): void {
  let joined: { group: SubscriptionGroup; consumerId: string } | undefined;
  let ended = false;
  const pending: ReadReq[] = [];
  let starting = false;

  // grpc-js turns an 'error' on a server stream into the call's status, trailers included.
  const fail = (error: Error): void => {
    call.emit('error', error);
  };

  const leave = (): void => {
    if (ended) return;
    ended = true;
    if (joined) joined.group.detach(joined.consumerId);
  };

  const join = async (options: ReadReq.Options): Promise<void> => {
    const stream = options.hasAll()
      ? ALL_STREAM
      : Buffer.from(options.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
    const groupName = options.getGroupName();
    const group = await registry.find(stream, groupName);
    if (ended) return;
    if (!group) return fail(subscriptionNotFound(stream, groupName));
    if (group.isFull()) return fail(maximumSubscribersReached(stream, groupName));
    await group.whenReady();
    if (ended) return;
    const format: UuidFormat = options.getUuidOption()?.hasStructured() ? 'structured' : 'string';
    const consumerId = `${++nextConnection}`;
    const isAll = stream === ALL_STREAM;
    call.write(confirmationOf(subscriptionIdOf(stream, groupName)));
    group.attach({
      id: consumerId,
      from: call.getPeer(),
      username: usernameOf(call.metadata),
      connectionName: String(call.metadata.get('connection-name')[0] ?? ''),
      bufferSize: Math.max(options.getBufferSize(), 1),
      send: (message) => {
        if (!ended) call.write(readEventOf(message, isAll, format));
      },
      drop: () => {
        if (ended) return;
        ended = true;
        fail(subscriptionDropped(stream, groupName));
      },
    });
    joined = { group, consumerId };
    for (const request of pending.splice(0)) handle(request);
  };

  const handle = (request: ReadReq): void => {
    if (!joined) return;
    if (request.hasAck()) {
      joined.group.ack(joined.consumerId, request.getAck()!.getIdsList().map(idOf));
    } else if (request.hasNack()) {
      const nack = request.getNack()!;
      joined.group.nack(
        joined.consumerId,
        nack.getIdsList().map(idOf),
        NACK_ACTIONS[nack.getAction()] ?? 'unknown',
        nack.getReason(),
      );
    }
  };

  call.on('data', (request: ReadReq) => {
    if (ended) return;
    if (!starting && request.hasOptions()) {
      starting = true;
      join(request.getOptions()!).catch((error: unknown) => {
        logger.error({ err: error }, 'persistent subscription read failed to start');
        if (!ended) fail(error instanceof Error ? error : new Error(String(error)));
      });
      return;
    }
    if (joined) handle(request);
    else pending.push(request);
  });
  call.on('end', () => {
    leave();
    call.end();
  });
  call.on('cancelled', leave);
  call.on('error', leave);
  call.on('close', leave);
}
