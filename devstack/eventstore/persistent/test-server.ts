import { EventStoreDBClient } from '@eventstore/db-client';
import { createLogger } from '../../../lib/logger';
import { startEventStore } from '..';

/** The embedded server on 127.0.0.1 port 0 for the persistent-subscription specs, with official clients. */

export interface PersistentTestServer {
  readonly client: EventStoreDBClient;
  readonly connectionString: string;
  newClient(): EventStoreDBClient;
  close(): Promise<void>;
}

export async function startPersistentTestServer(
  options: { dbDir?: string } = {},
): Promise<PersistentTestServer> {
  const server = await startEventStore({
    port: 0,
    logger: createLogger('eventstore', { level: 'silent' }),
    ...(options.dbDir ? { dbDir: options.dbDir } : {}),
  });
  const clients: EventStoreDBClient[] = [];
  const newClient = (): EventStoreDBClient => {
    const client = EventStoreDBClient.connectionString(server.connectionString);
    clients.push(client);
    return client;
  };
  return {
    client: newClient(),
    connectionString: server.connectionString,
    newClient,
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await server.close();
    },
  };
}
