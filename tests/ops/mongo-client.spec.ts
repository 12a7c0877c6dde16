import {
  MongoBulkWriteError,
  MongoServerError,
  type AnyBulkWriteOperation,
  type Db,
  type WriteError,
} from 'mongodb';
import { openTestMongo, type TestMongo } from '../support/test-servers';

// What the read models rely on, through the official driver: the same spec runs against the embedded server
// (`npm test`) and against MongoDB 7 (`npm run test:servers`), in a database of its own.

interface Doc {
  _id: string;
  _position: number;
  status: string;
  placedAt?: string;
}

/** The projector's write: replace a document only with a newer one; a stale upsert collides on _id. */
const guardedReplace = (doc: Doc): AnyBulkWriteOperation<Doc> => ({
  replaceOne: { filter: { _id: doc._id, _position: { $lt: doc._position } }, replacement: doc, upsert: true },
});

describe('MongoDB as the read models use it', () => {
  let mongo: TestMongo;
  let db: Db;
  beforeAll(async () => {
    mongo = await openTestMongo('read-models');
    db = mongo.db;
  });
  afterAll(() => mongo.close());

  it('keeps the newer document when a stale writer replays an older one', async () => {
    const orders = db.collection<Doc>('guarded');
    await orders.bulkWrite([guardedReplace({ _id: 'o-1', _position: 5, status: 'Paid' })], {
      ordered: false,
    });
    const stale = await orders
      .bulkWrite(
        [
          guardedReplace({ _id: 'o-1', _position: 3, status: 'Placed' }),
          guardedReplace({ _id: 'o-2', _position: 4, status: 'Placed' }),
        ],
        { ordered: false },
      )
      .catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(MongoBulkWriteError);
    const errors: WriteError[] = [(stale as MongoBulkWriteError).writeErrors].flat();
    expect(errors.map((e) => [e.index, e.code])).toEqual([[0, 11000]]);
    // Unordered: the other write went through.
    expect(await orders.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'o-1', _position: 5, status: 'Paid' },
      { _id: 'o-2', _position: 4, status: 'Placed' },
    ]);
    await orders.bulkWrite([guardedReplace({ _id: 'o-1', _position: 6, status: 'Shipped' })]);
    expect(await orders.findOne({ _id: 'o-1' })).toMatchObject({ _position: 6, status: 'Shipped' });
  });

  it('saves a checkpoint with an upserting $set and reads it back', async () => {
    const checkpoints = db.collection<{ _id: string; commit: number; updatedAt: Date }>('checkpoints');
    const save = (commit: number) =>
      checkpoints.updateOne({ _id: 'orders' }, { $set: { commit, updatedAt: new Date() } }, { upsert: true });
    expect((await save(10)).upsertedCount).toBe(1);
    expect((await save(20)).modifiedCount).toBe(1);
    expect(await checkpoints.findOne({ _id: 'orders' })).toMatchObject({
      commit: 20,
      updatedAt: expect.any(Date),
    });
  });

  it('pages newest first with a (placedAt, _id) cursor over an index, and enforces a unique one', async () => {
    const orders = db.collection<Doc>('paged');
    await orders.createIndexes([
      { key: { placedAt: -1, _id: -1 }, name: 'newest' },
      { key: { status: 1, placedAt: 1 }, name: 'status_unique_for_test', unique: true },
    ]);
    const docs = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({
      _id: id,
      _position: i,
      status: `s-${id}`,
      // Two share a timestamp, so the _id breaks the tie.
      placedAt: `2026-11-2${Math.min(i, 3)}T10:00:00Z`,
    }));
    await orders.insertMany(docs);
    const pages: string[][] = [];
    let cursor: { placedAt: string; id: string } | undefined;
    for (let page = 0; page < 5; page++) {
      const filter = cursor
        ? {
            $or: [
              { placedAt: { $lt: cursor.placedAt } },
              { placedAt: cursor.placedAt, _id: { $lt: cursor.id } },
            ],
          }
        : {};
      const items = await orders.find(filter).sort({ placedAt: -1, _id: -1 }).limit(2).toArray();
      if (items.length === 0) break;
      pages.push(items.map((item) => item._id));
      const last = items[items.length - 1]!;
      cursor = { placedAt: last.placedAt!, id: last._id };
    }
    expect(pages).toEqual([['e', 'd'], ['c', 'b'], ['a']]);
    const duplicate = await orders
      .insertOne({ _id: 'f', _position: 9, status: 's-a', placedAt: docs[0]!.placedAt })
      .catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(MongoServerError);
    expect((duplicate as MongoServerError).code).toBe(11000);
  });

  it('switches a rebuilt collection in by renaming it over the live one', async () => {
    await db.collection<Doc>('live').insertOne({ _id: 'o-1', _position: 1, status: 'old' });
    await db.collection<Doc>('scratch').insertOne({ _id: 'o-1', _position: 2, status: 'rebuilt' });
    await db.renameCollection('scratch', 'live', { dropTarget: true });
    expect(await db.collection('live').find({}).toArray()).toEqual([
      { _id: 'o-1', _position: 2, status: 'rebuilt' },
    ]);
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    expect(names).toContain('live');
    expect(names).not.toContain('scratch');
    expect(await db.collection('live').countDocuments({ status: 'rebuilt' })).toBe(1);
  });
});
