import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { GroupRegistry } from './group-registry';
import type { NackAction, SubscriptionGroup } from './subscription-group';
import { confirmationOf, readEventOf, type UuidFormat } from './wire';
import type { PersistentReadReply } from './read-event-encoder';
import { ALL_STREAM, subscriptionIdOf } from './names';
import { usernameOf } from '../grpc/auth';
import { maximumSubscribersReached, subscriptionDropped, subscriptionNotFound } from './errors';
import type { DecodedPersistentReadRequest, DecodedReadOptions } from './read-request-decoder';

/** The Read call: first message joins a group, later ones ack/nack; the call's end leaves the group. */

/** `ReadReq.Nack.Action` by number. */
const NACK_ACTIONS: Record<number, NackAction> = {
  0: 'unknown',
  1: 'park',
  2: 'retry',
  3: 'skip',
  4: 'stop',
};

let nextConnection = 0;

export function handleRead(
  call: ServerDuplexStream<DecodedPersistentReadRequest, PersistentReadReply>,
  registry: GroupRegistry,
  logger: Logger,
): void {
  let joined: { group: SubscriptionGroup; consumerId: string } | undefined;
  let ended = false;
  const pending: DecodedPersistentReadRequest[] = [];
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

  const join = async (options: DecodedReadOptions): Promise<void> => {
    const stream = options.all
      ? ALL_STREAM
      : Buffer.from(options.streamName ?? new Uint8Array()).toString('utf8');
    const groupName = options.groupName;
    const group = await registry.find(stream, groupName);
    if (ended) return;
    if (!group) return fail(subscriptionNotFound(stream, groupName));
    if (group.isFull()) return fail(maximumSubscribersReached(stream, groupName));
    await group.whenReady();
    if (ended) return;
    const format: UuidFormat = options.structuredUuids ? 'structured' : 'string';
    const consumerId = `${++nextConnection}`;
    const isAll = stream === ALL_STREAM;
    call.write(confirmationOf(subscriptionIdOf(stream, groupName)));
    group.attach({
      id: consumerId,
      from: call.getPeer(),
      username: usernameOf(call.metadata),
      connectionName: String(call.metadata.get('connection-name')[0] ?? ''),
      bufferSize: Math.max(options.bufferSize, 1),
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

  const handle = (request: DecodedPersistentReadRequest): void => {
    if (!joined) return;
    if (request.kind === 'ack') {
      joined.group.ack(joined.consumerId, request.ids);
    } else if (request.kind === 'nack') {
      joined.group.nack(
        joined.consumerId,
        request.ids,
        NACK_ACTIONS[request.action] ?? 'unknown',
        request.reason,
      );
    }
  };

  call.on('data', (request: DecodedPersistentReadRequest) => {
    if (ended) return;
    if (!starting && request.kind === 'options') {
      starting = true;
      join(request.options).catch((error: unknown) => {
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
