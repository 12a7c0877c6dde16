import type { Db } from 'mongodb';
import { openTestDb, serverError } from './test-db';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('letvars'));
});

afterAll(() => close());

const stock = () => db.collection('stock');

beforeEach(async () => {
  await stock().deleteMany({});
  await stock().insertMany([
    { _id: 1 as never, item: 'pen', qty: 5 },
    { _id: 2 as never, item: 'ink', qty: 20 },
    { _id: 3 as never, item: 'pad', qty: 50 },
  ]);
});

describe('let variables', () => {
  it('binds them in find filters and projections', async () => {
    const docs = await stock()
      .find(
        { $expr: { $gte: ['$qty', '$$min'] } },
        { let: { min: 20, label: 'x' }, projection: { item: 1, tag: '$$label' }, sort: { _id: 1 } },
      )
      .toArray();
    expect(docs).toEqual([
      { _id: 2, item: 'ink', tag: 'x' },
      { _id: 3, item: 'pad', tag: 'x' },
    ]);
  });

  it('evaluates expressions given as values once, before the command runs', async () => {
    const docs = await stock()
      .find({ $expr: { $eq: ['$qty', '$$target'] } }, { let: { target: { $add: [45, 5] } } })
      .toArray();
    expect(docs.map((d) => d.item as string)).toEqual(['pad']);
  });

  it('binds them in aggregate pipelines', async () => {
    const docs = await stock()
      .aggregate(
        [
          { $match: { $expr: { $lt: ['$qty', '$$max'] } } },
          { $project: { _id: 0, item: 1, short: { $subtract: ['$$max', '$qty'] } } },
          { $sort: { item: 1 } },
        ],
        { let: { max: 30 } },
      )
      .toArray();
    expect(docs).toEqual([
      { item: 'ink', short: 10 },
      { item: 'pen', short: 25 },
    ]);
  });

  it('binds them in update filters and pipeline updates', async () => {
    const result = await stock().updateMany(
      { $expr: { $lt: ['$qty', '$$low'] } },
      [{ $set: { qty: { $add: ['$qty', '$$refill'] } } }],
      { let: { low: 30, refill: 100 } },
    );
    expect(result.modifiedCount).toBe(2);
    expect(
      (
        await stock()
          .find({}, { sort: { _id: 1 } })
          .toArray()
      ).map((d) => d.qty as number),
    ).toEqual([105, 120, 50]);
  });

  it('binds them in deletes', async () => {
    const result = await stock().deleteMany(
      { $expr: { $eq: ['$item', '$$gone'] } },
      { let: { gone: 'ink' } },
    );
    expect(result.deletedCount).toBe(1);
    expect(await stock().countDocuments()).toBe(2);
  });

  it('binds them in findAndModify', async () => {
    const before = await stock().findOneAndUpdate(
      { $expr: { $eq: ['$item', '$$which'] } },
      [{ $set: { qty: '$$qty' } }],
      { let: { which: 'pen', qty: 7 }, returnDocument: 'after' },
    );
    expect(before).toEqual({ _id: 1, item: 'pen', qty: 7 });
    const removed = await stock().findOneAndDelete({ $expr: { $eq: ['$qty', '$$q'] } }, { let: { q: 50 } });
    expect(removed?.item).toBe('pad');
  });

  it('answers an undefined variable with the error mongod gives, never InternalError', async () => {
    const filter = { $expr: { $eq: ['$qty', '$$nope'] } };
    for (const attempt of [
      () => serverError(stock().find(filter).toArray()),
      () => serverError(stock().updateOne(filter, { $set: { x: 1 } })),
      () => serverError(stock().deleteOne(filter)),
      () =>
        serverError(
          stock()
            .aggregate([{ $match: filter }])
            .toArray(),
        ),
      () => serverError(stock().findOneAndUpdate(filter, { $set: { x: 1 } })),
    ]) {
      expect(await attempt()).toMatchObject({ code: 17276, codeName: 'Location17276' });
    }
  });

  it('refuses a let that is not a document', async () => {
    const error = await serverError(db.command({ find: 'stock', filter: {}, let: 5 }));
    expect(error).toMatchObject({ code: 14, codeName: 'TypeMismatch' });
  });
});
