import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { startEventStore, type RunningEventStore } from '../devstack/eventstore';
import { startCatchUp, type CatchUp } from './catch-up';
import type { StoredEvent } from './eventstore';
import { eventually } from './eventually';
import { createLogger } from './logger';

const silent = createLogger('test', { level: 'silent' });
const EVENTS = 120;

describe('the catch-up runner', () => {
  let store: RunningEventStore;
  let client: EventStoreDBClient;

  beforeEach(async () => {
    store = await startEventStore({ port: 0, logger: silent });
    client = EventStoreDBClient.connectionString(store.connectionString);
  });

  afterEach(async () => {
    await client.dispose();
    await store.close();
  });

  /** Live events appended one after another, each a moment after the last; what the handler was given. */
  async function handOver(lingerMs: number): Promise<{ batches: number; ids: string[] }> {
    const ids: string[] = [];
    let batches = 0;
    const runner: CatchUp = startCatchUp({
      client,
      name: 'test',
      logger: silent,
      lingerMs,
      filter: { streamNamePrefixes: ['tick-'] },
      startFrom: () => Promise.resolve('start'),
      handle: (events: readonly StoredEvent[]) => {
        batches++;
        for (const event of events) ids.push((event.data as { n: string }).n);
        return Promise.resolve();
      },
    });
    try {
      await runner.caughtUp;
      for (let i = 0; i < EVENTS; i++) {
        await client.appendToStream(`tick-${i % 3}`, jsonEvent({ type: 'Tick', data: { n: String(i) } }));
      }
      await eventually(() => (ids.length >= EVENTS ? true : undefined));
      return { batches, ids };
    } finally {
      await runner.stop();
    }
  }

  it('hands over events that arrive back to back in fewer batches when it may linger, in order and each once', async () => {
    const lingering = await handOver(1_000);
    expect(lingering.ids).toEqual(Array.from({ length: EVENTS }, (_, i) => String(i)));
    // Each append is a round trip, so without lingering nearly every event is a batch of its own.
    expect(lingering.batches).toBeLessThan(EVENTS / 4);
  });

  it('hands each live event over at once by default', async () => {
    const immediate = await handOver(0);
    expect(immediate.ids).toEqual(Array.from({ length: EVENTS }, (_, i) => String(i)));
    expect(immediate.batches).toBeGreaterThan(EVENTS / 2);
  });
});
