import { EventStoreDBClient } from '@eventstore/db-client';
import { MongoClient, type Db } from 'mongodb';
import { startEventStore } from '../devstack/eventstore';
import { startMongo } from '../devstack/mongo';
import { createLogger } from '../lib/logger';
import { createMetricsRegistry } from '../lib/metrics';
import { rebuildReadModels, verifyReadModels } from '../synchronizers/host/rebuild';
import { startSynchronizers } from '../synchronizers/host/synchronizers';
import { readModels } from '../synchronizers/registry';
import { appendShopHistory } from './support/domain-history';
import { http } from './support/http-client';
import { eventually } from '../lib/eventually';
import { startServiceProcess } from './support/service-process';

const silent = createLogger('test', { level: 'silent' });
// Over 2,000 events: a catch-up of several full batches (500), so a kill can land mid-run.
const ORDERS = 700;

async function snapshot(db: Db, collection: string) {
  return db.collection(collection).find({}).sort({ _id: 1 }).toArray();
}

async function checkpointOf(db: Db, name: string): Promise<number> {
  const doc = await db.collection<{ _id: string; commit: number }>('checkpoints').findOne({ _id: name });
  return doc?.commit ?? -1;
}

async function endOfAll(client: EventStoreDBClient): Promise<number> {
  for await (const resolved of client.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1 })) {
    return Number(resolved.event?.position?.commit ?? -1);
  }
  return -1;
}

describe('synchronizers keep read models that a rebuild reproduces exactly', () => {
  let store: Awaited<ReturnType<typeof startEventStore>>;
  let mongo: Awaited<ReturnType<typeof startMongo>>;
  let client: EventStoreDBClient;
  let mongoClient: MongoClient;
  let db: Db;

  beforeAll(async () => {
    store = await startEventStore({ port: 0, logger: silent });
    mongo = await startMongo({ port: 0, logger: silent });
    client = EventStoreDBClient.connectionString(store.connectionString);
    mongoClient = new MongoClient(`${mongo.url}/shop`);
    db = mongoClient.db();
    await appendShopHistory(client, ORDERS);
  });

  afterAll(async () => {
    // Each step bounded and reported: a stalled close is a finding to look at, not a reason to hang the run.
    const bounded = async (name: string, close: () => Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          process.stderr.write(`read-models teardown: ${name} did not finish within 5 s\n`);
          resolve();
        }, 5000);
      });
      await Promise.race([close(), stalled]);
      clearTimeout(timer);
    };
    await bounded('mongo client close', () => mongoClient.close());
    await bounded('esdb client dispose', () => client.dispose());
    await bounded('mongo server close', () => mongo.close());
    await bounded('esdb server close', () => store.close());
  }, 30_000);

  it('converges to the rebuilt state after being SIGKILLed mid-run and restarted', async () => {
    const env = {
      ESDB_CONNECTION_STRING: store.connectionString,
      MONGO_URL: `${mongo.url}/shop`,
      SYNCHRONIZERS_PORT: '0',
    };
    const first = startServiceProcess('synchronizers/main.ts', env);
    await eventually(async () => ((await checkpointOf(db, 'orders')) > 0 ? true : undefined), 60_000, 5);
    await first.kill('SIGKILL');
    const end = await endOfAll(client);
    expect(await checkpointOf(db, 'orders')).toBeLessThan(end);

    const second = startServiceProcess('synchronizers/main.ts', { ...env, READY_MAX_LAG_EVENTS: '1' });
    try {
      const started = await second.waitForLog('synchronizers started');
      const ready = `http://127.0.0.1:${String(started.port)}`;
      await eventually(
        async () => ((await http(ready, '/ready')).status === 200 ? true : undefined),
        60_000,
        100,
      );
      expect(await db.collection('orders').countDocuments()).toBe(ORDERS);
    } finally {
      await second.stop();
    }
    for (const result of await verifyReadModels({ client, db, projections: readModels, logger: silent })) {
      expect(result.diff).toMatchObject({ onlyLive: [], onlyRebuilt: [], different: [] });
      // The history holds domain events only: no requests.
      if (result.readModel !== 'requests') expect(result.diff.compared).toBeGreaterThan(0);
    }
  }, 150_000);

  it('switches a blue-green rebuild in without changing a single document', async () => {
    const before = await snapshot(db, 'orders');
    const [rebuilt] = await rebuildReadModels({ client, db, projections: [readModels[0]!], logger: silent });
    expect(rebuilt!.documents).toBe(ORDERS);
    expect(await snapshot(db, 'orders')).toEqual(before);
    const indexes = await db.collection('orders').listIndexes().toArray();
    expect(indexes.map((i) => String(i.name))).toEqual(
      expect.arrayContaining(readModels[0]!.indexes.map((i) => i.name)),
    );
  });

  it('reports a document that differs from the history', async () => {
    await db.collection('orders').updateOne({ _id: 'h-1' as never }, { $set: { total: 1 } });
    const [result] = await verifyReadModels({ client, db, projections: [readModels[0]!], logger: silent });
    expect(result!.diff.different).toEqual([{ id: 'h-1', fields: ['total'] }]);
  });

  it('rebuilds the read models by itself when the database is dropped', async () => {
    const synchronizers = startSynchronizers({
      client,
      db,
      logger: silent,
      registry: createMetricsRegistry('synchronizers'),
      readyLagEvents: 10,
      lossCheckMs: 100,
    });
    try {
      await eventually(
        async () => {
          const readiness = await synchronizers.readiness();
          if (!readiness.ok) throw new Error(readiness.detail);
          return true;
        },
        30_000,
        100,
      );
      await db.dropDatabase();
      await eventually(
        async () => ((await db.collection('orders').countDocuments()) === ORDERS ? true : undefined),
        30_000,
        100,
      );
      await eventually(async () => ((await synchronizers.readiness()).ok ? true : undefined), 30_000, 100);
      for (const result of await verifyReadModels({ client, db, projections: readModels, logger: silent })) {
        expect(result.diff).toMatchObject({ onlyLive: [], onlyRebuilt: [], different: [] });
      }
    } finally {
      await synchronizers.stop();
    }
  }, 90_000);
});
