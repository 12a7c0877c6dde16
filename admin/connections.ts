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
  'keysDatabase',
  'maxRetryCount',
  'waitWindowMs',
  'logLevel',
  'logFormat',
] as const;
export type AdminConfig = Config<(typeof ADMIN_SETTINGS)[number]>;

/** Servers the commands talk to, opened on first use so a command only needs the servers it reads. */
export interface Connections {
  eventStore(): EventStoreDBClient;
  mongo(): Db;
  /** Another database on the same MongoDB server (the customer keys live apart from the read models). */
  mongoDatabase(name: string): Db;
  close(): Promise<void>;
}

/** How long closing may take; the process exits after it either way. */
export const CLOSE_TIMEOUT_MS = 1000;

function atMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function lazyConnections(config: AdminConfig): Connections {
  let eventStore: EventStoreDBClient | undefined;
  let mongo: { client: MongoClient; db: Db } | undefined;
  return {
    eventStore: () => (eventStore ??= connectEventStore(config.esdbConnectionString)),
    mongo: () => (mongo ??= connectMongo(config.mongoUrl)).db,
    mongoDatabase: (name) => (mongo ??= connectMongo(config.mongoUrl)).client.db(name),
    // Against the embedded server, dispose() sometimes never settles after a status scan; a CLI must not hang.
    async close() {
      await Promise.all([
        eventStore ? atMost(eventStore.dispose(), CLOSE_TIMEOUT_MS) : undefined,
        mongo ? atMost(mongo.client.close(), CLOSE_TIMEOUT_MS) : undefined,
      ]);
    },
  };
}
