import {
  END,
  StreamDeletedError,
  eventTypeFilter,
  jsonEvent,
  START,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { STANDARD_PROJECTIONS_RUNNING, startHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const event = (type: string, data: Record<string, unknown> = {}) => jsonEvent({ type, data });

async function take<T>(subscription: AsyncIterable<T> & { unsubscribe(): Promise<void> }, count: number) {
  const items: T[] = [];
  for await (const item of subscription) {
    items.push(item);
    if (items.length === count) break;
  }
  await subscription.unsubscribe();
  return items;
}

describe('catch-up subscription to a stream', () => {
  it('delivers history, signals caughtUp, then live events with no gap or duplicate', async () => {
    const { client } = harness;
    await client.appendToStream('sub-a', [event('H1'), event('H2')]);
    const subscription = client.subscribeToStream('sub-a', { fromRevision: START });
    const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
    const received = take<ResolvedEvent>(subscription, 22);
    await caughtUp;
    // Appends racing the subscription: every one must arrive exactly once, in order.
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => client.appendToStream('sub-a', event(`L${index}`))),
    );
    const events = await received;
    expect(events.map((e) => e.event?.revision)).toEqual(
      Array.from({ length: 22 }, (_, index) => BigInt(index)),
    );
  });

  it('starts after a revision or at the end', async () => {
    const { client } = harness;
    await client.appendToStream('sub-b', [event('A'), event('B'), event('C')]);
    const fromRevision = await take(client.subscribeToStream('sub-b', { fromRevision: 1n }), 1);
    expect(fromRevision[0]?.event?.type).toBe('C');
    const fromEnd = client.subscribeToStream('sub-b', { fromRevision: END });
    await new Promise<void>((resolve) => fromEnd.once('caughtUp', () => resolve()));
    const live = take(fromEnd, 1);
    await client.appendToStream('sub-b', event('D'));
    expect((await live)[0]?.event?.type).toBe('D');
  });

  it('ends with stream-deleted when the stream is tombstoned while live', async () => {
    const { client } = harness;
    await client.appendToStream('sub-doomed', event('A'));
    const subscription = client.subscribeToStream('sub-doomed');
    await new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
    const failed = new Promise<unknown>((resolve) => subscription.once('error', resolve));
    subscription.on('data', () => undefined);
    await client.tombstoneStream('sub-doomed');
    expect(await failed).toBeInstanceOf(StreamDeletedError);
  });

  it('waits for a stream that does not exist yet', async () => {
    const { client } = harness;
    const subscription = client.subscribeToStream('sub-later');
    await new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
    const first = take(subscription, 1);
    await client.appendToStream('sub-later', event('Born'));
    expect((await first)[0]?.event?.type).toBe('Born');
  });
});

describe('catch-up subscription to $all', () => {
  it('delivers from a position, exclusive', async () => {
    const { client } = harness;
    const appended = await client.appendToStream('sub-all-a', [event('P1'), event('P2')]);
    const written = [];
    for await (const e of client.readStream('sub-all-a')) written.push(e);
    const firstPosition = written[0]?.event?.position as Position;
    const events = await take<AllStreamResolvedEvent>(
      client.subscribeToAll({ fromPosition: firstPosition }),
      1,
    );
    expect(events[0]?.event?.type).toBe('P2');
    expect(events[0]?.event?.position).toEqual(appended.position);
  });

  it('switches from history to live with no gap or duplicate under concurrent appends', async () => {
    const { client } = harness;
    await client.appendToStream('race-all', [event('R0'), event('R1')]);
    const before = harness.server.log.visibleCount;
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({ prefixes: ['race-all'] }),
    });
    const received = take<AllStreamResolvedEvent>(subscription, 32);
    // Start appending before the subscription has necessarily caught up.
    await Promise.all(
      Array.from({ length: 30 }, (_, index) => client.appendToStream('race-all', event(`R${index + 2}`))),
    );
    const events = await received;
    expect(before).toBeGreaterThan(0);
    expect(events.map((e) => e.event?.revision)).toEqual(
      Array.from({ length: 32 }, (_, index) => BigInt(index)),
    );
  });

  it('resolves links in a subscription when asked', async () => {
    const linked = await startHarness(STANDARD_PROJECTIONS_RUNNING);
    try {
      await linked.client.appendToStream('shelf-1', event('Stocked', { sku: 's' }));
      const events = await take<ResolvedEvent>(
        linked.client.subscribeToStream('$ce-shelf', { fromRevision: START, resolveLinkTos: true }),
        1,
      );
      expect(events[0]?.event?.streamId).toBe('shelf-1');
      expect(events[0]?.link?.streamId).toBe('$ce-shelf');
    } finally {
      await linked.close();
    }
  });

  it('filters on event type prefix and stream name regex on the server', async () => {
    const { client } = harness;
    await client.appendToStream('filter-x', [event('Keep1'), event('Drop'), event('Keep2')]);
    await client.appendToStream('other-y', event('Keep3'));
    const byType = await take<AllStreamResolvedEvent>(
      client.subscribeToAll({ fromPosition: START, filter: eventTypeFilter({ prefixes: ['Keep'] }) }),
      3,
    );
    expect(byType.map((e) => e.event?.type)).toEqual(['Keep1', 'Keep2', 'Keep3']);
    const byStream = await take<AllStreamResolvedEvent>(
      client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ regex: '^other-' }) }),
      1,
    );
    expect(byStream[0]?.event?.streamId).toBe('other-y');
  });

  it('sends checkpoints every checkpointInterval × window events looked at', async () => {
    const { client } = harness;
    await client.appendToStream(
      'noise',
      Array.from({ length: 100 }, () => event('Noise')),
    );
    const checkpoints: Position[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: eventTypeFilter({
        prefixes: ['Never'],
        maxSearchWindow: 10,
        checkpointInterval: 2,
        checkpointReached: (_subscription, position) => {
          checkpoints.push(position);
          return Promise.resolve();
        },
      }),
    });
    await new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
    await subscription.unsubscribe();
    const total = harness.server.log.visibleCount;
    expect(checkpoints.length).toBe(Math.floor(total / 20));
    const commits = checkpoints.map((p) => p.commit);
    expect([...commits].sort((a, b) => (a < b ? -1 : 1))).toEqual(commits);
  });
});
