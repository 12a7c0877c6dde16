import type { Db } from 'mongodb';
import { openTestDb, serverError } from './test-db';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('idx'));
});

afterAll(() => close());

interface Explained {
  queryPlanner: { winningPlan: { stage: string; inputStage?: { stage: string; indexName: string } } };
  executionStats: { nReturned: number; totalDocsExamined: number; totalKeysExamined: number };
}

describe('createIndexes, listIndexes, dropIndexes', () => {
  it('creates, lists and drops indexes as MongoDB reports them', async () => {
    const c = db.collection('catalogue');
    await c.insertOne({ sku: 'A', shop: 1 });
    expect(await c.createIndex({ sku: 1 }, { unique: true })).toBe('sku_1');
    expect(await c.createIndex({ shop: 1, sku: -1 }, { name: 'shop_sku' })).toBe('shop_sku');
    const again = await db.command({
      createIndexes: 'catalogue',
      indexes: [{ key: { sku: 1 }, name: 'sku_1', unique: true }],
    });
    expect(again).toMatchObject({
      numIndexesBefore: 3,
      numIndexesAfter: 3,
      note: 'all indexes already exist',
    });
    expect(await c.listIndexes().toArray()).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { sku: 1 }, name: 'sku_1', unique: true },
      { v: 2, key: { shop: 1, sku: -1 }, name: 'shop_sku' },
    ]);
    const conflict = await serverError(c.createIndex({ shop: 1 }, { name: 'shop_sku' }));
    expect(conflict.codeName).toBe('IndexKeySpecsConflict');
    await c.dropIndex('shop_sku');
    const missing = await serverError(c.dropIndex('nope'));
    expect([missing.code, missing.codeName]).toEqual([27, 'IndexNotFound']);
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((i) => i.name as string)).toEqual(['_id_']);
    const noNs = await serverError(db.collection('absent').listIndexes().toArray());
    expect([noNs.code, noNs.codeName]).toEqual([26, 'NamespaceNotFound']);
  });

  it('refuses to build a unique index over duplicates', async () => {
    const c = db.collection('dups');
    await c.insertMany([{ k: 1 }, { k: 1 }]);
    const error = await serverError(c.createIndex({ k: 1 }, { unique: true }));
    expect(error.code).toBe(11000);
  });
});

describe('unique enforcement', () => {
  it('rejects duplicate inserts with keyPattern and keyValue', async () => {
    const c = db.collection('users');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'ada@example.com' });
    const error = await serverError(c.insertOne({ email: 'ada@example.com' }));
    expect(error.code).toBe(11000);
    expect(error.message).toBe(
      'E11000 duplicate key error collection: idx.users index: email_1 dup key: { email: "ada@example.com" }',
    );
    expect(error.keyPattern).toEqual({ email: 1 });
    expect(error.keyValue).toEqual({ email: 'ada@example.com' });
  });

  it('enforces compound unique indexes on insert, update and upsert', async () => {
    const c = db.collection('lines');
    await c.createIndex({ order: 1, sku: 1 }, { unique: true });
    await c.insertMany([
      { order: 'o1', sku: 'A' },
      { order: 'o1', sku: 'B' },
      { order: 'o2', sku: 'A' },
    ]);
    const onUpdate = await serverError(c.updateOne({ order: 'o1', sku: 'B' }, { $set: { sku: 'A' } }));
    expect(onUpdate.code).toBe(11000);
    expect(onUpdate.keyValue).toEqual({ order: 'o1', sku: 'A' });
    expect(await c.countDocuments({ order: 'o1', sku: 'B' })).toBe(1);
    const onUpsert = await serverError(
      c.updateOne({ order: 'o2', sku: 'A', x: 1 }, { $set: { y: 1 } }, { upsert: true }),
    );
    expect(onUpsert.code).toBe(11000);
    expect(onUpsert.keyPattern).toEqual({ order: 1, sku: 1 });
    await c.updateOne({ order: 'o1', sku: 'B' }, { $set: { sku: 'C' } });
    await c.insertOne({ order: 'o1', sku: 'B' });
    expect(await c.countDocuments()).toBe(4);
  });

  it('rejects a duplicate _id', async () => {
    const c = db.collection('ids');
    await c.insertOne({ _id: 'x' as never });
    const error = await serverError(c.insertOne({ _id: 'x' as never }));
    expect(error.keyPattern).toEqual({ _id: 1 });
  });
});

describe('index use', () => {
  const COUNT = 20_000;

  beforeAll(async () => {
    const c = db.collection('big');
    await c.createIndex({ n: 1 });
    await c.createIndex({ group: 1, at: 1 });
    const docs = Array.from({ length: COUNT }, (_, i) => ({
      n: i,
      group: i % 10,
      at: new Date(i * 1000),
      tags: [`t${i % 7}`],
    }));
    await c.insertMany(docs);
    await c.createIndex({ tags: 1 });
  });

  it('finds one document among many by an indexed field without scanning the collection', async () => {
    const explained = (await db
      .collection('big')
      .find({ n: 12_345 })
      .explain('executionStats')) as unknown as Explained;
    expect(explained.queryPlanner.winningPlan.inputStage).toMatchObject({
      stage: 'IXSCAN',
      indexName: 'n_1',
    });
    expect(explained.executionStats).toMatchObject({
      nReturned: 1,
      totalDocsExamined: 1,
      totalKeysExamined: 1,
    });
  });

  it('uses a range on an index and a compound equality prefix', async () => {
    const range = (await db
      .collection('big')
      .find({ n: { $gte: 100, $lt: 150 } })
      .explain('executionStats')) as unknown as Explained;
    expect(range.executionStats).toMatchObject({ nReturned: 50, totalDocsExamined: 50 });
    const compound = (await db
      .collection('big')
      .find({ group: 3, at: { $gte: new Date(0), $lt: new Date(100_000) } })
      .explain('executionStats')) as unknown as Explained;
    expect(compound.queryPlanner.winningPlan.inputStage?.indexName).toBe('group_1_at_1');
    expect(compound.executionStats).toMatchObject({ nReturned: 10, totalDocsExamined: 10 });
  });

  it('uses multikey and $in lookups and still filters exactly', async () => {
    const c = db.collection('big');
    const tagged = (await c
      .find({ tags: 't3', n: { $lt: 70 } })
      .explain('executionStats')) as unknown as Explained;
    expect(tagged.executionStats.nReturned).toBe(10);
    expect(tagged.executionStats.totalDocsExamined).toBeLessThan(COUNT);
    const inList = (await c
      .find({ n: { $in: [5, 7, 9_999_999] } })
      .explain('executionStats')) as unknown as Explained;
    expect(inList.executionStats).toMatchObject({ nReturned: 2, totalDocsExamined: 2 });
  });

  it('walks an index in sort order when a limit applies', async () => {
    const c = db.collection('big');
    const query = () =>
      c
        .find({ group: 7 }, { projection: { _id: 0, n: 1 } })
        .sort({ n: -1 })
        .limit(3);
    expect(await query().toArray()).toEqual([{ n: 19_997 }, { n: 19_987 }, { n: 19_977 }]);
    const explained = (await query().explain('executionStats')) as unknown as Explained;
    expect(explained.queryPlanner.winningPlan.inputStage?.indexName).toBe('group_1_at_1');
    const bySort = (await c
      .find({ kind: { $exists: false } })
      .sort({ n: -1 })
      .limit(3)
      .explain('executionStats')) as unknown as Explained;
    expect(bySort.queryPlanner.winningPlan.inputStage?.indexName).toBe('n_1');
    expect(bySort.executionStats.totalDocsExamined).toBe(3);
  });

  it('pages like the orders list: equality prefix, descending compound sort, cursor condition', async () => {
    const c = db.collection('orders');
    await c.createIndexes([
      { key: { placedAt: -1, _id: -1 }, name: 'placedAt_id' },
      { key: { status: 1, placedAt: -1, _id: -1 }, name: 'status_placedAt_id' },
    ]);
    await c.insertMany(
      Array.from({ length: 2_000 }, (_, i) => ({
        _id: `o${i}` as never,
        status: i % 2 ? 'Paid' : 'Placed',
        placedAt: new Date(i * 60_000),
      })),
    );
    const page = (filter: object) => c.find(filter).sort({ placedAt: -1, _id: -1 }).limit(3);
    expect((await page({ status: 'Paid' }).toArray()).map((o) => o._id)).toEqual(['o1999', 'o1997', 'o1995']);
    const paid = (await page({ status: 'Paid' }).explain('executionStats')) as unknown as Explained;
    expect(paid.queryPlanner.winningPlan.inputStage?.indexName).toBe('status_placedAt_id');
    expect(paid.executionStats.totalDocsExamined).toBe(3);
    const after = {
      $or: [
        { placedAt: { $lt: new Date(1_000 * 60_000) } },
        { placedAt: new Date(1_000 * 60_000), _id: { $lt: 'o1000' } },
      ],
    };
    expect((await page({ $and: [{}, after] }).toArray()).map((o) => o._id)).toEqual(['o999', 'o998', 'o997']);
    const all = (await page({ $and: [{}, after] }).explain('executionStats')) as unknown as Explained;
    expect(all.queryPlanner.winningPlan.inputStage?.indexName).toBe('placedAt_id');
    expect(all.executionStats.totalDocsExamined).toBeLessThan(1_100);
  });

  it('falls back to a collection scan for unindexed fields', async () => {
    const explained = (await db
      .collection('big')
      .find({ nope: 1 })
      .explain('executionStats')) as unknown as Explained;
    expect(explained.queryPlanner.winningPlan.stage).toBe('COLLSCAN');
    expect(explained.executionStats.totalDocsExamined).toBe(COUNT);
  });

  it('updates and deletes through the index (serverStatus scannedObjects grows by one)', async () => {
    const before = await db.admin().command({ serverStatus: 1 });
    await db.collection('big').updateOne({ n: 42 }, { $set: { touched: true } });
    const after = await db.admin().command({ serverStatus: 1 });
    const scanned =
      Number(after.metrics.queryExecutor.scannedObjects) -
      Number(before.metrics.queryExecutor.scannedObjects);
    expect(scanned).toBe(1);
    expect(await db.collection('big').countDocuments({ touched: true })).toBe(1);
  });

  it('keeps indexes consistent after updates and deletes', async () => {
    const c = db.collection('big');
    await c.updateOne({ n: 10 }, { $set: { n: -10 } });
    expect(await c.findOne({ n: 10 })).toBeNull();
    expect((await c.findOne({ n: -10 }))?.group).toBe(0);
    await c.deleteMany({ n: { $lt: 5 } });
    expect(await c.countDocuments({ n: { $lt: 5 } })).toBe(0);
    expect(await c.countDocuments({ n: { $gte: 5, $lt: 20 } })).toBe(14);
  });
});
