import { startPersistentTestServer, type PersistentTestServer } from './test-server';
import { consume, eventually, inputs, nOf, readStreamOrEmpty, settings } from './test-helpers';

let server: PersistentTestServer;
beforeAll(async () => {
  server = await startPersistentTestServer();
});
afterAll(() => server.close());

describe('retries, timeouts and parked messages', () => {
  it('redelivers a message that is not acked within the message timeout', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('in-timeout', 'g', settings({ messageTimeout: 200 }));
    await client.appendToStream('in-timeout', inputs(1));
    const deliveries: number[] = [];
    const subscription = client.subscribeToPersistentSubscriptionToStream('in-timeout', 'g');
    consume(subscription, async (event) => {
      deliveries.push(event.retryCount);
      if (event.retryCount === 1) await subscription.ack(event);
    });
    await eventually(() => expect(deliveries).toEqual([0, 1]));
    await subscription.unsubscribe();
  });

  it('parks after the max retry count, then replays parked messages to the group as resolved parked links', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('in-poison', 'g', settings({ maxRetryCount: 2 }));
    await client.appendToStream('in-poison', inputs(2));
    const deliveries: string[] = [];
    let accept = false;
    const subscription = client.subscribeToPersistentSubscriptionToStream('in-poison', 'g');
    consume(subscription, async (event) => {
      deliveries.push(`${nOf(event)}#${event.retryCount}${event.link ? ` via ${event.link.streamId}` : ''}`);
      if (nOf(event) === 'n1' || accept) await subscription.ack(event);
      else await subscription.nack('retry', 'precondition not met', event);
    });
    await eventually(async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo('in-poison', 'g');
      expect(info.stats.parkedMessageCount).toBe(1n);
    });
    expect(deliveries.filter((d) => d.startsWith('n0'))).toEqual(['n0#0', 'n0#1', 'n0#2']);
    const links = await readStreamOrEmpty(client, '$persistentsubscription-in-poison::g-parked');
    expect(links.map((l) => Buffer.from(l.event!.data as Uint8Array).toString())).toEqual(['0@in-poison']);

    accept = true;
    await client.replayParkedMessagesToStream('in-poison', 'g');
    await eventually(() => expect(deliveries.filter((d) => d.startsWith('n0'))).toHaveLength(4));
    // As the real server does: the event with the parked stream's link, acked by the link's id.
    expect(deliveries.filter((d) => d.startsWith('n0'))[3]).toBe(
      'n0#0 via $persistentsubscription-in-poison::g-parked',
    );
    await eventually(async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo('in-poison', 'g');
      expect(info.stats.parkedMessageCount).toBe(0n);
      expect(info.stats.totalInFlightMessages).toBe(0);
    });
    await subscription.unsubscribe();
  });

  it('gives the in-flight messages of a consumer that disconnects to another consumer', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('in-drop', 'g', settings());
    await client.appendToStream('in-drop', inputs(4));
    const first = server
      .newClient()
      .subscribeToPersistentSubscriptionToStream('in-drop', 'g', { bufferSize: 10 });
    const held: string[] = [];
    consume(first, async (event) => {
      held.push(nOf(event));
      return Promise.resolve();
    });
    await eventually(() => expect(held).toHaveLength(4));
    const second = client.subscribeToPersistentSubscriptionToStream('in-drop', 'g');
    const got: string[] = [];
    consume(second, async (event) => {
      got.push(nOf(event));
      await second.ack(event);
    });
    await first.unsubscribe();
    await eventually(() => expect([...got].sort()).toEqual(['n0', 'n1', 'n2', 'n3']));
    await second.unsubscribe();
  });

  it('ignores acks of unknown ids and keeps serving', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('in-unknown', 'g', settings());
    await client.appendToStream('in-unknown', inputs(2));
    const got: string[] = [];
    const subscription = client.subscribeToPersistentSubscriptionToStream('in-unknown', 'g');
    consume(subscription, async (event) => {
      got.push(nOf(event));
      await subscription.ack(event);
      await subscription.ack(event);
      await subscription.ack({
        ...event,
        event: { ...event.event!, id: '00000000-0000-0000-0000-000000000001' },
      });
    });
    await eventually(() => expect(got).toEqual(['n0', 'n1']));
    await client.appendToStream('in-unknown', inputs(1, 'late'));
    await eventually(() => expect(got).toEqual(['n0', 'n1', 'late0']));
    await subscription.unsubscribe();
  });
});
