import type { Db } from 'mongodb';
import { openTestDb, serverError } from './test-db';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('rules'));
});

afterAll(() => close());

describe('sort on updateOne / replaceOne', () => {
  it('is refused as MongoDB 7.0 refuses it (the option came with 8.0)', async () => {
    const c = db.collection('sorted');
    await c.insertMany([{ n: 1 }, { n: 2 }]);
    for (const attempt of [
      () => serverError(c.updateOne({}, { $set: { hit: true } }, { sort: { n: -1 } })),
      () => serverError(c.replaceOne({}, { n: 3 }, { sort: { n: 1 } })),
    ]) {
      expect(await attempt()).toMatchObject({
        code: 40415,
        codeName: 'Location40415',
        message: "BSON field 'update.updates.sort' is an unknown field.",
      });
    }
    expect(await c.countDocuments({ hit: true })).toBe(0);
    expect(await c.countDocuments({ n: 3 })).toBe(0);
  });
});

describe('$-prefixed field names inside _id', () => {
  const c = () => db.collection('ids');

  it.each([
    ['a top-level field', { _id: { $b: 1 } }],
    ['a field next to others', { _id: { a: 1, $b: 1 } }],
    ['a nested field', { _id: { a: { $b: 1 } } }],
  ])('refuses an insert with %s', async (_label, doc) => {
    const error = await serverError(c().insertOne(doc as never));
    expect(error).toMatchObject({ code: 52, codeName: 'DollarPrefixedFieldName' });
  });

  it('refuses upserts and replacements that would store one', async () => {
    for (const attempt of [
      () => serverError(c().updateOne({ x: 1 }, { $set: { _id: { $invalid: 1 } } }, { upsert: true })),
      () =>
        serverError(c().updateOne({ x: 1 }, { $setOnInsert: { _id: { $invalid: 1 } } }, { upsert: true })),
      () => serverError(c().replaceOne({ x: 1 }, { _id: { $invalid: 1 } }, { upsert: true })),
    ]) {
      expect(await attempt()).toMatchObject({ code: 52, codeName: 'DollarPrefixedFieldName' });
    }
    expect(await c().countDocuments()).toBe(0);
  });

  it('still accepts $-prefixed names elsewhere and dotted names in _id', async () => {
    await c().insertOne({ _id: { 'a.b': 1 } as never, a: { $b: 1 } });
    expect(await c().countDocuments()).toBe(1);
  });
});

describe('pipeline-style updates', () => {
  const c = () => db.collection('piped');

  beforeEach(async () => {
    await c().deleteMany({});
    await c().insertOne({ _id: 1 as never, a: 1, b: 2 });
  });

  it.each([
    ['$replaceWith without _id', [{ $replaceWith: { a: 10 } }], { _id: 1, a: 10 }],
    ['$project excluding _id', [{ $project: { _id: 0, b: 1 } }], { _id: 1, b: 2 }],
    ['$unset of _id', [{ $unset: '_id' }], { _id: 1, a: 1, b: 2 }],
  ])('keep the stored _id after %s', async (_label, pipeline, expected) => {
    await c().updateOne({ _id: 1 as never }, pipeline);
    expect(await c().find().toArray()).toEqual([expected]);
  });

  it('still refuse changing _id', async () => {
    const error = await serverError(c().updateOne({ _id: 1 as never }, [{ $set: { _id: 2 } }]));
    expect(error).toMatchObject({ code: 66, codeName: 'ImmutableField' });
  });
});

describe('$merge', () => {
  it('reports a duplicate with keyPattern and keyValue', async () => {
    await db.collection('src').insertMany([{ _id: 1 as never, v: 'a' }]);
    await db.collection('dst').insertMany([{ _id: 1 as never, v: 'old' }]);
    const error = await serverError(
      db
        .collection('src')
        .aggregate([{ $merge: { into: 'dst', whenMatched: 'fail' } }])
        .toArray(),
    );
    expect(error).toMatchObject({
      code: 11000,
      codeName: 'DuplicateKey',
      keyPattern: { _id: 1 },
      keyValue: { _id: 1 },
    });
    expect(error.message).toContain('E11000 duplicate key error collection: rules.dst index: _id_');
  });

  it('reports a unique index collision of an inserted document with keyPattern and keyValue', async () => {
    await db.collection('src2').insertMany([{ _id: 2 as never, email: 'x@example.com' }]);
    await db.collection('dst2').createIndex({ email: 1 }, { unique: true });
    await db.collection('dst2').insertOne({ _id: 1 as never, email: 'x@example.com' });
    const error = await serverError(
      db
        .collection('src2')
        .aggregate([{ $merge: { into: 'dst2' } }])
        .toArray(),
    );
    expect(error).toMatchObject({
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'x@example.com' },
    });
  });

  it("refuses an 'on' field without a unique index, as mongod does", async () => {
    const error = await serverError(
      db
        .collection('src')
        .aggregate([{ $merge: { into: 'dst', on: 'v' } }])
        .toArray(),
    );
    expect(error).toMatchObject({ code: 51183, codeName: 'Location51183' });
  });
});
