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

  it('hands over a live event that arrived just before the batch ahead of it was done, within the linger', async () => {
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const runner = startCatchUp({
      client,
      name: 'test',
      logger: silent,
      lingerMs: 1_000,
      filter: { streamNamePrefixes: ['late-'] },
      startFrom: () => Promise.resolve('start'),
      handle: async (events: readonly StoredEvent[]) => {
        for (const event of events) seen.push((event.data as { n: string }).n);
        // The first batch is held until the second event is in: it then ends less than the linger after it.
        if (seen[0] === 'a' && seen.length === 1) await released;
      },
    });
    try {
      await runner.caughtUp;
      await client.appendToStream('late-1', jsonEvent({ type: 'Tick', data: { n: 'a' } }));
      await eventually(() => (seen.length === 1 ? true : undefined));
      await client.appendToStream('late-1', jsonEvent({ type: 'Tick', data: { n: 'b' } }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      // Nothing else arrives: the linger alone must hand it over.
      await eventually(() => (seen.length === 2 ? true : undefined), 5_000);
      expect(seen).toEqual(['a', 'b']);
    } finally {
      release();
      await runner.stop();
    }
  });

  it('hands each live event over at once by default', async () => {
    const immediate = await handOver(0);
    expect(immediate.ids).toEqual(Array.from({ length: EVENTS }, (_, i) => String(i)));
    // Events that happen to arrive in one chunk share a batch; lingering makes that a handful in all.
    expect(immediate.batches).toBeGreaterThan(EVENTS / 4);
  });
});

const HISTORY = 1200;
const MAX_BATCH = 500;
/** The most a batch could hold when the runner flushed whenever the client's buffer (16 + 16 events) ran dry. */
const CLIENT_BUFFER = 32;

describe('the catch-up runner over a long history', () => {
  let store: RunningEventStore;
  let client: EventStoreDBClient;
  let runner: CatchUp | undefined;
  /** Events the runner has taken from its subscription so far. */
  let pulled: number;

  beforeEach(async () => {
    store = await startEventStore({ port: 0, logger: silent });
    client = EventStoreDBClient.connectionString(store.connectionString);
    for (let i = 0; i < HISTORY; i += 100) {
      const events = Array.from({ length: 100 }, (_, n) =>
        jsonEvent({ type: 'Counted', data: { n: i + n } }),
      );
      await client.appendToStream('counted-1', events);
    }
    pulled = 0;
    const subscribe = client.subscribeToAll.bind(client);
    client.subscribeToAll = (...args: Parameters<typeof subscribe>) => {
      const subscription = subscribe(...args);
      const iterate = subscription[Symbol.asyncIterator].bind(subscription);
      subscription[Symbol.asyncIterator] = () => {
        const iterator = iterate();
        const next = iterator.next.bind(iterator);
        iterator.next = async () => {
          const result = await next();
          if (!result.done) pulled++;
          return result;
        };
        return iterator;
      };
      return subscription;
    };
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await client.dispose();
    await store.close();
  });

  const counted = (events: readonly StoredEvent[]) => events.filter((e) => e.type === 'Counted');
  const start = (handle: (events: readonly StoredEvent[]) => Promise<void>) =>
    (runner = startCatchUp({
      client,
      name: 'test',
      logger: silent,
      maxBatch: MAX_BATCH,
      filter: { eventTypeRegex: '^Counted$' },
      startFrom: () => Promise.resolve('start'),
      handle,
    }));

  it('reads on while a batch is handled, up to one batch ahead', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const batches: number[] = [];
    const caughtUp = start(async (events) => {
      batches.push(counted(events).length);
      if (batches.length === 1) await released;
    }).caughtUp;
    try {
      await eventually(() => (batches.length === 1 ? true : undefined));
      // The first batch is still being handled: the next one has been read meanwhile.
      await eventually(() => (pulled >= batches[0]! + MAX_BATCH ? true : undefined));
    } finally {
      release();
    }
    await caughtUp;
    expect(batches.reduce((a, b) => a + b, 0)).toBe(HISTORY);
  });

  it('hands the history over in full batches, and a live event at once', async () => {
    const batches: StoredEvent[][] = [];
    const caughtUp = start((events) => {
      batches.push([...events]);
      return Promise.resolve();
    }).caughtUp;
    await caughtUp;
    const sizes = batches.map((batch) => counted(batch).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(HISTORY);
    // Live once all of it has been handled, in order, in batches the client's buffer alone could not fill.
    expect(batches.flat().map((e) => (e.data as { n: number }).n)).toEqual([...Array(HISTORY).keys()]);
    expect(Math.max(...sizes)).toBeGreaterThan(CLIENT_BUFFER);
    expect(sizes.length).toBeLessThan(HISTORY / CLIENT_BUFFER);

    await client.appendToStream('counted-1', jsonEvent({ type: 'Counted', data: { n: HISTORY } }));
    await eventually(() => (batches.length > sizes.length ? true : undefined));
    expect(counted(batches[batches.length - 1]!).map((e) => (e.data as { n: number }).n)).toEqual([HISTORY]);
  });

  it('hands a failed batch over again from the last handled position, and stops while the server is quiet', async () => {
    const handled: number[] = [];
    let calls = 0;
    const caughtUp = start((events) => {
      calls++;
      if (calls === 2) return Promise.reject(new Error('write failed'));
      handled.push(...counted(events).map((e) => (e.data as { n: number }).n));
      return Promise.resolve();
    }).caughtUp;
    await caughtUp;
    expect(handled).toEqual([...Array(HISTORY).keys()]);
    await runner?.stop();
    runner = undefined;
  });
});
