import { ObjectId, type Document } from 'bson';
import type { Collection, Db } from 'mongodb';
import { openTestDb, serverError } from './test-db';

// `$set`/`$setOnInsert`/`$unset` of plain top-level fields take their own fast updater; array filters (even
// none) send the same update through mingo's general updater. Each spec runs both and expects the same answer.

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('plain-sets'));
});

afterAll(() => close());

async function twins(name: string): Promise<[Collection, Collection]> {
  const pair: [Collection, Collection] = [db.collection(`${name}-fast`), db.collection(`${name}-general`)];
  for (const c of pair) {
    await c.createIndex({ key: 1 }, { unique: true });
    await c.insertMany([
      { _id: 1 as never, key: 'k1', status: 'New', n: 1, at: new Date(5) },
      { _id: 2 as never, key: 'k2', status: 'New', n: 1.5 },
    ]);
  }
  return pair;
}

async function contents(c: Collection): Promise<Document[]> {
  return (await c.find({}).sort({ key: 1 }).toArray()).map(({ _id, ...rest }) =>
    _id instanceof ObjectId ? rest : { _id, ...rest },
  );
}

const comparable = (result: Document): Document => ({
  ...result,
  upsertedId: result.upsertedId instanceof ObjectId ? 'generated' : (result.upsertedId as unknown),
});

describe('plain $set / $setOnInsert / $unset updates', () => {
  it.each<[string, Document, Document, boolean]>([
    [
      '$set of a new and a changed field',
      { key: 'k1' },
      { $set: { status: 'Paid', paidAt: new Date(9) } },
      false,
    ],
    ['$set changing nothing (not modified)', { key: 'k1' }, { $set: { status: 'New', n: 1 } }, false],
    ['$set of a number of another type', { key: 'k2' }, { $set: { n: 1.5, m: 2 } }, false],
    ['$unset of a present and a missing field', { key: 'k1' }, { $unset: { n: '', gone: '' } }, false],
    ['$setOnInsert ignored on a match', { key: 'k1' }, { $set: { s: 1 }, $setOnInsert: { n: 7 } }, true],
    ['upsert seeding from the filter', { key: 'k9' }, { $set: { s: 1 }, $setOnInsert: { n: 7 } }, true],
    ['upsert by _id', { _id: 'o-1' }, { $set: { key: 'k8' }, $setOnInsert: { n: 0 } }, true],
    ['$set of the same _id', { key: 'k1' }, { $set: { _id: 1, s: 2 } }, false],
  ])('%s', async (name, q, u, upsert) => {
    const [fast, slow] = await twins(name.replace(/\W+/g, '-'));
    const a = await fast.updateOne(q, u, { upsert });
    const b = await slow.updateOne(q, u, { upsert, arrayFilters: [] });
    expect(comparable(a)).toEqual(comparable(b));
    expect(await contents(fast)).toEqual(await contents(slow));
  });

  it('reports the same duplicate key and _id errors, and bulk upserts alike', async () => {
    const [fast, slow] = await twins('errors');
    for (const [q, u] of [
      [{ key: 'k1' }, { $set: { key: 'k2' } }],
      [{ key: 'k5' }, { $set: { key: 'k2' } }],
      [{ key: 'k1' }, { $set: { _id: 3 } }],
      [{ key: 'k1' }, { $set: { a: 1 }, $unset: { a: '' } }],
    ] as Array<[Document, Document]>) {
      const [a, b] = await Promise.all([
        serverError(fast.updateOne(q, u, { upsert: true })),
        serverError(slow.updateOne(q, u, { upsert: true, arrayFilters: [] })),
      ]);
      expect({ code: a.code, message: a.message.replace('-fast', '') }).toEqual({
        code: b.code,
        message: b.message.replace('-general', ''),
      });
    }
    const ops = (arrayFilters?: Document[]) =>
      ['k1', 'k3', 'k2', 'k4'].map((key, i) => ({
        updateOne: {
          filter: { key },
          update: { $set: { i }, $setOnInsert: { n: 0 } },
          upsert: true,
          arrayFilters,
        },
      }));
    const a = await fast.bulkWrite(ops(), { ordered: false });
    const b = await slow.bulkWrite(ops([]), { ordered: false });
    expect([a.matchedCount, a.modifiedCount, a.upsertedCount, Object.keys(a.upsertedIds)]).toEqual([
      b.matchedCount,
      b.modifiedCount,
      b.upsertedCount,
      Object.keys(b.upsertedIds),
    ]);
    expect(await contents(fast)).toEqual(await contents(slow));
  });
});
