import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { startEventStore, type RunningEventStore } from '../devstack/eventstore';
import { clientFeed, type SubscribeToAll } from './all-feed';
import { threadFeed } from './all-feed-thread';
import { startCatchUp } from './catch-up';
import type { StoredEvent } from './eventstore';
import { createLogger } from './logger';

const silent = createLogger('test', { level: 'silent' });
/** More than the thread may send ahead of what was read, so it has to wait for the reader. */
const HISTORY = 20_000;
const PER_APPEND = 500;

/** Events handed over while catching up on the history, and how many had been handled when it counted as live. */
async function catchUpWith(
  client: EventStoreDBClient,
  subscribe: SubscribeToAll,
  handleMs: number,
): Promise<{ events: StoredEvent[]; handledWhenLive: number }> {
  const events: StoredEvent[] = [];
  const runner = startCatchUp({
    client,
    subscribe,
    name: 'test',
    logger: silent,
    filter: { streamNamePrefixes: ['counted-'] },
    startFrom: () => Promise.resolve('start'),
    handle: async (batch) => {
      await new Promise((resolve) => setTimeout(resolve, handleMs));
      events.push(...batch);
    },
  });
  try {
    await runner.caughtUp;
    return { events, handledWhenLive: events.length };
  } finally {
    await runner.stop();
  }
}

describe('a subscription decoded on a thread of its own', () => {
  let store: RunningEventStore;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    store = await startEventStore({ port: 0, logger: silent });
    client = EventStoreDBClient.connectionString(store.connectionString);
    for (let i = 0; i < HISTORY; i += PER_APPEND) {
      const events = Array.from({ length: PER_APPEND }, (_, n) =>
        jsonEvent({ type: 'Counted', data: { n: i + n }, metadata: { batch: i } }),
      );
      await client.appendToStream(`counted-${(i / PER_APPEND) % 3}`, events);
      await client.appendToStream('other-1', jsonEvent({ type: 'Other', data: { i } }));
    }
  });

  afterAll(async () => {
    await client.dispose();
    await store.close();
  });

  it('hands over the same events, in the same order, as a subscription decoded on this thread', async () => {
    const here = await catchUpWith(client, clientFeed(client), 0);
    const onThread = await catchUpWith(client, threadFeed(store.connectionString), 0);
    expect(here.events).toHaveLength(HISTORY);
    expect(onThread.events).toEqual(here.events);
  });

  it.each([
    ['a reader that keeps up', 0],
    ['a slow reader, for which the thread stops reading', 20],
  ])('counts as live only once every event of the history was handled, with %s', async (_, handleMs) => {
    // The client emits the server's "caught up" while events that came before it can still wait in its buffer.
    for (let run = 0; run < 3; run++) {
      const { events, handledWhenLive } = await catchUpWith(
        client,
        threadFeed(store.connectionString),
        handleMs,
      );
      expect(handledWhenLive).toBe(HISTORY);
      expect(events.map((event) => (event.data as { n: number }).n)).toEqual(
        Array.from({ length: HISTORY }, (_, n) => n),
      );
    }
  });

  it("fails the iteration with the client's error when the server cannot be reached, and ends its thread", async () => {
    const closed = await startEventStore({ port: 0, logger: silent });
    const unreachable = closed.connectionString;
    await closed.close();
    const feed = threadFeed(unreachable)({
      fromPosition: 'start',
      resolveLinkTos: false,
      checkpoints: false,
    });
    const iterate = async () => {
      for await (const event of feed) void event;
    };
    await expect(iterate()).rejects.toMatchObject({ type: 'unavailable', code: 14 });
    await feed.unsubscribe();
    expect(process.getActiveResourcesInfo()).not.toContain('MessagePort');
  });
});
