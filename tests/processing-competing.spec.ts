import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { v4 as uuidv4 } from 'uuid';
import { startEventStore } from '../devstack/eventstore';
import { startMongo } from '../devstack/mongo';
import { createLogger } from '../lib/logger';
import { countEventsByType, PROCESSED } from './support/event-counts';
import { http } from './support/http-client';
import { eventually } from '../lib/eventually';
import { startServiceProcess, type ServiceProcess } from './support/service-process';

const INPUT = 'shop-input';
const silent = createLogger('test', { level: 'silent' });

function placeOrder(orderId: string) {
  const requestId = uuidv4();
  return jsonEvent({
    id: requestId,
    type: 'ShopDataReceived',
    data: {
      action: 'place',
      orderId,
      customer: { id: 'c-1', name: 'Ada' },
      lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '9.99' }],
      currency: 'EUR',
    },
    metadata: {
      applies: 'Order',
      source: 'test',
      profile: 'web/v1',
      receivedAt: new Date().toISOString(),
      $correlationId: requestId,
    },
  });
}

async function processedCount(process: ServiceProcess): Promise<number> {
  const started = await process.waitForLog('processing started');
  const metrics = await http(`http://127.0.0.1:${String(started.port)}`, '/metrics');
  const match = /processing_messages_total\{[^}]*outcome="processed"[^}]*\} (\d+)/.exec(String(metrics.body));
  return match ? Number(match[1]) : 0;
}

const LOAD = 200;

async function appendOrders(client: EventStoreDBClient, prefix: string): Promise<void> {
  for (let i = 0; i < LOAD; i += 50) {
    await client.appendToStream(
      INPUT,
      Array.from({ length: 50 }, (_, j) => placeOrder(`${prefix}-${i + j}`)),
    );
  }
}

/**
 * Waits until every order of the load is settled and the group holds nothing in flight or waiting (so no
 * redelivery can still append), then checks each was placed and settled exactly once.
 */
async function expectEachHandledOnce(
  client: EventStoreDBClient,
  group: string,
  before: Record<string, number>,
): Promise<void> {
  const grown = (counts: Record<string, number>, type: string) => (counts[type] ?? 0) - (before[type] ?? 0);
  await eventually(
    async () => (grown(await countEventsByType(client), PROCESSED) >= LOAD ? true : undefined),
    90_000,
    250,
  );
  await eventually(
    async () => {
      const { stats } = await client.getPersistentSubscriptionToStreamInfo(INPUT, group);
      const idle =
        stats.totalInFlightMessages === 0 &&
        stats.outstandingMessagesCount === 0 &&
        stats.retryBufferCount === 0;
      return idle ? true : undefined;
    },
    90_000,
    100,
  );
  const after = await countEventsByType(client);
  expect(grown(after, 'OrderPlaced')).toBe(LOAD);
  expect(grown(after, PROCESSED)).toBe(LOAD);
}

describe('processor processes compete for the input stream', () => {
  let store: Awaited<ReturnType<typeof startEventStore>>;
  // Processing keeps customer keys in MongoDB (to seal personal data), so it needs one too.
  let mongo: Awaited<ReturnType<typeof startMongo>>;
  let client: EventStoreDBClient;
  const processes: ServiceProcess[] = [];

  const startProcessing = (group: string) => {
    const process = startServiceProcess('processing/main.ts', {
      ESDB_CONNECTION_STRING: store.connectionString,
      MONGO_URL: `${mongo.url}/shop`,
      PROCESSING_PORT: '0',
      PROCESSING_GROUP: group,
      INPUT_STREAM: INPUT,
    });
    processes.push(process);
    return process;
  };

  beforeAll(async () => {
    store = await startEventStore({ port: 0, logger: silent });
    mongo = await startMongo({ port: 0, logger: silent });
    client = EventStoreDBClient.connectionString(store.connectionString);
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await client.dispose();
    await store.close();
    await mongo.close();
  });

  it('shares the work between two processes and handles every input once', async () => {
    const [a, b] = [startProcessing('shared'), startProcessing('shared')];
    await Promise.all([a.waitForLog('processing started'), b.waitForLog('processing started')]);
    await client.appendToStream(
      INPUT,
      Array.from({ length: 60 }, (_, i) => placeOrder(`o-shared-${i}`)),
    );

    await eventually(
      async () => ((await countEventsByType(client))[PROCESSED] === 60 ? true : undefined),
      60_000,
      250,
    );
    const counts = await countEventsByType(client);
    expect(counts.OrderPlaced).toBe(60);
    expect(await processedCount(a)).toBeGreaterThan(0);
    expect(await processedCount(b)).toBeGreaterThan(0);
    expect((await processedCount(a)) + (await processedCount(b))).toBe(60);
    await Promise.all([a.stop(), b.stop()]);
  }, 90_000);

  it('loses and duplicates nothing when a processor is killed mid-stream', async () => {
    const doomed = startProcessing('survivor');
    const survivor = startProcessing('survivor');
    await Promise.all([doomed.waitForLog('processing started'), survivor.waitForLog('processing started')]);
    const before = await countEventsByType(client);
    await appendOrders(client, 'o-kill');
    await eventually(async () => ((await processedCount(doomed)) >= 10 ? true : undefined), 60_000, 50);
    await doomed.kill('SIGKILL');

    await expectEachHandledOnce(client, 'survivor', before);
    await survivor.stop();
  }, 150_000);

  it('drains on SIGTERM under load: settles what it holds, exits 0, and nothing is lost or duplicated', async () => {
    const leaving = startProcessing('drain');
    const staying = startProcessing('drain');
    await Promise.all([leaving.waitForLog('processing started'), staying.waitForLog('processing started')]);
    const before = await countEventsByType(client);
    await appendOrders(client, 'o-drain');
    await eventually(async () => ((await processedCount(leaving)) >= 10 ? true : undefined), 60_000, 50);
    expect(await leaving.stop()).toBe(0);
    expect(await leaving.waitForLog('shutdown finished')).toMatchObject({ clean: true });

    await expectEachHandledOnce(client, 'drain', before);
    await staying.stop();
  }, 150_000);
});
