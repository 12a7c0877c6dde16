import { startPersistentTestServer, type PersistentTestServer } from './test-server';
import { consume, eventually, inputs, nOf, readStreamOrEmpty, settings } from './test-helpers';

let server: PersistentTestServer;
beforeAll(async () => {
  server = await startPersistentTestServer();
});
afterAll(() => server.close());

describe('persistent subscription on a stream, competing consumers', () => {
  it('shares the work across consumers and every event is acked', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('shop-input', 'processing', settings());
    await client.appendToStream('shop-input', inputs(60));
    const seen = new Set<string>();
    const perConsumer = [0, 0, 0];
    const subscriptions = [0, 1, 2].map((index) => {
      const subscription = server
        .newClient()
        .subscribeToPersistentSubscriptionToStream('shop-input', 'processing', { bufferSize: 5 });
      consume(subscription, async (event) => {
        seen.add(nOf(event));
        perConsumer[index]! += 1;
        await subscription.ack(event);
      });
      return subscription;
    });
    await eventually(() => expect(seen.size).toBe(60));
    expect(perConsumer.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    expect(perConsumer.reduce((a, b) => a + b, 0)).toBe(60);
    await eventually(async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo('shop-input', 'processing');
      expect(info.connections).toHaveLength(3);
      expect(info.stats.totalInFlightMessages).toBe(0);
      expect(info.stats.totalItems).toBe(60n);
    });
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
  });

  it('delivers live events appended one at a time while two consumers wait (round robin)', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('live-one-by-one', 'g', settings());
    const seen: string[] = [];
    const subscriptions = [0, 1].map(() => {
      const subscription = server
        .newClient()
        .subscribeToPersistentSubscriptionToStream('live-one-by-one', 'g', { bufferSize: 4 });
      consume(subscription, async (event) => {
        seen.push(nOf(event));
        await subscription.ack(event);
      });
      return subscription;
    });
    await eventually(async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo('live-one-by-one', 'g');
      expect(info.connections).toHaveLength(2);
    });
    for (const event of inputs(10)) {
      await client.appendToStream('live-one-by-one', event);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await eventually(() =>
      expect([...seen].sort()).toEqual(
        inputs(10)
          .map((_, i) => `n${i}`)
          .sort(),
      ),
    );
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
  });

  it('never hands a consumer more than its buffer size', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('in-buffer', 'g', settings());
    await client.appendToStream('in-buffer', inputs(10));
    const held: string[] = [];
    const subscription = client.subscribeToPersistentSubscriptionToStream('in-buffer', 'g', {
      bufferSize: 3,
    });
    consume(subscription, async (event) => {
      held.push(nOf(event));
      return Promise.resolve();
    });
    await eventually(() => expect(held).toHaveLength(3));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(held).toEqual(['n0', 'n1', 'n2']);
    const info = await client.getPersistentSubscriptionToStreamInfo('in-buffer', 'g');
    expect(info.connections[0]!.inFlightMessages).toBe(3);
    expect(info.connections[0]!.availableSlots).toBe(0);
    await subscription.unsubscribe();
  });

  it('nack retry redelivers with a higher retryCount; nack park links the event in the parked stream', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('in-nack', 'g', settings({ maxRetryCount: 5 }));
    await client.appendToStream('in-nack', inputs(3));
    const retries: number[] = [];
    const skipped: string[] = [];
    let parked = false;
    const subscription = client.subscribeToPersistentSubscriptionToStream('in-nack', 'g');
    consume(subscription, async (event) => {
      const n = nOf(event);
      if (n === 'n0') {
        retries.push(event.retryCount);
        if (event.retryCount < 2) await subscription.nack('retry', 'not yet', event);
        else await subscription.ack(event);
      } else if (n === 'n1') {
        parked = true;
        await subscription.nack('park', 'bad data', event);
      } else {
        skipped.push(n);
        await subscription.nack('skip', 'not for us', event);
      }
    });
    await eventually(() => expect(retries).toEqual([0, 1, 2]));
    await eventually(async () => {
      const links = await readStreamOrEmpty(client, '$persistentsubscription-in-nack::g-parked');
      expect(links).toHaveLength(1);
      expect(links[0]!.event!.type).toBe('$>');
      expect(Buffer.from(links[0]!.event!.data as Uint8Array).toString()).toBe('1@in-nack');
      const metadata = links[0]!.event!.metadata as { reason: string };
      expect(metadata.reason).toContain('bad data');
    });
    expect(parked).toBe(true);
    expect(skipped).toEqual(['n2']);
    await eventually(async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo('in-nack', 'g');
      expect(info.stats.parkedMessageCount).toBe(1n);
      expect(info.stats.totalInFlightMessages).toBe(0);
    });
    await subscription.unsubscribe();
  });
});
