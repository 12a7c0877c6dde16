import { EventStoreDBClient } from '@eventstore/db-client';
import { createLogger } from '../../../lib/logger';
import { startEventStore, type EventStoreOptions, type RunningEventStore } from '..';

export interface Harness {
  readonly server: RunningEventStore;
  readonly client: EventStoreDBClient;
  close(): Promise<void>;
}

/** `--run-projections system --start-standard-projections`: `$ce-` / `$et-` links from the first append. */
export const STANDARD_PROJECTIONS_RUNNING = {
  runProjections: 'system',
  startStandardProjections: true,
} as const satisfies EventStoreOptions;

export async function startHarness(options: EventStoreOptions = {}): Promise<Harness> {
  const server = await startEventStore({
    port: 0,
    logger: createLogger('eventstore', { level: 'silent' }),
    ...options,
  });
  const client = EventStoreDBClient.connectionString(server.connectionString);
  return {
    server,
    client,
    async close() {
      await client.dispose();
      await server.close();
    },
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
