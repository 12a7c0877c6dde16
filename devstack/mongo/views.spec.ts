import type { Db } from 'mongodb';
import { acrossRestart, openTestDb, serverError } from './test-db';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('views'));
  await db.collection('orders').insertMany([
    { _id: 1 as never, customer: 'ada', total: 30, status: 'paid' },
    { _id: 2 as never, customer: 'bob', total: 10, status: 'open' },
    { _id: 3 as never, customer: 'ada', total: 25, status: 'paid' },
  ]);
  await db.createCollection('paid', {
    viewOn: 'orders',
    pipeline: [{ $match: { status: 'paid' } }, { $project: { status: 0 } }],
  });
  await db.createCollection('big', { viewOn: 'paid', pipeline: [{ $match: { total: { $gt: 26 } } }] });
});

afterAll(() => close());

describe('read-only views', () => {
  it('answers find, count, distinct and aggregate through the view pipeline', async () => {
    const paid = db.collection('paid');
    expect(await paid.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, customer: 'ada', total: 30 },
      { _id: 3, customer: 'ada', total: 25 },
    ]);
    expect(await paid.find({ total: { $lt: 26 } }, { projection: { _id: 1 } }).toArray()).toEqual([
      { _id: 3 },
    ]);
    expect(await paid.countDocuments()).toBe(2);
    expect(await paid.distinct('customer')).toEqual(['ada']);
    const [sum] = await paid.aggregate([{ $group: { _id: null, total: { $sum: '$total' } } }]).toArray();
    expect(sum?.total).toBe(55);
  });

  it('follows views defined on views', async () => {
    expect(await db.collection('big').find().toArray()).toEqual([{ _id: 1, customer: 'ada', total: 30 }]);
  });

  it('sees later writes to the source collection', async () => {
    await db.collection('orders').insertOne({ _id: 4 as never, customer: 'cy', total: 99, status: 'paid' });
    expect(await db.collection('big').countDocuments()).toBe(2);
    await db.collection('orders').deleteOne({ _id: 4 as never });
  });

  it('is listed as a view', async () => {
    const [info] = await db.listCollections({ name: 'paid' }).toArray();
    expect(info).toMatchObject({
      name: 'paid',
      type: 'view',
      options: { viewOn: 'orders', pipeline: [{ $match: { status: 'paid' } }, { $project: { status: 0 } }] },
      info: { readOnly: true },
    });
  });

  it('refuses writes and indexes with CommandNotSupportedOnView', async () => {
    const paid = db.collection('paid');
    for (const attempt of [
      () => serverError(paid.insertOne({ x: 1 })),
      () => serverError(paid.updateOne({}, { $set: { x: 1 } })),
      () => serverError(paid.deleteMany({})),
      () => serverError(paid.findOneAndUpdate({}, { $set: { x: 1 } })),
      () => serverError(paid.createIndex({ x: 1 })),
    ]) {
      expect(await attempt()).toMatchObject({ code: 166, codeName: 'CommandNotSupportedOnView' });
    }
    expect(await db.collection('orders').countDocuments({ x: 1 })).toBe(0);
  });

  it('refuses view definitions mongod refuses', async () => {
    const out = await serverError(
      db.createCollection('bad', { viewOn: 'orders', pipeline: [{ $out: 'x' }] }),
    );
    expect(out).toMatchObject({ code: 167, codeName: 'OptionNotSupportedOnView' });
    const exists = await serverError(db.createCollection('orders', { viewOn: 'paid', pipeline: [] }));
    expect(exists).toMatchObject({ code: 48, codeName: 'NamespaceExists' });
  });

  it('can be redefined with collMod and dropped', async () => {
    await db.command({ collMod: 'big', viewOn: 'orders', pipeline: [{ $match: { customer: 'bob' } }] });
    expect((await db.collection('big').find().toArray()).map((d) => d._id as unknown)).toEqual([2]);
    expect(await db.collection('big').drop()).toBe(true);
    expect((await db.listCollections({ name: 'big' }).toArray()).length).toBe(0);
  });
});

describe('views with persistence', () => {
  it('survive a restart', () =>
    acrossRestart(
      async (pdb) => {
        await pdb.collection('src').insertMany([{ k: 1 }, { k: 2 }]);
        await pdb.createCollection('ones', { viewOn: 'src', pipeline: [{ $match: { k: 1 } }] });
      },
      async (pdb) => {
        expect(await pdb.collection('ones').countDocuments()).toBe(1);
        expect((await pdb.listCollections({ name: 'ones' }).toArray())[0]?.type).toBe('view');
      },
    ));
});
