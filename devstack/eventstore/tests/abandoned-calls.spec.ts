import { createServer, connect, type Socket } from 'node:net';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
} from '@eventstore/db-client';
import { eventually } from '../persistent/test-helpers';
import { startHarness, type Harness } from './harness';

/**
 * Calls the client abandons while the server is still sending: `client.dispose()` cancels them and must return
 * promptly, and the server must let them go (a persistent consumer leaves its group).
 */

/** Enough data that a full read is still being sent (HTTP/2 flow control) when the client stops reading. */
const EVENTS = 3_000;
const BATCH = 500;
const PAD = 'x'.repeat(200);
const DISPOSE_MS = 2_000;

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  for (let start = 0; start < EVENTS; start += BATCH) {
    const events = Array.from({ length: BATCH }, (_, i) =>
      jsonEvent({ type: 'Filler', data: { n: start + i, pad: PAD } }),
    );
    await harness.client.appendToStream('big', events);
  }
  await harness.client.createPersistentSubscriptionToStream(
    'big',
    'abandoned',
    persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }),
  );
});
afterAll(() => harness.close());

async function disposeTime(client: EventStoreDBClient): Promise<number> {
  const started = performance.now();
  await client.dispose();
  return performance.now() - started;
}

async function breakAfterFirst(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable) break;
}

const abandoned: [string, (client: EventStoreDBClient) => Promise<void>][] = [
  ['a $all read forwards', (client) => breakAfterFirst(client.readAll())],
  [
    'a $all read backwards',
    (client) => breakAfterFirst(client.readAll({ direction: BACKWARDS, fromPosition: END })),
  ],
  ['a stream read forwards', (client) => breakAfterFirst(client.readStream('big'))],
  [
    'a stream read backwards',
    (client) => breakAfterFirst(client.readStream('big', { direction: BACKWARDS, fromRevision: END })),
  ],
  [
    'a catch-up subscription to $all',
    (client) => breakAfterFirst(client.subscribeToAll({ fromPosition: START })),
  ],
  ['a catch-up subscription to a stream', (client) => breakAfterFirst(client.subscribeToStream('big'))],
  [
    'a persistent subscription',
    (client) => breakAfterFirst(client.subscribeToPersistentSubscriptionToStream('big', 'abandoned')),
  ],
];

it.each(abandoned)('%s left after its first event: dispose() returns promptly', async (_, abandon) => {
  const client = EventStoreDBClient.connectionString(harness.server.connectionString);
  await abandon(client);
  expect(await disposeTime(client)).toBeLessThan(DISPOSE_MS);
});

it('a disposed persistent consumer leaves its group on the server', async () => {
  const client = EventStoreDBClient.connectionString(harness.server.connectionString);
  await breakAfterFirst(client.subscribeToPersistentSubscriptionToStream('big', 'abandoned'));
  await client.dispose();
  await eventually(async () => {
    const info = await harness.client.getPersistentSubscriptionToStreamInfo('big', 'abandoned');
    expect(info.connections).toHaveLength(0);
  });
});

/** A loopback TCP relay to the server whose connections the test can cut, as a vanished client would. */
async function startRelay(port: number) {
  const sockets: Socket[] = [];
  const relay = createServer((incoming) => {
    const outgoing = connect(port, '127.0.0.1');
    sockets.push(incoming, outgoing);
    incoming.pipe(outgoing).pipe(incoming);
    incoming.on('error', () => undefined);
    outgoing.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  if (!address || typeof address === 'string') throw new Error('relay without a port');
  return {
    port: address.port,
    cut: () => sockets.forEach((socket) => socket.destroy()),
    close: () => new Promise<void>((resolve) => relay.close(() => resolve())),
  };
}

it('a consumer whose connection drops leaves its group on the server', async () => {
  const relay = await startRelay(harness.server.port);
  const client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${relay.port}?tls=false`);
  try {
    const subscription = client.subscribeToPersistentSubscriptionToStream('big', 'abandoned');
    subscription.on('error', () => undefined);
    // Still subscribed (no break, no cancel): only the connection goes.
    await new Promise((resolve) => subscription.once('data', resolve));
    const before = await harness.client.getPersistentSubscriptionToStreamInfo('big', 'abandoned');
    expect(before.connections).toHaveLength(1);
    relay.cut();
    await eventually(async () => {
      const info = await harness.client.getPersistentSubscriptionToStreamInfo('big', 'abandoned');
      expect(info.connections).toHaveLength(0);
    });
  } finally {
    await relay.close();
    await client.dispose();
  }
});
