import { ProjectionsService } from '@eventstore/db-client/generated/projections_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { createLogger, type Logger } from '../../lib/logger';
import { EventLog } from './log/event-log';
import { createSelfSignedTls, requireCredentials, type TlsMaterial } from './grpc/auth';
import { withBoundedDecoding } from './grpc/bounded-decoding';
import { createProjectionsService, createUnmappedProjectionsService } from './grpc/projections-service';
import { advertised, createServerFeaturesService, type AdvertisedMethod } from './grpc/server-features';
import { STREAMS_SERVICE_DEFINITION } from './grpc/streams-definition';
import { createStreamsService, STREAMS_METHODS } from './grpc/streams-service';
import {
  createPersistentSubscriptions,
  PERSISTENT_SERVICE_DEFINITION,
  PERSISTENT_SERVICE_NAME,
} from './persistent';
import {
  DEFAULT_RUN_PROJECTIONS,
  DEFAULT_START_STANDARD_PROJECTIONS,
  standardProjectionsRunAtStart,
  type RunProjections,
} from './projections-options';

export { EventLog } from './log/event-log';
export type * from './log/types';
export { parseRunProjections, RUN_PROJECTIONS_MODES, type RunProjections } from './projections-options';

export const DEFAULT_PORT = 2113;
export const DEFAULT_HOST = '127.0.0.1';
/** EventStoreDB's default `MaxAppendSize`: 1 MiB. */
export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;
/** The largest message the real server accepts, so big reads and appends are not cut by grpc-js' 4 MiB default. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const STREAMS_SERVICE_NAME = 'event_store.client.streams.streams';
const SERVER_FEATURES_SERVICE_NAME = 'event_store.client.server_features.serverfeatures';

export interface EventStoreOptions {
  /** Default 2113; 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Directory of the durable log; undefined keeps everything in memory (like `--mem-db`). */
  readonly dbDir?: string;
  /**
   * `--run-projections` (default `none`, as on EventStoreDB): `none` serves no Projections service and writes no
   * links; `system` / `all` serve it for `$by_category` and `$by_event_type`.
   */
  readonly runProjections?: RunProjections;
  /** `--start-standard-projections` (default false): with projections on, they start `Running`, not `Stopped`. */
  readonly startStandardProjections?: boolean;
  readonly credentials?: { readonly username: string; readonly password: string };
  readonly logger?: Logger;
  readonly maxAppendSize?: number;
}

export interface RunningEventStore {
  readonly host: string;
  readonly port: number;
  /**
   * For `EventStoreDBClient.connectionString`: `esdb://HOST:PORT?tls=false`, or with `credentials`
   * `esdb://USER:PASS@HOST:PORT?tls=true&tlsCAFile=CERT` (the client only sends credentials over TLS).
   */
  readonly connectionString: string;
  /** The self-signed certificate's path when started with credentials (TLS on). */
  readonly caFile: string | undefined;
  /** The in-process log, for code that runs inside the server (persistent subscriptions, tests). */
  readonly log: EventLog;
  close(): Promise<void>;
}

/** grpc-js wraps the listen error in its message; surface Node's code so callers can explain a busy port. */
function withAddressInUseCode(error: Error): Error {
  return /EADDRINUSE/.test(error.message) ? Object.assign(error, { code: 'EADDRINUSE' }) : error;
}

function bind(server: Server, address: string, tls: TlsMaterial | undefined): Promise<number> {
  const credentials = tls
    ? ServerCredentials.createSsl(null, [{ cert_chain: tls.certificate, private_key: tls.privateKey }], false)
    : ServerCredentials.createInsecure();
  return new Promise((resolve, reject) =>
    server.bindAsync(address, credentials, (error, port) =>
      error ? reject(withAddressInUseCode(error)) : resolve(port),
    ),
  );
}

/** Starts the EventStoreDB-compatible gRPC server; resolves once it accepts connections. */
export async function startEventStore(options: EventStoreOptions = {}): Promise<RunningEventStore> {
  const logger = options.logger ?? createLogger('eventstore');
  const host = options.host ?? DEFAULT_HOST;
  const runProjections = options.runProjections ?? DEFAULT_RUN_PROJECTIONS;
  const log = await EventLog.open({
    dbDir: options.dbDir,
    systemProjections: standardProjectionsRunAtStart(
      runProjections,
      options.startStandardProjections ?? DEFAULT_START_STANDARD_PROJECTIONS,
    ),
    logger,
  });
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  const persistent = createPersistentSubscriptions({ log, logger });
  const methods: AdvertisedMethod[] = [
    ...advertised(STREAMS_SERVICE_NAME, [...STREAMS_METHODS]),
    ...advertised(SERVER_FEATURES_SERVICE_NAME, ['getSupportedMethods']),
    ...advertised(PERSISTENT_SERVICE_NAME, persistent.supportedMethods),
  ];
  const credentials = options.credentials;
  const guard = (definition: ServiceDefinition, implementation: UntypedServiceImplementation) =>
    credentials ? requireCredentials(definition, implementation, credentials) : implementation;
  const serve = (definition: ServiceDefinition, implementation: UntypedServiceImplementation) =>
    server.addService(withBoundedDecoding(definition), implementation);
  serve(PERSISTENT_SERVICE_DEFINITION, guard(PERSISTENT_SERVICE_DEFINITION, persistent.service));
  serve(
    STREAMS_SERVICE_DEFINITION,
    guard(
      STREAMS_SERVICE_DEFINITION,
      createStreamsService({ log, logger, maxAppendSize: options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE }),
    ),
  );
  serve(
    ProjectionsService,
    guard(
      ProjectionsService,
      runProjections === 'none' ? createUnmappedProjectionsService() : createProjectionsService({ log }),
    ),
  );
  serve(
    ServerFeaturesService,
    createServerFeaturesService(() => methods),
  );
  let port: number;
  let tls: TlsMaterial | undefined;
  try {
    tls = credentials ? await createSelfSignedTls(host) : undefined;
    port = await bind(server, `${host}:${options.port ?? DEFAULT_PORT}`, tls);
  } catch (error) {
    await tls?.dispose();
    await persistent.close();
    await log.close();
    throw error;
  }
  logger.info({ host, port, dbDir: options.dbDir ?? null, runProjections }, 'eventstore listening');
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    connectionString:
      credentials && tls
        ? `esdb://${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@${host}:${port}?tls=true&tlsCAFile=${tls.caFile}`
        : `esdb://${host}:${port}?tls=false`,
    caFile: tls?.caFile,
    log,
    close() {
      closing ??= (async () => {
        await persistent.close();
        server.forceShutdown();
        await log.close();
        await tls?.dispose();
        logger.info({ port }, 'eventstore stopped');
      })();
      return closing;
    },
  };
}
