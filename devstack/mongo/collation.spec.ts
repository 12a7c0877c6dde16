import type { Db } from 'mongodb';
import { openTestDb, serverError } from './test-db';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('collation'));
});

afterAll(() => close());

const CASE_INSENSITIVE = { locale: 'en', strength: 2 } as const;

describe('collation', () => {
  const names = () => db.collection('names');

  beforeAll(async () => {
    await names().insertMany([
      { _id: 1 as never, name: 'ada', n: '10' },
      { _id: 2 as never, name: 'Ada', n: '9' },
      { _id: 3 as never, name: 'ADA', n: '2' },
      { _id: 4 as never, name: 'bob', n: '1' },
      { _id: 5 as never, name: 'Bob', n: '30' },
    ]);
    await names().createIndex({ name: 1 });
  });

  it('applies to find equality and ranges, with or without an index on the field', async () => {
    const found = await names().find({ name: 'ada' }, { collation: CASE_INSENSITIVE }).toArray();
    expect(found.map((d) => d._id as unknown)).toEqual([1, 2, 3]);
    expect(await names().countDocuments({ name: { $gt: 'ADA' } }, { collation: CASE_INSENSITIVE })).toBe(2);
    expect(await names().countDocuments({ name: 'ada' })).toBe(1);
  });

  it('orders strings by the locale, and numerically with numericOrdering', async () => {
    const byLocale = await names()
      .find({}, { collation: { locale: 'en' }, sort: { name: 1, _id: 1 } })
      .toArray();
    expect(byLocale.map((d) => d.name as string)).toEqual(['ada', 'Ada', 'ADA', 'bob', 'Bob']);
    const binary = await names()
      .find({}, { sort: { name: 1 } })
      .toArray();
    expect(binary.map((d) => d.name as string)).toEqual(['ADA', 'Ada', 'Bob', 'ada', 'bob']);
    const numeric = await names()
      .aggregate([{ $sort: { n: 1 } }, { $project: { _id: 0, n: 1 } }], {
        collation: { locale: 'en', numericOrdering: true },
      })
      .toArray();
    expect(numeric.map((d) => d.n as string)).toEqual(['1', '2', '9', '10', '30']);
  });

  it('applies to distinct, updates, deletes and findAndModify', async () => {
    const scratch = db.collection('scratch');
    await scratch.insertMany([{ k: 'x' }, { k: 'X' }, { k: 'y' }]);
    expect(await scratch.distinct('k', {}, { collation: CASE_INSENSITIVE })).toHaveLength(2);
    const updated = await scratch.updateMany(
      { k: 'x' },
      { $set: { hit: 1 } },
      { collation: CASE_INSENSITIVE },
    );
    expect(updated.modifiedCount).toBe(2);
    const found = await scratch.findOneAndUpdate(
      { k: 'Y' },
      { $set: { hit: 2 } },
      { collation: CASE_INSENSITIVE, returnDocument: 'after' },
    );
    expect(found?.k).toBe('y');
    const deleted = await scratch.deleteMany({ k: 'X' }, { collation: CASE_INSENSITIVE });
    expect(deleted.deletedCount).toBe(2);
  });

  it("uses the collection's default collation when the command gives none", async () => {
    await db.createCollection('ci', { collation: CASE_INSENSITIVE });
    await db.collection('ci').insertMany([{ s: 'Paris' }, { s: 'PARIS' }, { s: 'rome' }]);
    expect(await db.collection('ci').countDocuments({ s: 'paris' })).toBe(2);
    expect(
      await db.collection('ci').countDocuments({ s: 'paris' }, { collation: { locale: 'simple' } }),
    ).toBe(0);
  });

  it('refuses what mongod refuses', async () => {
    const find = (collation: object) => serverError(db.command({ find: 'names', filter: {}, collation }));
    expect(await find({ locale: 'xx_nope' })).toMatchObject({ code: 2, codeName: 'BadValue' });
    expect(await find({ strength: 2 })).toMatchObject({ code: 40414, codeName: 'Location40414' });
    expect(await find({ locale: 'en', colour: 1 })).toMatchObject({ code: 40415, codeName: 'Location40415' });
    expect(await find({ locale: 'en', strength: 9 })).toMatchObject({ code: 2, codeName: 'BadValue' });
  });

  it('refuses a unique index with a non-simple collation, which it could not enforce', async () => {
    const error = await serverError(
      db.collection('uniq').createIndex({ email: 1 }, { unique: true, collation: CASE_INSENSITIVE }),
    );
    expect(error).toMatchObject({ code: 238, codeName: 'NotImplemented' });
  });
});
