import { jsonEvent, START, type EventStoreDBClient } from '@eventstore/db-client';
import {
  startPersistentTestServer,
  type PersistentTestServer,
} from '../devstack/eventstore/persistent/test-server';
import { eventually } from './eventually';
import { createLogger } from './logger';
import { startPersistentConsumer } from './persistent-consumer';

const silent = createLogger('test', { level: 'silent' });

describe('the competing consumer acks in batches', () => {
  let server: PersistentTestServer;
  let client: EventStoreDBClient;
  beforeAll(async () => {
    server = await startPersistentTestServer();
    client = server.client;
  });
  afterAll(() => server.close());

  it('acknowledges every message once, in fewer requests than messages, and the group holds nothing after', async () => {
    const total = 300;
    await client.appendToStream(
      'acks-in',
      Array.from({ length: total }, (_, n) => jsonEvent({ type: 'Work', data: { n } })),
    );
    // Counts the Ack requests the consumer sends, through the official client it is given.
    const ackRequests: number[] = [];
    const subscribe = client.subscribeToPersistentSubscriptionToStream.bind(client);
    client.subscribeToPersistentSubscriptionToStream = (...args: Parameters<typeof subscribe>) => {
      const sub = subscribe(...args);
      const ack = sub.ack.bind(sub);
      sub.ack = (...events) => {
        ackRequests.push(events.length);
        return ack(...events);
      };
      return sub;
    };
    const handled: string[] = [];
    const consumer = startPersistentConsumer({
      client,
      source: { stream: 'acks-in' },
      group: 'acks',
      logger: silent,
      settings: { startFrom: START, messageTimeout: 10_000 },
      concurrency: 16,
      handle: async (event) => {
        handled.push(event.eventId);
        await new Promise((resolve) => setImmediate(resolve));
        return { action: 'ack' };
      },
    });
    try {
      await eventually(async () => {
        const { stats } = await client.getPersistentSubscriptionToStreamInfo('acks-in', 'acks');
        return handled.length >= total && stats.totalInFlightMessages === 0 ? true : undefined;
      }, 20_000);
    } finally {
      await consumer.stop();
    }
    expect(new Set(handled).size).toBe(total);
    expect(handled).toHaveLength(total);
    expect(ackRequests.reduce((sum, n) => sum + n, 0)).toBe(total);
    expect(ackRequests.length).toBeLessThan(total);
  });
});
