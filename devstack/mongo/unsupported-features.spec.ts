import type { Db, Document } from 'mongodb';
import { openTestDb, serverError } from './test-db';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('unsupported'));
  await db.collection('c').insertMany([
    { a: 1, s: 'x' },
    { a: 2, s: 'y' },
  ]);
  await db.collection('c').createIndex({ a: 1 });
});

afterAll(() => close());

async function failure(command: Document): Promise<{ code: number; codeName: string }> {
  const error = await serverError(db.command(command));
  return { code: error.code as number, codeName: error.codeName as string };
}

describe('features this server lacks answer an error instead of doing nothing', () => {
  it.each([
    ['a capped collection', { create: 'capped', capped: true, size: 4096 }],
    ['a time-series collection', { create: 'ts', timeseries: { timeField: 't' } }],
    ['a clustered collection', { create: 'cl', clusteredIndex: { key: { _id: 1 }, unique: true } }],
    [
      'a TTL index',
      { createIndexes: 'c', indexes: [{ key: { t: 1 }, name: 't_1', expireAfterSeconds: 60 }] },
    ],
    ['a text index', { createIndexes: 'c', indexes: [{ key: { s: 'text' }, name: 's_text' }] }],
    [
      'a 2dsphere index',
      { createIndexes: 'c', indexes: [{ key: { loc: '2dsphere' }, name: 'loc_2dsphere' }] },
    ],
    [
      'a TTL change through collMod',
      { collMod: 'c', index: { keyPattern: { a: 1 }, expireAfterSeconds: 5 } },
    ],
    [
      'grouping under a non-simple collation',
      {
        aggregate: 'c',
        pipeline: [{ $group: { _id: '$s' } }],
        cursor: {},
        collation: { locale: 'en', strength: 2 },
      },
    ],
  ])('%s: NotImplemented', async (_label, command) => {
    expect(await failure(command)).toEqual({ code: 238, codeName: 'NotImplemented' });
    expect((await db.listCollections({ name: { $in: ['capped', 'ts', 'cl'] } }).toArray()).length).toBe(0);
  });

  it('answers what a standalone mongod answers for change streams', async () => {
    expect(await failure({ aggregate: 'c', pipeline: [{ $changeStream: {} }], cursor: {} })).toEqual({
      code: 40573,
      codeName: 'Location40573',
    });
  });

  it('answers $text without a text index as mongod does', async () => {
    expect(await failure({ find: 'c', filter: { $text: { $search: 'x' } } })).toEqual({
      code: 27,
      codeName: 'IndexNotFound',
    });
  });

  it('refuses a hint that names no index, and honours one that does', async () => {
    expect(await failure({ find: 'c', filter: {}, hint: 'nope_1' })).toEqual({
      code: 2,
      codeName: 'BadValue',
    });
    expect(await failure({ find: 'c', filter: {}, hint: { zz: 1 } })).toEqual({
      code: 2,
      codeName: 'BadValue',
    });
    expect(await failure({ count: 'c', query: {}, hint: 'nope_1' })).toEqual({
      code: 2,
      codeName: 'BadValue',
    });
    expect(await failure({ aggregate: 'c', pipeline: [], cursor: {}, hint: { zz: 1 } })).toEqual({
      code: 2,
      codeName: 'BadValue',
    });
    const hinted = await db
      .collection('c')
      .find({ a: 2 }, { hint: { a: 1 } })
      .toArray();
    expect(hinted.map((d) => d.a as number)).toEqual([2]);
    expect(
      await db
        .collection('c')
        .find({}, { hint: { $natural: 1 } })
        .toArray(),
    ).toHaveLength(2);
  });

  it('refuses a tailable cursor, which needs a capped collection', async () => {
    expect(await failure({ find: 'c', filter: {}, tailable: true })).toEqual({
      code: 2,
      codeName: 'BadValue',
    });
  });
});
