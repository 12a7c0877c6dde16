import { Decimal128, Long, ObjectId, type Document } from 'bson';
import type { Collection, Db } from 'mongodb';
import { openTestDb, serverError } from './test-db';

// Equality-only filters take the point-lookup path; the same filter wrapped in `$and` takes the general planner
// and mingo's matcher. Each spec runs both and expects the same answer.

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('fast'));
});

afterAll(() => close());

interface Explained {
  queryPlanner: { winningPlan: Document };
  executionStats: { nReturned: number; totalDocsExamined: number; totalKeysExamined: number };
}

const general = (filter: Document): Document => ({ $and: [filter] });

async function explained(c: Collection, filter: Document): Promise<Document> {
  const e = (await c.find(filter).explain('executionStats')) as unknown as Explained;
  const plan = e.queryPlanner.winningPlan;
  return {
    stage: plan.stage as unknown,
    input: plan.inputStage as unknown,
    stats: e.executionStats,
  };
}

async function expectSameFind(c: Collection, filter: Document): Promise<Document[]> {
  const fast = await c.find(filter).toArray();
  expect(fast).toEqual(await c.find(general(filter)).toArray());
  expect(await c.findOne(filter)).toEqual(await c.findOne(general(filter)));
  expect(await c.countDocuments(filter)).toBe(fast.length);
  expect(await explained(c, filter)).toEqual(await explained(c, general(filter)));
  return fast;
}

const DOCS: Document[] = [
  { _id: 1, key: 'a', tag: 'x', n: 1, pair: { a: 1, b: 'p' }, at: new Date(5) },
  { _id: 2, key: 'b', tag: ['x', 'y'], n: 1.0, pair: { a: 1, b: 'q' } },
  { _id: 3, key: 'c', tag: ['y', 'y'], n: Long.fromNumber(1), nested: { k: 'a' } },
  { _id: 4, key: 'd', tag: null, n: Decimal128.fromString('1.00'), nested: [{ k: 'a' }, { k: 'b' }] },
  { _id: 5, key: 'e', n: 2, pair: { a: 2 } },
  { _id: 6, key: 'f', tag: 'X', n: '1', flag: true },
  { _id: 7, key: 'g', tag: 'x\u0000y', n: -0, flag: false },
  { _id: new ObjectId('000000000000000000000007'), key: 'h', tag: 'z', n: 0 },
];

describe('equality lookups on indexes (point-lookup path)', () => {
  let c: Collection;

  beforeAll(async () => {
    c = db.collection('lookups');
    await c.insertMany(DOCS);
    await c.createIndex({ key: 1 }, { unique: true });
    await c.createIndex({ tag: 1 });
    await c.createIndex({ n: 1 });
    await c.createIndex({ 'pair.a': 1, 'pair.b': 1 });
    await c.createIndex({ 'nested.k': 1 });
    await c.createIndex({ flag: 1 }, { sparse: true });
  });

  it.each<[string, Document]>([
    ['unique string', { key: 'c' }],
    ['$eq form', { key: { $eq: 'c' } }],
    ['missing value', { key: 'zz' }],
    ['_id number', { _id: 2 }],
    ['_id ObjectId', { _id: new ObjectId('000000000000000000000007') }],
    ['multikey element', { tag: 'y' }],
    ['multikey element, case differs', { tag: 'x' }],
    ['string with NUL', { tag: 'x\u0000y' }],
    ['number across BSON number types', { n: 1 }],
    ['decimal equal to numbers', { n: Decimal128.fromString('1') }],
    ['negative zero', { n: 0 }],
    ['string is not a number', { n: '1' }],
    ['compound prefix', { 'pair.a': 1 }],
    ['compound full key', { 'pair.a': 1, 'pair.b': 'q' }],
    ['compound fields in other order', { 'pair.b': 'p', 'pair.a': 1 }],
    ['dotted path through an array', { 'nested.k': 'b' }],
    ['sparse boolean', { flag: false }],
    ['two indexes, unique wins', { tag: 'x', key: 'a' }],
    ['two conditions, no match', { key: 'a', n: 2 }],
    ['date', { at: new Date(5) }],
  ])('%s', async (_what, filter) => {
    await expectSameFind(c, filter);
  });

  it('leaves null, arrays, objects and regexes to the general path with the same answers', async () => {
    for (const filter of [{ tag: null }, { tag: ['x', 'y'] }, { pair: { a: 2 } }, { key: /a/ }]) {
      expect(await c.find(filter).toArray()).toEqual(await c.find(general(filter)).toArray());
    }
    expect((await c.find({ tag: null }).toArray()).map((d) => d._id as unknown)).toEqual([4, 5]);
  });

  it('honours a collation: string equality then follows the locale', async () => {
    const collation = { locale: 'en', strength: 2 };
    const found = await c.find({ tag: 'x' }, { collation }).toArray();
    expect(found.map((d) => d._id as unknown)).toEqual([1, 2, 6]);
    expect(found).toEqual(await c.find(general({ tag: 'x' }), { collation }).toArray());
  });

  it('replans when indexes are hidden, dropped or created', async () => {
    const plans = db.collection('replans');
    await plans.insertMany([
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
      { k: 'a', v: 3 },
    ]);
    await plans.createIndex({ k: 1 });
    expect((await explained(plans, { k: 'a' })).input).toMatchObject({ indexName: 'k_1' });
    await db.command({ collMod: 'replans', index: { name: 'k_1', hidden: true } });
    expect(await explained(plans, { k: 'a' })).toMatchObject({ stage: 'COLLSCAN' });
    await db.command({ collMod: 'replans', index: { name: 'k_1', hidden: false } });
    await plans.createIndex({ k: 1, v: 1 }, { unique: true });
    expect((await explained(plans, { k: 'a', v: 3 })).input).toMatchObject({ indexName: 'k_1_v_1' });
    await plans.dropIndex('k_1_v_1');
    await plans.dropIndex('k_1');
    expect(await explained(plans, { k: 'a', v: 3 })).toMatchObject({ stage: 'COLLSCAN' });
    expect(await expectSameFind(plans, { k: 'a' })).toHaveLength(2);
  });
});

/** Two collections with the same documents and indexes: `q` is updated in one, `$and: [q]` in the other. */
async function twins(name: string, docs: Document[]): Promise<[Collection, Collection]> {
  const pair: [Collection, Collection] = [db.collection(`${name}-fast`), db.collection(`${name}-general`)];
  for (const c of pair) {
    await c.createIndex({ key: 1 }, { unique: true });
    await c.createIndex({ 'a.b': 1 });
    await c.createIndex({ tags: 1 });
    if (docs.length > 0) await c.insertMany(docs.map((d) => ({ ...d })));
  }
  return pair;
}

async function contents(c: Collection): Promise<Document[]> {
  return (await c.find({}).sort({ key: 1 }).toArray()).map(({ _id, ...rest }) =>
    _id instanceof ObjectId ? rest : { _id, ...rest },
  );
}

describe('updates and upserts found by point lookup', () => {
  const seed = [
    { _id: 1, key: 'k1', a: { b: 1 }, tags: ['t1', 't2'], n: 1 },
    { _id: 2, key: 'k2', a: { b: 2 }, tags: 't2', n: 2 },
  ];

  it.each<[string, Document, Document | Document[], { upsert?: boolean }]>([
    ['$set on a plain field', { key: 'k1' }, { $set: { status: 'Paid' } }, {}],
    ['$set of an indexed dotted path', { key: 'k1' }, { $set: { 'a.b': 9 } }, {}],
    ['$set of a multikey field', { _id: 2 }, { $set: { tags: ['t3', 't1'] } }, {}],
    ['$inc on a field found by a dotted lookup', { 'a.b': 2 }, { $inc: { n: 5 } }, {}],
    ['$unset of an indexed field', { tags: 't1' }, { $unset: { tags: '' } }, {}],
    ['$push (general updater)', { key: 'k2' }, { $push: { list: 1 } }, {}],
    ['a change of nothing', { key: 'k1' }, { $set: { n: 1 } }, {}],
    ['replacement changing an indexed field', { key: 'k2' }, { key: 'k9', a: { b: 7 } }, {}],
    ['pipeline update', { key: 'k1' }, [{ $set: { n: { $add: ['$n', 1] } } }], {}],
    ['upsert seeding from the filter', { key: 'new', 'a.b': 3 }, { $set: { s: 1 } }, { upsert: true }],
    [
      'upsert with $setOnInsert',
      { key: 'new' },
      { $set: { s: 1 }, $setOnInsert: { n: 0 } },
      { upsert: true },
    ],
    ['upsert with an _id in the filter', { _id: 9, key: 'k9' }, { $set: { s: 1 } }, { upsert: true }],
    ['upsert replacement', { key: 'new' }, { key: 'new', n: 4 }, { upsert: true }],
    ['upsert matching an existing document', { key: 'k1' }, { $set: { s: 2 } }, { upsert: true }],
  ])('%s', async (name, q, u, options) => {
    const [fast, slow] = await twins(name.replace(/\W+/g, '-'), seed);
    const results = await Promise.all([
      Array.isArray(u) || Object.keys(u)[0]?.startsWith('$')
        ? fast.updateOne(q, u, options)
        : fast.replaceOne(q, u, options),
      Array.isArray(u) || Object.keys(u)[0]?.startsWith('$')
        ? slow.updateOne(general(q), u, options)
        : slow.replaceOne(general(q), u, options),
    ]);
    const [a, b] = results.map(({ upsertedId, ...rest }) => ({
      ...rest,
      upsertedId: upsertedId instanceof ObjectId ? 'generated' : upsertedId,
    }));
    expect(a).toEqual(b);
    expect(await contents(fast)).toEqual(await contents(slow));
    // The indexes were maintained alike: each stored document is found through every index it is in.
    for (const doc of await fast.find({}).toArray()) {
      for (const filter of [{ key: doc.key as unknown }, { _id: doc._id as unknown }] as Document[]) {
        expect(await fast.find(filter).toArray()).toEqual([doc]);
      }
    }
    for (const filter of [{ 'a.b': 9 }, { 'a.b': 1 }, { tags: 't1' }, { tags: 't3' }, { key: 'k2' }]) {
      expect((await fast.find(filter).toArray()).map(({ _id }) => _id as unknown)).toEqual(
        (await slow.find(general(filter)).toArray()).map(({ _id }) => _id as unknown),
      );
    }
  });

  it('reports the same E11000 for a duplicate made by an update or an upsert', async () => {
    const [fast, slow] = await twins('dups', seed);
    const cases: Array<[Document, Document, { upsert?: boolean }]> = [
      [{ key: 'k1' }, { $set: { key: 'k2' } }, {}],
      [{ key: 'k3' }, { $set: { key: 'k2' } }, { upsert: true }],
      [{ key: 'k2' }, { $setOnInsert: { n: 1 } }, { upsert: false }],
    ];
    for (const [q, u, options] of cases) {
      const outcomes = await Promise.all([
        fast.updateOne(q, u, options).catch((e: unknown) => e),
        slow.updateOne(general(q), u, options).catch((e: unknown) => e),
      ]);
      const [a, b] = outcomes.map((o) =>
        o instanceof Error
          ? { code: (o as { code?: unknown }).code, message: o.message.replace(/-(fast|general)/, '') }
          : o,
      );
      expect(a).toEqual(b);
    }
    const duplicate = await serverError(fast.updateOne({ key: 'k1' }, { $set: { key: 'k2' } }));
    expect(duplicate).toMatchObject({ code: 11000, keyPattern: { key: 1 }, keyValue: { key: 'k2' } });
    expect(await contents(fast)).toEqual(await contents(slow));
  });

  it('updates many documents found through a multikey index, each once', async () => {
    const [fast, slow] = await twins('many', [
      { _id: 1, key: 'm1', tags: ['t', 't', 'u'] },
      { _id: 2, key: 'm2', tags: ['u', 't'] },
      { _id: 3, key: 'm3', tags: 'v' },
    ]);
    const a = await fast.updateMany({ tags: 't' }, { $inc: { seen: 1 } });
    const b = await slow.updateMany(general({ tags: 't' }), { $inc: { seen: 1 } });
    expect(a).toEqual(b);
    expect(a.modifiedCount).toBe(2);
    expect(await contents(fast)).toEqual(await contents(slow));
    expect(await fast.deleteMany({ tags: 'u' })).toEqual(await slow.deleteMany(general({ tags: 'u' })));
    expect(await contents(fast)).toEqual(await contents(slow));
  });
});

describe('operator updates on plain fields (fast updater)', () => {
  it('applies $set, $inc, $unset, $min, $max and $mul as the general updater does', async () => {
    const [fast, slow] = await twins('plain-ops', [
      { _id: 1, key: 'p1', n: 1, d: Decimal128.fromString('1.5'), s: 'x', o: { i: 1 } },
    ]);
    const updates: Document[] = [
      { $set: { s: 'y', fresh: null, 'o.j': 2 }, $inc: { n: 2 } },
      { $inc: { d: 1, missing: 1 }, $mul: { n: 3 } },
      { $min: { n: 0 }, $max: { s: 'z' }, $unset: { fresh: '' } },
      { $set: { n: 0 } },
    ];
    for (const u of updates) {
      const a = await fast.updateOne({ key: 'p1' }, u);
      // Array filters (even none) send an update through mingo's updater.
      const b = await slow.updateOne({ key: 'p1' }, u, { arrayFilters: [] });
      expect(a).toEqual(b);
      expect(await contents(fast)).toEqual(await contents(slow));
    }
  });

  it('refuses conflicting paths with the same error on plain and dotted paths', async () => {
    const c = db.collection<{ _id: number; a: unknown }>('conflicts');
    await c.insertOne({ _id: 1, a: { b: 1 } });
    for (const [u, path] of [
      [{ $set: { a: 1 }, $unset: { a: '' } }, "'a' would create a conflict at 'a'"],
      [{ $set: { a: 1 }, $inc: { 'a.b': 1 } }, "'a.b' would create a conflict at 'a'"],
      [{ $set: { '': 1 } }, 'An empty update path is not valid'],
    ] as Array<[Document, string]>) {
      const error = await serverError(c.updateOne({ _id: 1 }, u));
      expect(error.message).toContain(path);
    }
  });
});
