import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

/** gRPC errors shaped like EventStoreDB's RpcExceptions (same codes, texts, trailers), so the client maps them. */

function rpcError(code: status, details: string, trailers: Record<string, string>): ServiceError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  const error = new Error(details) as ServiceError;
  error.code = code;
  error.details = details;
  error.metadata = metadata;
  return error;
}

export function subscriptionExists(stream: string, group: string): ServiceError {
  return rpcError(status.ALREADY_EXISTS, `Subscription group ${group} on stream ${stream} exists.`, {
    exception: 'persistent-subscription-exists',
    'stream-name': stream,
    'group-name': group,
  });
}

export function subscriptionNotFound(stream: string, group: string): ServiceError {
  return rpcError(status.NOT_FOUND, `Subscription group ${group} on stream ${stream} does not exist.`, {
    exception: 'persistent-subscription-does-not-exist',
    'stream-name': stream,
    'group-name': group,
  });
}

export function maximumSubscribersReached(stream: string, group: string): ServiceError {
  return rpcError(
    status.FAILED_PRECONDITION,
    `Maximum subscriptions reached for subscription group ${group} on stream ${stream}.`,
    { exception: 'maximum-subscribers-reached', 'stream-name': stream, 'group-name': group },
  );
}

export function subscriptionDropped(stream: string, group: string): ServiceError {
  return rpcError(status.CANCELLED, `Subscription group ${group} on stream ${stream} was dropped.`, {
    exception: 'persistent-subscription-dropped',
    'stream-name': stream,
    'group-name': group,
  });
}

export function invalidArgument(message: string): ServiceError {
  return rpcError(status.INVALID_ARGUMENT, message, {});
}
