import { EventStoreDBClient } from '@eventstore/db-client';
import { PersistentSubscriptionsService } from '@eventstore/db-client/generated/persistent_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { createLogger } from '../../../lib/logger';
import { EventLog } from '../log/event-log';
import { advertised, createServerFeaturesService } from '../grpc/server-features';
import { createStreamsService, STREAMS_METHODS } from '../grpc/streams-service';
import { createPersistentSubscriptions, PERSISTENT_SERVICE_NAME } from '.';

/**
 * A server for the persistent-subscription specs, assembled from the core's log and Streams service plus this
 * folder's service, on 127.0.0.1 port 0, driven by the official client.
 * TODO(persistent): switch to `startEventStore` once the core registers the service there.
 */

const MAX_APPEND_SIZE = 1_048_576;

export interface PersistentTestServer {
  readonly client: EventStoreDBClient;
  readonly connectionString: string;
  newClient(): EventStoreDBClient;
  close(): Promise<void>;
}

export async function startPersistentTestServer(
  options: { dbDir?: string } = {},
): Promise<PersistentTestServer> {
  const logger = createLogger('eventstore', { level: 'silent' });
  const log = await EventLog.open({ dbDir: options.dbDir, systemProjections: false, logger });
  const persistent = createPersistentSubscriptions({ log, logger });
  const server = new Server();
  server.addService(StreamsService, createStreamsService({ log, logger, maxAppendSize: MAX_APPEND_SIZE }));
  server.addService(PersistentSubscriptionsService, persistent.service);
  const methods = [
    ...advertised('event_store.client.streams.streams', [...STREAMS_METHODS]),
    ...advertised(PERSISTENT_SERVICE_NAME, persistent.supportedMethods),
    ...advertised('event_store.client.server_features.serverfeatures', ['getSupportedMethods']),
  ];
  server.addService(
    ServerFeaturesService,
    createServerFeaturesService(() => methods),
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const connectionString = `esdb://127.0.0.1:${port}?tls=false`;
  const clients: EventStoreDBClient[] = [];
  const newClient = (): EventStoreDBClient => {
    const client = EventStoreDBClient.connectionString(connectionString);
    clients.push(client);
    return client;
  };
  return {
    client: newClient(),
    connectionString,
    newClient,
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await persistent.close();
      server.forceShutdown();
      await log.close();
    },
  };
}
