import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Db, MongoClient } from 'mongodb';
import type { Config } from '../lib/config';
import { connectEventStore } from '../lib/eventstore';
import { connectMongo } from '../lib/mongo';

export const ADMIN_SETTINGS = [
  'esdbConnectionString',
  'mongoUrl',
  'inputStream',
  'processingGroup',
  'logLevel',
] as const;
export type AdminConfig = Config<(typeof ADMIN_SETTINGS)[number]>;

/** Servers the commands talk to, opened on first use so a command only needs the servers it reads. */
export interface Connections {
  eventStore(): EventStoreDBClient;
  mongo(): Db;
  close(): Promise<void>;
}

export function lazyConnections(config: AdminConfig): Connections {
  let eventStore: EventStoreDBClient | undefined;
  let mongo: { client: MongoClient; db: Db } | undefined;
  return {
    eventStore: () => (eventStore ??= connectEventStore(config.esdbConnectionString)),
    mongo: () => (mongo ??= connectMongo(config.mongoUrl)).db,
    async close() {
      await eventStore?.dispose();
      await mongo?.client.close();
    },
  };
}
