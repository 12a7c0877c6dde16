import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  status,
  type Metadata,
  type ServiceDefinition,
  type ServiceError,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { EXCEPTION, serviceError } from './errors';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

const BASIC_PREFIX = 'Basic ';

function basicCredentialsOf(metadata: Metadata): { username: string; password: string } | undefined {
  const header = metadata.get('authorization')[0];
  if (typeof header !== 'string' || !header.startsWith(BASIC_PREFIX)) return undefined;
  const decoded = Buffer.from(header.slice(BASIC_PREFIX.length), 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  return at < 0 ? undefined : { username: decoded.slice(0, at), password: decoded.slice(at + 1) };
}

/** The user a call is made as ('' when anonymous): shown in persistent-subscription connection info. */
export function usernameOf(metadata: Metadata): string {
  return basicCredentialsOf(metadata)?.username ?? '';
}

/** undefined when the call may proceed; otherwise the status EventStoreDB answers with. */
export function checkCredentials(metadata: Metadata, expected: Credentials): ServiceError | undefined {
  const given = basicCredentialsOf(metadata);
  if (!given) {
    return serviceError(status.PERMISSION_DENIED, 'Access Denied', { exception: EXCEPTION.accessDenied });
  }
  if (given.username === expected.username && given.password === expected.password) return undefined;
  return serviceError(status.UNAUTHENTICATED, 'Bad authentication credentials.', {
    exception: EXCEPTION.notAuthenticated,
  });
}

interface AnyCall {
  readonly metadata: Metadata;
  emit(event: 'error', error: ServiceError): boolean;
}

/** Wraps every method of `implementation` so it first checks basic-auth credentials. */
export function requireCredentials(
  definition: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  expected: Credentials,
): UntypedServiceImplementation {
  const wrapped: UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(implementation)) {
    const method = definition[name];
    const replyByCallback = method !== undefined && !method.responseStream;
    const guarded = (call: AnyCall, callback?: (error: ServiceError) => void): void => {
      const denied = checkCredentials(call.metadata, expected);
      if (!denied) return (handler as (call: AnyCall, callback?: unknown) => void)(call, callback);
      if (replyByCallback && callback) callback(denied);
      else call.emit('error', denied);
    };
    wrapped[name] = guarded;
  }
  return wrapped;
}

export interface TlsMaterial {
  readonly certificate: Buffer;
  readonly privateKey: Buffer;
  /** The certificate's path, for the client's `tlsCAFile`. */
  readonly caFile: string;
  dispose(): Promise<void>;
}

/** A throwaway self-signed certificate for loopback: the official client only sends credentials over TLS. */
export async function createSelfSignedTls(host: string): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'eventstore-tls-'));
  const caFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    caFile,
    '-days',
    '30',
    '-subj',
    '/CN=localhost',
    '-addext',
    `subjectAltName=IP:${host === 'localhost' ? '127.0.0.1' : host},DNS:localhost`,
  ]);
  return {
    certificate: await readFile(caFile),
    privateKey: await readFile(keyFile),
    caFile,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
