import {
  BACKWARDS,
  END,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { collect, STANDARD_PROJECTIONS_RUNNING, startHarness, type Harness } from './harness';

/** How far `created` may be from the wall clock around the append (the event loop can stall a little). */
const TOLERANCE_MS = 5_000;

let harness: Harness;
let appendedAt: number;
beforeAll(async () => {
  harness = await startHarness(STANDARD_PROJECTIONS_RUNNING);
  appendedAt = Date.now();
  await harness.client.appendToStream('ts-1', jsonEvent({ type: 'Stamped', data: { n: 1 } }));
});
afterAll(() => harness.close());

function expectRecent(event: { created: Date } | undefined): void {
  expect(event).toBeDefined();
  expect(Math.abs(event!.created.getTime() - appendedAt)).toBeLessThan(TOLERANCE_MS);
}

/** Subscriptions only: a read left after its last message keeps the client's `dispose()` waiting. */
async function first<T>(iterable: AsyncIterable<T>): Promise<T> {
  for await (const item of iterable) return item;
  throw new Error('no item');
}

async function only<T>(iterable: AsyncIterable<T>): Promise<T> {
  const [item, ...more] = await collect(iterable);
  expect(more).toEqual([]);
  return item!;
}

describe('created is Unix time (100-ns ticks since 1970) wherever an event is sent', () => {
  it('stream reads, both directions', async () => {
    expectRecent((await only(harness.client.readStream('ts-1'))).event);
    expectRecent(
      (await only(harness.client.readStream('ts-1', { direction: BACKWARDS, fromRevision: END }))).event,
    );
  });

  it('$all reads, and the $ce- link events written with the event', async () => {
    const all = await only(harness.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));
    expectRecent(all.event);
    const link: ResolvedEvent = await only(harness.client.readStream('$ce-ts', { resolveLinkTos: true }));
    expectRecent(link.link);
    expectRecent(link.event);
  });

  it('catch-up subscriptions to a stream and to $all', async () => {
    const toStream = harness.client.subscribeToStream('ts-1', { fromRevision: START });
    expectRecent((await first(toStream)).event);
    await toStream.unsubscribe();
    const toAll = harness.client.subscribeToAll({ fromPosition: START });
    expectRecent((await first(toAll)).event);
    await toAll.unsubscribe();
  });

  it('persistent subscriptions', async () => {
    await harness.client.createPersistentSubscriptionToStream(
      'ts-1',
      'stamps',
      persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }),
    );
    const subscription = harness.client.subscribeToPersistentSubscriptionToStream('ts-1', 'stamps');
    const received = await first(subscription);
    expectRecent(received.event);
    await subscription.ack(received);
    await subscription.unsubscribe();
  });
});
