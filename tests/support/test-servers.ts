import { EventStoreDBClient } from '@eventstore/db-client';
import { MongoClient, type Db } from 'mongodb';
import { v4 as uuidv4 } from 'uuid';
import { startEventStore } from '../../devstack/eventstore';
import { startMongo } from '../../devstack/mongo';
import { createLogger } from '../../lib/logger';

/**
 * The servers a spec runs against. `npm test`: embedded ones, a fresh pair per spec on port 0.
 * `npm run test:servers` (jest.servers.config.js sets `SHOP_TEST_SERVERS=external`): the EventStoreDB and
 * MongoDB that ESDB_CONNECTION_STRING and MONGO_URL name, shared by every spec, which therefore isolate
 * themselves with `uniqueName` (streams, groups) and a database of their own.
 */
export const TEST_SERVERS_VARIABLE = 'SHOP_TEST_SERVERS';

export interface ExternalServers {
  readonly esdb: string;
  readonly mongo: string;
}

/** The external servers when this run targets them, else undefined (embedded). */
export function externalServers(env: NodeJS.ProcessEnv = process.env): ExternalServers | undefined {
  if (env[TEST_SERVERS_VARIABLE] !== 'external') return undefined;
  const esdb = env.ESDB_CONNECTION_STRING;
  const mongo = env.MONGO_URL;
  if (!esdb || !mongo) {
    throw new Error(
      'test:servers needs ESDB_CONNECTION_STRING and MONGO_URL naming the servers to test against',
    );
  }
  return { esdb, mongo };
}

const EXTERNAL = externalServers();
/** One id per test process, so names stay readable and a failed run's leftovers are easy to find. */
const RUN = uuidv4().slice(0, 8);
let named = 0;

/** `base` on the embedded servers (each spec has its own); a name no other spec or run uses on shared ones. */
export function uniqueName(base: string): string {
  return EXTERNAL ? `${base}-${RUN}-${++named}` : base;
}

const silent = createLogger('test-servers', { level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface TestEventStore {
  readonly connectionString: string;
  /** A client opened with the store; `newClient` opens more (each disposed by `close`). */
  readonly client: EventStoreDBClient;
  newClient(): EventStoreDBClient;
  /** Disposes the clients; stops the server when it is an embedded one. */
  close(): Promise<void>;
}

export async function openTestEventStore(): Promise<TestEventStore> {
  const server = EXTERNAL ? undefined : await startEventStore({ port: 0, logger: silent });
  const connectionString = EXTERNAL?.esdb ?? server!.connectionString;
  const clients: EventStoreDBClient[] = [];
  const newClient = () => {
    const client = EventStoreDBClient.connectionString(connectionString);
    clients.push(client);
    return client;
  };
  return {
    connectionString,
    client: newClient(),
    newClient,
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      await server?.close();
    },
  };
}

/** `mongodb://host[,host…]/db?options` with the database replaced by `db`. */
export function withDatabase(url: string, db: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) throw new Error(`not a MongoDB connection string: ${url}`);
  return `${match[1]}/${db}${match[2] ?? ''}`;
}

export interface TestMongo {
  /** The connection string of this spec's database, for service processes (MONGO_URL). */
  readonly url: string;
  readonly client: MongoClient;
  readonly db: Db;
  /** Drops the database when it lives on a shared server, closes the client, stops an embedded server. */
  close(): Promise<void>;
}

export async function openTestMongo(database = 'shop'): Promise<TestMongo> {
  const server = EXTERNAL ? undefined : await startMongo({ port: 0, logger: silent });
  const url = withDatabase(EXTERNAL?.mongo ?? server!.url, uniqueName(database));
  const client = new MongoClient(url);
  const db = client.db();
  return {
    url,
    client,
    db,
    async close() {
      if (EXTERNAL) await db.dropDatabase();
      await client.close();
      await server?.close();
    },
  };
}
