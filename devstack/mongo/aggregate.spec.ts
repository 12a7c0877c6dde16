import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { startMongo, type MongoServerHandle } from './index';

let server: MongoServerHandle;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  server = await startMongo({ port: 0 });
  client = new MongoClient(server.url);
  await client.connect();
  db = client.db('agg');
  await db.collection('orders').insertMany([
    {
      _id: 'o1' as never,
      customer: 'c1',
      status: 'Paid',
      total: 2500,
      day: '2026-01-01',
      lines: [{ sku: 'A', qty: 2 }],
    },
    {
      _id: 'o2' as never,
      customer: 'c2',
      status: 'Placed',
      total: 1000,
      day: '2026-01-01',
      lines: [{ sku: 'B', qty: 1 }],
    },
    {
      _id: 'o3' as never,
      customer: 'c1',
      status: 'Paid',
      total: 500,
      day: '2026-01-02',
      lines: [
        { sku: 'A', qty: 1 },
        { sku: 'C', qty: 3 },
      ],
    },
  ]);
  await db.collection('customers').insertMany([
    { _id: 'c1' as never, name: 'Ada' },
    { _id: 'c2' as never, name: 'Bob' },
  ]);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

describe('aggregate', () => {
  it('runs $match, $group with accumulators and $sort', async () => {
    const result = await db
      .collection('orders')
      .aggregate([
        { $match: { status: 'Paid' } },
        {
          $group: {
            _id: '$day',
            revenue: { $sum: '$total' },
            orders: { $sum: 1 },
            avg: { $avg: '$total' },
            max: { $max: '$total' },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(result).toEqual([
      { _id: '2026-01-01', revenue: 2500, orders: 1, avg: 2500, max: 2500 },
      { _id: '2026-01-02', revenue: 500, orders: 1, avg: 500, max: 500 },
    ]);
  });

  it('runs $unwind, $project, $lookup, $addToSet, $limit, $skip and $count', async () => {
    const units = await db
      .collection('orders')
      .aggregate([
        { $unwind: '$lines' },
        { $group: { _id: '$lines.sku', units: { $sum: '$lines.qty' }, orders: { $addToSet: '$_id' } } },
        { $sort: { units: -1 } },
        { $project: { _id: 0, sku: '$_id', units: 1, n: { $size: '$orders' } } },
        { $limit: 2 },
      ])
      .toArray();
    expect(units).toHaveLength(2);
    expect(units).toContainEqual({ units: 3, sku: 'A', n: 2 });
    expect(units).toContainEqual({ units: 3, sku: 'C', n: 1 });
    expect(units.map((u) => u.units as number)).toEqual([3, 3]);
    const joined = await db
      .collection('orders')
      .aggregate([
        { $match: { _id: 'o2' } },
        { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'who' } },
        { $project: { name: { $first: '$who.name' } } },
      ])
      .toArray();
    expect(joined).toEqual([{ _id: 'o2', name: 'Bob' }]);
    const counted = await db
      .collection('orders')
      .aggregate([{ $skip: 1 }, { $count: 'n' }])
      .toArray();
    expect(counted).toEqual([{ n: 2 }]);
  });

  it('returns large results through cursor batches', async () => {
    const c = db.collection('numbers');
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ i })));
    const docs = await c.aggregate([{ $sort: { i: -1 } }], { batchSize: 50 }).toArray();
    expect(docs).toHaveLength(300);
    expect(docs[0]?.i).toBe(299);
  });

  it('never changes stored documents while computing a pipeline', async () => {
    const shaped = await db
      .collection('orders')
      .aggregate([{ $match: { _id: 'o1' } }, { $set: { 'lines.sku': 'changed', total: 0 } }])
      .toArray();
    expect(shaped[0]?.total).toBe(0);
    expect(await db.collection('orders').findOne({ _id: 'o1' as never })).toMatchObject({
      total: 2500,
      lines: [{ sku: 'A', qty: 2 }],
    });
  });

  it('writes results with $out', async () => {
    await db
      .collection('orders')
      .aggregate([{ $match: { status: 'Paid' } }, { $out: 'paid' }])
      .toArray();
    expect(await db.collection('paid').countDocuments()).toBe(2);
  });

  it('merges results into another collection with $merge', async () => {
    const totals = db.collection('customer_totals');
    await totals.insertOne({ _id: 'c2' as never, note: 'keep me', spent: 0 });
    const pipeline = [
      { $group: { _id: '$customer', spent: { $sum: '$total' } } },
      { $merge: { into: 'customer_totals', whenMatched: 'merge', whenNotMatched: 'insert' } },
    ];
    await db.collection('orders').aggregate(pipeline).toArray();
    expect(await totals.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'c1', spent: 3000 },
      { _id: 'c2', note: 'keep me', spent: 1000 },
    ]);
  });

  it('reports an unknown stage as an error', async () => {
    await expect(
      db
        .collection('orders')
        .aggregate([{ $nope: {} }])
        .toArray(),
    ).rejects.toBeInstanceOf(MongoServerError);
  });
});

describe('count and distinct', () => {
  it('counts with query, skip and limit', async () => {
    expect(await db.collection('orders').countDocuments({ customer: 'c1' })).toBe(2);
    expect(await db.collection('orders').estimatedDocumentCount()).toBe(3);
    expect((await db.command({ count: 'orders', query: { status: 'Paid' }, skip: 1 })).n).toBe(1);
    expect((await db.command({ count: 'orders', limit: 2 })).n).toBe(2);
    expect((await db.command({ count: 'missing' })).n).toBe(0);
  });

  it('returns distinct values, expanding arrays', async () => {
    expect(await db.collection('orders').distinct('customer')).toEqual(['c1', 'c2']);
    expect(await db.collection('orders').distinct('lines.sku', { customer: 'c1' })).toEqual(['A', 'C']);
  });
});

describe('$project', () => {
  it('keeps _id as the first field, as mongod does', async () => {
    const [doc] = await db
      .collection('orders')
      .aggregate([{ $match: { _id: 'o1' } }, { $project: { total: 1, twice: { $multiply: ['$total', 2] } } }])
      .toArray();
    expect(doc).toEqual({ _id: 'o1', total: 2500, twice: 5000 });
    expect(Object.keys(doc ?? {})).toEqual(['_id', 'total', 'twice']);
  });
});
