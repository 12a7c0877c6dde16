import {
  BACKWARDS,
  END,
  jsonEvent,
  NO_STREAM,
  PARK,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  streamNameFilter,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { v4 as uuidv4 } from 'uuid';
import { eventually } from '../../lib/eventually';
import { openTestEventStore, uniqueName, type TestEventStore } from '../support/test-servers';

// What the application relies on, through the official client: the same spec runs against the embedded server
// (`npm test`) and against KurrentDB (`npm run test:servers`), on names no other spec uses.
jest.setTimeout(60_000);

const event = (n: number, id: string = uuidv4()) => jsonEvent({ id, type: 'Counted', data: { n } });
const numbers = (events: ResolvedEvent[]) => events.map((e) => (e.event?.data as { n: number }).n);

async function collect(read: AsyncIterable<ResolvedEvent>): Promise<ResolvedEvent[]> {
  const events: ResolvedEvent[] = [];
  for await (const resolved of read) events.push(resolved);
  return events;
}

interface Live {
  on(event: 'data', listener: (resolved: ResolvedEvent) => void): unknown;
  once(event: 'error', listener: (error: unknown) => void): unknown;
  unsubscribe(): Promise<void>;
}

/** The first `count` events a subscription delivers; then it unsubscribes, so no call is left open. */
function firstOf(subscription: Live, count: number): Promise<ResolvedEvent[]> {
  return new Promise((resolve, reject) => {
    const seen: ResolvedEvent[] = [];
    subscription.once('error', reject);
    subscription.on('data', (resolved) => {
      seen.push(resolved);
      if (seen.length === count) subscription.unsubscribe().then(() => resolve(seen), reject);
    });
  });
}

describe('EventStoreDB as the official client sees it', () => {
  let store: TestEventStore;
  beforeAll(async () => {
    store = await openTestEventStore();
  });
  afterAll(() => store.close());

  it('appends with an expected revision and refuses a stale one with both revisions', async () => {
    const stream = uniqueName('counter');
    const first = await store.client.appendToStream(stream, [event(1), event(2)], {
      expectedRevision: NO_STREAM,
    });
    expect(first.nextExpectedRevision).toBe(1n);
    await store.client.appendToStream(stream, [event(3)], { expectedRevision: 1n });
    const stale = await store.client
      .appendToStream(stream, [event(4)], { expectedRevision: 1n })
      .catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(WrongExpectedVersionError);
    expect(stale).toMatchObject({ streamName: stream, expectedVersion: 1n, actualVersion: 2n });
    expect(numbers(await collect(store.client.readStream(stream)))).toEqual([1, 2, 3]);
  });

  it('stores a retried append with the same event ids once', async () => {
    const stream = uniqueName('idempotent');
    const ids = [uuidv4(), uuidv4()];
    await store.client.appendToStream(stream, [event(1, ids[0]), event(2, ids[1])]);
    await store.client.appendToStream(stream, [event(1, ids[0]), event(2, ids[1])]);
    expect(numbers(await collect(store.client.readStream(stream)))).toEqual([1, 2]);
  });

  it('reads a stream forwards, backwards, from a revision and a page at a time', async () => {
    const stream = uniqueName('pages');
    await store.client.appendToStream(
      stream,
      [1, 2, 3, 4, 5].map((n) => event(n)),
    );
    const read = (options: Parameters<typeof store.client.readStream>[1]) =>
      collect(store.client.readStream(stream, options)).then(numbers);
    expect(await read({})).toEqual([1, 2, 3, 4, 5]);
    expect(await read({ direction: BACKWARDS, fromRevision: END, maxCount: 2 })).toEqual([5, 4]);
    expect(await read({ fromRevision: 3n })).toEqual([4, 5]);
    const [last] = await collect(
      store.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }),
    );
    expect(last?.event).toMatchObject({ streamId: stream, revision: 4n, type: 'Counted' });
  });

  it('says a stream that was never written does not exist', async () => {
    const missing = await collect(store.client.readStream(uniqueName('missing'))).catch(
      (error: unknown) => error,
    );
    expect(missing).toBeInstanceOf(StreamNotFoundError);
  });

  it('shows the latest append near the end of $all, with a commit position', async () => {
    const stream = uniqueName('all');
    await store.client.appendToStream(stream, [event(7)]);
    // System projections ($et-…, $ce-…) may link it right after: look at the last few, not the very last.
    const recent = await collect(
      store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 20 }),
    );
    const mine = recent.find((resolved) => resolved.event?.streamId === stream);
    expect(numbers(mine ? [mine] : [])).toEqual([7]);
    expect(mine?.event?.position?.commit).toEqual(expect.any(BigInt));
  });

  it('catches a stream subscription up on the past, then delivers what is appended live', async () => {
    const stream = uniqueName('live');
    await store.client.appendToStream(stream, [event(1), event(2)]);
    const subscription = store.client.subscribeToStream(stream, { fromRevision: START });
    const received = firstOf(subscription, 3);
    await new Promise<void>((resolve) => subscription.once('confirmation', resolve));
    await store.client.appendToStream(stream, [event(3)]);
    expect(numbers(await received)).toEqual([1, 2, 3]);
  });

  it('filters a $all subscription by stream prefix on the server', async () => {
    const prefix = `${uniqueName('filtered')}-`;
    const subscription = store.client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({ prefixes: [prefix] }),
    });
    const received = firstOf(subscription, 3);
    await store.client.appendToStream(`${prefix}a`, [event(1)]);
    await store.client.appendToStream(uniqueName('unfiltered'), [event(99)]);
    await store.client.appendToStream(`${prefix}b`, [event(2), event(3)]);
    const seen = await received;
    expect(numbers(seen)).toEqual([1, 2, 3]);
    expect(seen.map((e) => e.event?.streamId)).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}b`]);
  });

  it('shares a persistent group: acks, parks a nacked message and replays it on request', async () => {
    const stream = uniqueName('work');
    const group = uniqueName('workers');
    await store.client.createPersistentSubscriptionToStream(
      stream,
      group,
      persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }),
    );
    await store.client.appendToStream(stream, [event(1), event(2), event(3)]);
    const subscription = store.client.subscribeToPersistentSubscriptionToStream(stream, group);
    const delivered: number[] = [];
    const waiting: { count: number; resolve: () => void }[] = [];
    const deliveries = (count: number) =>
      new Promise<void>((resolve) =>
        delivered.length >= count ? resolve() : waiting.push({ count, resolve }),
      );
    subscription.on('data', (resolved) => {
      const n = (resolved.event?.data as { n: number }).n;
      const firstTwo = n === 2 && !delivered.includes(2);
      delivered.push(n);
      const settled = firstTwo
        ? subscription.nack(PARK, 'cannot handle two yet', resolved)
        : subscription.ack(resolved);
      void settled.then(() => waiting.filter((w) => delivered.length >= w.count).forEach((w) => w.resolve()));
    });
    await deliveries(3);
    expect(delivered).toEqual([1, 2, 3]);
    const info = await eventually(async () => {
      const found = await store.client.getPersistentSubscriptionToStreamInfo(stream, group);
      return found.stats.parkedMessageCount === 1n ? found : undefined;
    }, 20_000);
    expect(info).toMatchObject({ eventSource: stream, groupName: group });

    await store.client.replayParkedMessagesToStream(stream, group);
    await deliveries(4);
    expect(delivered).toEqual([1, 2, 3, 2]);
    await subscription.unsubscribe();
    await store.client.deletePersistentSubscriptionToStream(stream, group);
  });
});
