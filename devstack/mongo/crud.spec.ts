import { MongoServerError, type Db } from 'mongodb';
import { openTestDb, serverError } from './test-db';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('crud'));
});

afterAll(() => close());

describe('insert and find', () => {
  const people = () => db.collection('people');

  beforeAll(async () => {
    await people().insertMany([
      { _id: 1 as never, name: 'Ada', age: 36, city: 'London', tags: ['math', 'code'] },
      { _id: 2 as never, name: 'Bob', age: 25, city: 'Paris' },
      { _id: 3 as never, name: 'Cy', age: 41, city: 'London', address: { zip: 'N1' } },
      { _id: 4 as never, name: 'Di', age: 30, city: 'Rome', tags: ['code'] },
    ]);
  });

  it('filters, sorts, skips, limits and projects', async () => {
    const docs = await people()
      .find({ age: { $gte: 26 } }, { projection: { name: 1, _id: 0 } })
      .sort({ age: -1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(docs).toEqual([{ name: 'Ada' }, { name: 'Di' }]);
  });

  it('matches array elements and dotted paths', async () => {
    expect(await people().countDocuments({ tags: 'code' })).toBe(2);
    expect((await people().findOne({ 'address.zip': 'N1' }))?.name).toBe('Cy');
  });

  it('answers top-level projections as it answers the same projection with a path into a missing field', async () => {
    // The added path selects nothing, but takes the projection off the top-level fast path.
    const general = (projection: Record<string, number | boolean>, value: 0 | 1) => ({
      ...projection,
      'absent.field': value,
    });
    const inclusions: Record<string, number | boolean>[] = [
      { name: 1 },
      { city: true, name: 1 },
      { _id: 0, age: 1 },
      { _id: 1 },
      { missing: 1 },
    ];
    for (const projection of inclusions) {
      const fast = await people()
        .find({}, { projection, sort: { _id: 1 } })
        .toArray();
      expect(fast).toEqual(
        await people()
          .find({}, { projection: general(projection, 1), sort: { _id: 1 } })
          .toArray(),
      );
      expect(fast.length).toBeGreaterThan(0);
    }
    for (const projection of [{ name: 0 }, { _id: 0 }, { _id: false, city: 0 }] as Record<
      string,
      number | boolean
    >[]) {
      const fast = await people()
        .find({}, { projection, sort: { _id: 1 } })
        .toArray();
      expect(fast).toEqual(
        await people()
          .find({}, { projection: general(projection, 0), sort: { _id: 1 } })
          .toArray(),
      );
    }
    expect(await people().findOne({ _id: 3 as never }, { projection: { _id: 1 } })).toEqual({ _id: 3 });
  });

  it('keeps the stored field order in projections', async () => {
    const doc = await people().findOne({ _id: 3 as never }, { projection: { city: 1, name: 1 } });
    expect(Object.keys(doc!)).toEqual(['_id', 'name', 'city']);
  });

  it('pages through a cursor with getMore and kills cursors', async () => {
    const many = db.collection('many');
    await many.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const cursor = many.find({}, { batchSize: 40 }).sort({ i: 1 });
    const all = await cursor.toArray();
    expect(all.map((d) => d.i as number)).toEqual(Array.from({ length: 250 }, (_, i) => i));

    const reply = await db.command({ find: 'many', batchSize: 10 });
    expect(reply.cursor.firstBatch).toHaveLength(10);
    const id = reply.cursor.id;
    expect(String(id)).not.toBe('0');
    const more = await db.command({ getMore: id, collection: 'many', batchSize: 5 });
    expect(more.cursor.nextBatch).toHaveLength(5);
    const killed = await db.command({ killCursors: 'many', cursors: [id] });
    expect(killed.cursorsKilled).toHaveLength(1);
    const gone = await serverError(db.command({ getMore: id, collection: 'many' }));
    expect(gone.code).toBe(43);
    expect(gone.codeName).toBe('CursorNotFound');
  });

  it('rejects an array _id with InvalidIdField', async () => {
    const error = await serverError(db.collection('bad').insertOne({ _id: [1, 2] as never }));
    expect(error.code).toBe(53);
  });
});

describe('update', () => {
  const items = () => db.collection('items');

  beforeEach(async () => {
    await items().deleteMany({});
    await items().insertMany([
      {
        _id: 'a' as never,
        qty: 1,
        kind: 'x',
        grades: [
          { g: 80, m: 1 },
          { g: 95, m: 2 },
        ],
      },
      { _id: 'b' as never, qty: 2, kind: 'x' },
      { _id: 'c' as never, qty: 3, kind: 'y' },
    ]);
  });

  it('updates one or many and reports matched and modified counts', async () => {
    const one = await items().updateOne({ kind: 'x' }, { $inc: { qty: 10 } });
    expect([one.matchedCount, one.modifiedCount]).toEqual([1, 1]);
    const many = await items().updateMany({ kind: 'x' }, { $set: { seen: true } });
    expect([many.matchedCount, many.modifiedCount]).toEqual([2, 2]);
    const noop = await items().updateMany({ kind: 'x' }, { $set: { seen: true } });
    expect([noop.matchedCount, noop.modifiedCount]).toEqual([2, 0]);
  });

  it('seeds an upsert from equality filters and applies $setOnInsert only on insert', async () => {
    const inserted = await items().updateOne(
      { _id: 'z' as never, kind: 'z', 'meta.source': { $eq: 'erp' }, qty: { $gt: 5 } },
      { $set: { qty: 9 }, $setOnInsert: { createdBy: 'upsert' } },
      { upsert: true },
    );
    expect(inserted.upsertedId).toBe('z');
    expect(await items().findOne({ _id: 'z' as never })).toEqual({
      _id: 'z',
      kind: 'z',
      meta: { source: 'erp' },
      qty: 9,
      createdBy: 'upsert',
    });
    const again = await items().updateOne(
      { _id: 'z' as never },
      { $set: { qty: 10 }, $setOnInsert: { createdBy: 'changed' } },
      { upsert: true },
    );
    expect(again.upsertedCount).toBe(0);
    expect((await items().findOne({ _id: 'z' as never }))?.createdBy).toBe('upsert');
  });

  it('replaces documents and upserts replacements keeping the query _id', async () => {
    await items().replaceOne({ _id: 'b' as never }, { qty: 20 });
    expect(await items().findOne({ _id: 'b' as never })).toEqual({ _id: 'b', qty: 20 });
    const up = await items().replaceOne({ _id: 'n' as never, kind: 'ignored' }, { qty: 1 }, { upsert: true });
    expect(up.upsertedId).toBe('n');
    expect(await items().findOne({ _id: 'n' as never })).toEqual({ _id: 'n', qty: 1 });
  });

  it('applies array filters', async () => {
    await items().updateOne(
      { _id: 'a' as never },
      { $set: { 'grades.$[high].m': 9 } },
      { arrayFilters: [{ 'high.g': { $gte: 90 } }] },
    );
    expect((await items().findOne({ _id: 'a' as never }))?.grades).toEqual([
      { g: 80, m: 1 },
      { g: 95, m: 9 },
    ]);
  });

  it('applies pipeline updates and array operators', async () => {
    await items().updateOne({ _id: 'c' as never }, [{ $set: { double: { $multiply: ['$qty', 2] } } }]);
    expect((await items().findOne({ _id: 'c' as never }))?.double).toBe(6);
    await items().updateOne(
      { _id: 'c' as never },
      { $push: { log: { $each: ['a', 'b', 'c'], $slice: -2 } } as never },
    );
    await items().updateOne({ _id: 'c' as never }, { $addToSet: { log: 'c' } });
    await items().updateOne({ _id: 'c' as never }, { $pull: { grades: { g: 80 } } as never });
    expect((await items().findOne({ _id: 'c' as never }))?.log).toEqual(['b', 'c']);
    const upserted = await items().updateOne({ _id: 'p' as never }, [{ $set: { qty: { $literal: 7 } } }], {
      upsert: true,
    });
    expect(upserted.upsertedId).toBe('p');
    expect(await items().findOne({ _id: 'p' as never })).toEqual({ _id: 'p', qty: 7 });
  });

  it('keeps nested fields when setting dotted paths and counts no-op updates as unmodified', async () => {
    await items().updateOne(
      { _id: 'a' as never },
      { $set: { 'meta.by': 'x', 'meta.at': 1 }, $unset: { kind: '' } },
    );
    await items().updateOne(
      { _id: 'a' as never },
      { $inc: { 'meta.at': 2 }, $max: { qty: 0 }, $min: { low: 3 } },
    );
    const doc = await items().findOne({ _id: 'a' as never }, { projection: { grades: 0 } });
    expect(doc).toEqual({ _id: 'a', qty: 1, meta: { by: 'x', at: 3 }, low: 3 });
    const same = await items().updateOne(
      { _id: 'a' as never },
      { $set: { 'meta.by': 'x' }, $unset: { gone: '' } },
    );
    expect(same.modifiedCount).toBe(0);
  });

  it('answers invalid updates with MongoDB error codes', async () => {
    const conflict = await serverError(
      items().updateOne({ _id: 'a' as never }, { $set: { qty: 1 }, $inc: { qty: 1 } }),
    );
    expect([conflict.code, conflict.codeName]).toEqual([40, 'ConflictingUpdateOperators']);
    const immutable = await serverError(items().updateOne({ _id: 'a' as never }, { $set: { _id: 'other' } }));
    expect([immutable.code, immutable.codeName]).toEqual([66, 'ImmutableField']);
    const unknown = await serverError(
      db.command({ update: 'items', updates: [{ q: {}, u: { $frobnicate: { a: 1 } } }] }).then((r) => {
        throw new MongoServerError((r.writeErrors as MongoServerError[])[0]!);
      }),
    );
    expect([unknown.code, unknown.codeName]).toEqual([9, 'FailedToParse']);
    const notNumber = await serverError(items().updateOne({ _id: 'a' as never }, { $inc: { kind: 1 } }));
    expect([notNumber.code, notNumber.codeName]).toEqual([14, 'TypeMismatch']);
    const badArg = await serverError(
      items().updateOne({ _id: 'a' as never }, { $inc: { qty: 'x' as never } }),
    );
    expect(badArg.code).toBe(14);
  });

  it('keeps serving after a failed update', async () => {
    expect(await items().countDocuments()).toBe(3);
  });
});

describe('delete, findAndModify and bulk writes', () => {
  const jobs = () => db.collection('jobs');

  beforeEach(async () => {
    await jobs().deleteMany({});
    await jobs().insertMany([
      { _id: 1 as never, state: 'new', prio: 2 },
      { _id: 2 as never, state: 'new', prio: 5 },
      { _id: 3 as never, state: 'done', prio: 1 },
    ]);
  });

  it('deletes one or many', async () => {
    expect((await jobs().deleteOne({ state: 'new' })).deletedCount).toBe(1);
    expect((await jobs().deleteMany({})).deletedCount).toBe(2);
  });

  it('finds and modifies the first document in sort order', async () => {
    const before = await jobs().findOneAndUpdate(
      { state: 'new' },
      { $set: { state: 'taken' } },
      { sort: { prio: -1 } },
    );
    expect(before).toEqual({ _id: 2, state: 'new', prio: 5 });
    const after = await jobs().findOneAndUpdate(
      { state: 'new' },
      { $set: { state: 'taken' } },
      { sort: { prio: -1 }, returnDocument: 'after', projection: { state: 1 } },
    );
    expect(after).toEqual({ _id: 1, state: 'taken' });
    const upserted = await jobs().findOneAndUpdate(
      { _id: 9 as never },
      { $set: { state: 'new' } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(upserted.value).toEqual({ _id: 9, state: 'new' });
    expect(upserted.lastErrorObject).toEqual({ n: 1, updatedExisting: false, upserted: 9 });
    expect(await jobs().findOneAndDelete({ _id: 3 as never })).toEqual({ _id: 3, state: 'done', prio: 1 });
    expect(await jobs().findOneAndDelete({ _id: 3 as never })).toBeNull();
  });

  it('stops an ordered bulk write at the first error and continues an unordered one', async () => {
    await jobs().createIndex({ prio: 1 }, { unique: true });
    const ops = [
      { insertOne: { document: { _id: 10, prio: 10 } } },
      { insertOne: { document: { _id: 11, prio: 5 } } },
      { updateOne: { filter: { _id: 12 }, update: { $set: { prio: 12 } }, upsert: true } },
    ] as never[];
    const ordered = await serverError(jobs().bulkWrite(ops, { ordered: true }));
    expect(ordered.code).toBe(11000);
    expect(await jobs().countDocuments({ _id: { $in: [10, 11, 12] } as never })).toBe(1);

    await jobs().deleteMany({ _id: { $gte: 10 } as never });
    const unordered = await serverError(jobs().bulkWrite(ops, { ordered: false }));
    const result = (unordered as unknown as { result: { insertedCount: number; upsertedCount: number } })
      .result;
    expect([result.insertedCount, result.upsertedCount]).toEqual([1, 1]);
    const raw = await db.command({
      insert: 'jobs',
      documents: [
        { _id: 20, prio: 1 },
        { _id: 21, prio: 21 },
        { _id: 22, prio: 2 },
      ],
      ordered: false,
    });
    expect(raw.n).toBe(1);
    expect(
      (raw.writeErrors as Array<{ index: number; code: number }>).map(
        (e: { index: number; code: number }) => [e.index, e.code],
      ),
    ).toEqual([
      [0, 11000],
      [2, 11000],
    ]);
  });
});
