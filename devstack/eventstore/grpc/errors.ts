import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

/** The `exception` trailer values EventStoreDB sends and the client maps to its error classes. */
export const EXCEPTION = {
  streamDeleted: 'stream-deleted',
  wrongExpectedVersion: 'wrong-expected-version',
  maximumAppendSizeExceeded: 'maximum-append-size-exceeded',
  missingRequiredMetadataProperty: 'missing-required-metadata-property',
  accessDenied: 'access-denied',
  notAuthenticated: 'not-authenticated',
  invalidArgument: 'invalid-argument',
} as const;

export function serviceError(
  code: status,
  details: string,
  trailers: Readonly<Record<string, string>> = {},
): ServiceError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

export function streamDeletedError(streamId: string): ServiceError {
  return serviceError(status.FAILED_PRECONDITION, `Event stream '${streamId}' is deleted.`, {
    exception: EXCEPTION.streamDeleted,
    'stream-name': streamId,
  });
}

export function invalidArgument(details: string): ServiceError {
  return serviceError(status.INVALID_ARGUMENT, details, { exception: EXCEPTION.invalidArgument });
}

export function maximumAppendSizeExceeded(maxAppendSize: number): ServiceError {
  return serviceError(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
    exception: EXCEPTION.maximumAppendSizeExceeded,
    'maximum-append-size': String(maxAppendSize),
  });
}

/** The wire form of an expected or actual revision in trailers: `no_stream` is -1, as in EventStoreDB. */
export function revisionTrailer(revision: number | string): string {
  if (typeof revision === 'number') return String(revision);
  return revision === 'no_stream' ? '-1' : revision === 'stream_exists' ? '-4' : '-2';
}

export function wrongExpectedVersionError(
  streamId: string,
  expected: number | string,
  actual: number | 'no_stream',
): ServiceError {
  const trailers: Record<string, string> = {
    exception: EXCEPTION.wrongExpectedVersion,
    'stream-name': streamId,
    'expected-version': revisionTrailer(expected),
  };
  if (actual !== 'no_stream') trailers['actual-version'] = String(actual);
  return serviceError(
    status.FAILED_PRECONDITION,
    `Append failed due to WrongExpectedVersion. Stream: ${streamId}, Expected version: ${revisionTrailer(expected)}, Actual version: ${revisionTrailer(actual)}`,
    trailers,
  );
}

export function internalError(error: unknown): ServiceError {
  return serviceError(status.INTERNAL, error instanceof Error ? error.message : String(error));
}
