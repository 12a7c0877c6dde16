import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { MongoClient, type Db } from 'mongodb';
import { startEventStore, type RunningEventStore } from '../../devstack/eventstore';
import { startMongo } from '../../devstack/mongo';
import { eventually } from '../../lib/eventually';
import { createLogger } from '../../lib/logger';
import { createMetricsRegistry } from '../../lib/metrics';
import { appendShopHistory } from '../../tests/support/domain-history';
import { ordersProjection } from '../orders/orders-projection';
import { readModels } from '../registry';
import { salesDailyProjection } from '../sales-daily/sales-daily-projection';
import { mongoPoisonLog } from './poison-log';
import { projectIntoScratch } from './rebuild';
import { startSynchronizers, type Synchronizers } from './synchronizers';

const silent = createLogger('test', { level: 'silent' });
const meta = { $correlationId: 'r-x', $causationId: 'in-x', schemaVersion: 1 };
const placed = (orderId: string, total: unknown) =>
  jsonEvent({
    type: 'OrderPlaced',
    data: {
      orderId,
      customer: { id: 'c-1', name: 'Ada' },
      lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 1000 }],
      currency: 'EUR',
      total,
      placedAt: '2026-12-03T10:00:00.000Z',
    },
    metadata: meta,
  });

describe('the synchronizer host', () => {
  let store: RunningEventStore;
  let mongo: Awaited<ReturnType<typeof startMongo>>;
  let client: EventStoreDBClient;
  let mongoClient: MongoClient;
  let db: Db;
  let subscriptions: number;

  beforeEach(async () => {
    store = await startEventStore({ port: 0, logger: silent });
    mongo = await startMongo({ port: 0, logger: silent });
    client = EventStoreDBClient.connectionString(store.connectionString);
    // Counts the `$all` subscriptions the host opens, through the official client it is given.
    subscriptions = 0;
    const subscribe = client.subscribeToAll.bind(client);
    client.subscribeToAll = (...args: Parameters<typeof subscribe>) => {
      subscriptions++;
      return subscribe(...args);
    };
    mongoClient = new MongoClient(`${mongo.url}/shop`, { monitorCommands: true });
    db = mongoClient.db();
  });

  afterEach(async () => {
    await client.dispose();
    await mongoClient.close();
    await store.close();
    await mongo.close();
  });

  const start = (models = readModels) =>
    startSynchronizers({
      client,
      db,
      logger: silent,
      registry: createMetricsRegistry('synchronizers'),
      readyLagEvents: 0,
      models,
    });
  const ready = (synchronizers: Synchronizers) =>
    eventually(async () => ((await synchronizers.readiness()).ok ? true : undefined), 30_000);
  const checkpoint = async (name: string) =>
    (await db.collection<{ _id: string; commit: number }>('checkpoints').findOne({ _id: name }))?.commit;

  it('feeds every read model from one $all subscription, each with its own checkpoint', async () => {
    await appendShopHistory(client, 20);
    const synchronizers = start();
    try {
      await ready(synchronizers);
      expect(subscriptions).toBe(1);
      expect(await db.collection('orders').countDocuments()).toBe(20);
      expect(await db.collection('sales_daily').countDocuments()).toBeGreaterThan(0);
      for (const model of readModels) expect(await checkpoint(model.name)).toBeGreaterThan(0);
    } finally {
      await synchronizers.stop();
    }
  });

  it('skips an event a model cannot apply, records it, counts it, and keeps the model moving', async () => {
    await client.appendToStream('order-good-1', [placed('good-1', 1000)]);
    // Passes the key lookup (it names its order) but breaks the contract where it is applied.
    await client.appendToStream('order-bad-1', [placed('bad-1', '25.00')]);
    await client.appendToStream('order-good-2', [placed('good-2', 1000)]);
    const registry = createMetricsRegistry('synchronizers');
    const synchronizers = startSynchronizers({ client, db, logger: silent, registry, readyLagEvents: 0 });
    try {
      await ready(synchronizers);
      const ids = (await db.collection('orders').find({}).toArray()).map((doc) => doc._id);
      expect(ids.sort()).toEqual(['good-1', 'good-2']);
      const poisoned = await mongoPoisonLog(db).list();
      expect(poisoned.map((p) => [p.readModel, p.streamId, p.eventType])).toEqual([
        ['orders', 'order-bad-1', 'OrderPlaced'],
        ['sales_daily', 'order-bad-1', 'OrderPlaced'],
      ]);
      expect(poisoned[0]?.error).toMatch(/total/);
      const metrics = await registry.metrics();
      expect(metrics).toMatch(/projection_poison_total\{[^}]*read_model="orders"[^}]*\} 1/);
      // Later events still arrive.
      await client.appendToStream('order-good-3', [placed('good-3', 1000)]);
      await eventually(async () =>
        (await db.collection('orders').countDocuments()) === 3 ? true : undefined,
      );
    } finally {
      await synchronizers.stop();
    }
  });

  /** Synchronizers on a client that reports every command it sends: the updates of each checkpoint write. */
  function startCountingCheckpointWrites(checkpointIntervalMs?: number) {
    const monitored = new MongoClient(`${mongo.url}/shop`, { monitorCommands: true });
    const checkpointWrites: number[] = [];
    monitored.on('commandStarted', (event) => {
      const command = event.command as { update?: unknown; updates?: unknown[] };
      if (command.update === 'checkpoints') checkpointWrites.push(command.updates?.length ?? 0);
    });
    const synchronizers = startSynchronizers({
      client,
      db: monitored.db(),
      logger: silent,
      registry: createMetricsRegistry('synchronizers'),
      readyLagEvents: 0,
      checkpointIntervalMs,
    });
    return { synchronizers, monitored, checkpointWrites };
  }

  it('moves the checkpoints of every model a batch moved in one write', async () => {
    await appendShopHistory(client, 12);
    const { synchronizers, monitored, checkpointWrites } = startCountingCheckpointWrites();
    try {
      await ready(synchronizers);
      await appendShopHistory(client, 1, 'live');
      await eventually(async () =>
        (await db.collection('orders').countDocuments()) === 13 ? true : undefined,
      );
      // Checkpoints are stored within an interval of the batch that moved them (the live order's later events
      // may still move them: compared with where the host stands at each look).
      await eventually(async () => {
        const at = synchronizers.host.position('orders')?.commit;
        return (await checkpoint('orders')) === at &&
          (await checkpoint('requests')) === at &&
          (await checkpoint('sales_daily')) === at
          ? true
          : undefined;
      });
      expect(checkpointWrites.length).toBeGreaterThanOrEqual(2);
      expect(checkpointWrites.every((updates) => updates === readModels.length)).toBe(true);
    } finally {
      await synchronizers.stop();
      await monitored.close();
    }
  });

  it('stores the checkpoints of a busy subscription once per interval, and where it stands at stop', async () => {
    await appendShopHistory(client, 3);
    // Longer than the test: after the first checkpoints only the stop stores them again.
    const { synchronizers, monitored, checkpointWrites } = startCountingCheckpointWrites(600_000);
    try {
      await ready(synchronizers);
      await eventually(async () => ((await checkpoint('orders')) !== undefined ? true : undefined));
      const first = await checkpoint('orders');
      const writesBefore = checkpointWrites.length;
      // One order at a time, each projected before the next: a batch each.
      for (let i = 0; i < 8; i++) {
        await appendShopHistory(client, 1, `busy-${i}`);
        const id = `busy-${i}-0`;
        await eventually(async () =>
          (await db.collection<{ _id: string }>('orders').findOne({ _id: id })) ? true : undefined,
        );
      }
      expect(checkpointWrites.length).toBe(writesBefore);
      expect(await checkpoint('orders')).toBe(first);
      await synchronizers.stop();
      const reached = synchronizers.host.position('orders')?.commit;
      expect(await checkpoint('orders')).toBe(reached);
      expect(reached).toBeGreaterThan(first ?? 0);
    } finally {
      await synchronizers.stop();
      await monitored.close();
    }
  });

  it('keeps the checkpoint of a model whose write fails while the others move on, then catches it up', async () => {
    // The store refuses every order document until the rule is lifted: a write failure, not a poisoned event.
    await db.createCollection('orders', { validator: { total: { $type: 'string' } } });
    await appendShopHistory(client, 5);
    const synchronizers = start();
    try {
      await eventually(async () => (((await checkpoint('sales_daily')) ?? 0) > 0 ? true : undefined));
      await eventually(async () => (((await checkpoint('requests')) ?? 0) > 0 ? true : undefined));
      expect(await checkpoint('orders')).toBeUndefined();
      expect(await db.collection('orders').countDocuments()).toBe(0);
      await db.command({ collMod: 'orders', validator: {} });
      await eventually(
        async () => ((await db.collection('orders').countDocuments()) === 5 ? true : undefined),
        30_000,
      );
      await eventually(async () =>
        (await checkpoint('orders')) === (await checkpoint('sales_daily')) ? true : undefined,
      );
      expect(await mongoPoisonLog(db).list()).toEqual([]);
    } finally {
      await synchronizers.stop();
    }
  });

  it('lets a model added later catch up while the others skip what they applied, then moves them together', async () => {
    await appendShopHistory(client, 15);
    const first = start([ordersProjection]);
    await ready(first);
    await first.stop();
    const ordersAt = await checkpoint('orders');
    const ordersBefore = await db.collection('orders').find({}).sort({ _id: 1 }).toArray();

    const registry = createMetricsRegistry('synchronizers');
    const both = startSynchronizers({
      client,
      db,
      logger: silent,
      registry,
      readyLagEvents: 0,
      models: [ordersProjection, salesDailyProjection],
    });
    try {
      await ready(both);
      expect(await db.collection('sales_daily').countDocuments()).toBeGreaterThan(0);
      // Stored within the checkpoint interval of the last catch-up batch.
      await eventually(async () => ((await checkpoint('sales_daily')) === ordersAt ? true : undefined));
      expect(await db.collection('orders').find({}).sort({ _id: 1 }).toArray()).toEqual(ordersBefore);
      expect(await registry.metrics()).not.toMatch(
        /projection_events_applied_total\{[^}]*"orders"[^}]*\} [1-9]/,
      );
      await appendShopHistory(client, 1, 'late');
      await eventually(async () =>
        (await db.collection('orders').countDocuments()) === 16 ? true : undefined,
      );
      await eventually(async () =>
        (await checkpoint('sales_daily')) === (await checkpoint('orders')) ? true : undefined,
      );
    } finally {
      await both.stop();
    }
  });

  it('builds a rebuild’s indexes once its documents are in: one createIndexes after the last insert', async () => {
    await appendShopHistory(client, 30);
    const sent: string[] = [];
    mongoClient.on('commandStarted', ({ command }) => {
      if (command.insert === 'orders__scratch') sent.push('insert');
      if (command.createIndexes === 'orders__scratch') sent.push('createIndexes');
    });
    const [result] = await projectIntoScratch(
      { client, db, projections: [ordersProjection], logger: silent },
      'scratch',
    );
    expect(result!.documents).toBe(30);
    expect(sent).toContain('insert');
    expect(sent.indexOf('createIndexes')).toBe(sent.length - 1);
    const indexes = await db.collection('orders__scratch').listIndexes().toArray();
    expect(indexes.map((index) => String(index.name))).toEqual([
      '_id_',
      ...ordersProjection.indexes.map((i) => i.name),
    ]);
  });
});
