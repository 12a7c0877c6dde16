import { Decimal128, Long, type Document } from 'bson';
import { MongoBulkWriteError, MongoServerError, type Collection, type Db } from 'mongodb';
import { openTestDb } from './test-db';

// Filters of `$eq`/`$ne`/`$in`/ranges on scalars are matched by compiled matchers and planned once per shape;
// the same filter wrapped in `$and` takes the general planner and mingo's matcher. Each spec states MongoDB's
// answer and expects both paths to give it, with the same explain.

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('compiled'));
});

afterAll(() => close());

/** Documents keyed by strings, as the read models and the key store are. */
type Keyed = Document & { _id: string };

const general = (filter: Document): Document => ({ $and: [filter] });

async function explained(c: Collection, filter: Document): Promise<Document> {
  const e = await c.find(filter).explain('executionStats');
  return { plan: e.queryPlanner.winningPlan as unknown, stats: e.executionStats as unknown };
}

async function idsOf(c: Collection, filter: Document): Promise<unknown[]> {
  const fast = await c.find(filter).toArray();
  expect(fast).toEqual(await c.find(general(filter)).toArray());
  const { plan: fastPlan, stats } = await explained(c, filter);
  const { plan: generalPlan, stats: generalStats } = await explained(c, general(filter));
  expect((fastPlan as Document).inputStage).toEqual((generalPlan as Document).inputStage);
  expect(stats).toEqual(generalStats);
  return fast.map((d) => d._id as unknown).sort((a, b) => Number(a) - Number(b));
}

const VALUES: Document[] = [
  { _id: 1, v: null },
  { _id: 2 },
  { _id: 3, v: 5 },
  { _id: 4, v: 5.5 },
  { _id: 5, v: Long.fromNumber(7) },
  { _id: 6, v: Decimal128.fromString('5.0') },
  { _id: 7, v: '5' },
  { _id: 8, v: [1, 10] },
  { _id: 9, v: [null, 'x'] },
  { _id: 10, v: [] },
  { _id: 11, v: new Date(5) },
  { _id: 12, v: true },
  { _id: 13, v: { w: 5 } },
  { _id: 14, v: [[5]] },
];

const CASES: Array<[string, Document, number[]]> = [
  ['null matches null, missing and arrays holding null', { v: null }, [1, 2, 9]],
  ['$eq null is the same', { v: { $eq: null } }, [1, 2, 9]],
  ['$ne null: present and not null', { v: { $ne: null } }, [3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14]],
  ['$in with null matches missing', { v: { $in: [null, 5] } }, [1, 2, 3, 6, 9]],
  ['numbers equal across BSON number types', { v: 5 }, [3, 6]],
  ['an array matches by element', { v: { $eq: 10 } }, [8]],
  ['$ne 5: missing and other types included', { v: { $ne: 5 } }, [1, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14]],
  ['$lt compares numbers only', { v: { $lt: 6 } }, [3, 4, 6, 8]],
  ['each bound may hold for another element', { v: { $gt: 6, $lt: 9 } }, [5, 8]],
  ['string range stays with strings', { v: { $gte: '5' } }, [7, 9]],
  ['date range stays with dates', { v: { $lte: new Date(5) } }, [11]],
  ['boolean range', { v: { $gt: false } }, [12]],
  ['dotted path', { 'v.w': 5 }, [13]],
  ['empty $in matches nothing', { v: { $in: [] } }, []],
  [
    'long $in list across types',
    { v: { $in: ['5', 7, new Date(5), true, 1, 2, 3, 4, 5, 6] } },
    [3, 5, 6, 7, 8, 11, 12],
  ],
  ['_id equality with a residual range', { _id: 8, v: { $gte: 10 } }, [8]],
  ['_id equality whose residual fails', { _id: 3, v: { $lt: 5 } }, []],
  ['_id $in', { _id: { $in: [14, 3, 99, 3] } }, [3, 14]],
];

describe.each([
  ['without an index', false],
  ['with an index on the field', true],
])('compiled matchers %s', (_what, indexed) => {
  let c: Collection;

  beforeAll(async () => {
    c = db.collection(`values-${String(indexed)}`);
    await c.insertMany(VALUES.map((d) => ({ ...d })));
    if (indexed) await c.createIndex({ v: 1 });
  });

  it.each(CASES)('%s', async (_name, filter, ids) => {
    expect(await idsOf(c, filter)).toEqual(ids);
  });
});

it('answers random filters of the compiled shapes as the general path does', async () => {
  const c = db.collection('random');
  await c.insertMany(VALUES.map((d) => ({ ...d, n: Number(d._id) % 4 })));
  await c.createIndex({ n: 1, v: 1 });
  const operands = [null, 5, 7, 10, '5', 'x', true, new Date(5), Decimal128.fromString('5.5')];
  const ops = ['$eq', '$ne', '$lt', '$lte', '$gt', '$gte', '$in'];
  let seed = 7;
  const next = (k: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  for (let i = 0; i < 60; i += 1) {
    const op = ops[next(ops.length)] as string;
    const operand = operands[next(operands.length)];
    const isRange = op.startsWith('$l') || op.startsWith('$g');
    if (isRange && operand === null) continue;
    const condition = op === '$in' ? { $in: [operand, operands[next(operands.length)]] } : { [op]: operand };
    const filter = next(2) === 0 ? { v: condition } : { n: next(4), v: condition };
    expect(await c.find(filter).toArray()).toEqual(await c.find(general(filter)).toArray());
  }
});

describe('guarded replacements, as read-model writers send them', () => {
  let c: Collection<Keyed>;
  const doc = (id: string, position: number, extra: Document = {}): Keyed => ({
    _id: id,
    status: 'Paid',
    lines: [{ sku: 'A', quantity: 1 }],
    ...extra,
    _position: position,
  });
  const guarded = (replacement: Keyed) => ({
    replaceOne: {
      filter: { _id: replacement._id, _position: { $lt: replacement._position as number } },
      replacement,
      upsert: true,
    },
  });

  beforeAll(async () => {
    c = db.collection<Keyed>('orders');
    await c.insertMany([doc('o-1', 10), doc('o-2', 50)]);
  });

  it('replaces an older version, upserts an absent one and refuses to go back as a duplicate key', async () => {
    const error = await c
      .bulkWrite([guarded(doc('o-1', 20)), guarded(doc('o-3', 5)), guarded(doc('o-2', 40))], {
        ordered: false,
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    const bulk = error as MongoBulkWriteError;
    expect(bulk.writeErrors).toHaveLength(1);
    const [writeError] = bulk.writeErrors as unknown as { index: number; code: number; errmsg: string }[];
    expect(writeError).toMatchObject({
      index: 2,
      code: 11000,
      errmsg: 'E11000 duplicate key error collection: compiled.orders index: _id_ dup key: { _id: "o-2" }',
    });
    expect(bulk.result).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 1 });
    expect(bulk.result.upsertedIds).toEqual({ 1: 'o-3' });
    expect(await c.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      doc('o-1', 20),
      doc('o-2', 50),
      doc('o-3', 5),
    ]);
  });

  it('reports an identical replacement as matched but not modified', async () => {
    const result = await c.replaceOne({ _id: 'o-1', _position: { $lte: 20 } }, doc('o-1', 20), {
      upsert: true,
    });
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 0, upsertedCount: 0 });
  });

  it('compares the guard within its type bracket: a string position never passes a number bound', async () => {
    await c.insertOne({ ...doc('o-4', 0), _position: '3' });
    const error = await c
      .replaceOne({ _id: 'o-4', _position: { $lt: 10 } }, doc('o-4', 10), { upsert: true })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 11000, keyValue: { _id: 'o-4' }, keyPattern: { _id: 1 } });
    expect(await c.findOne({ _id: 'o-4' })).toMatchObject({ _position: '3' });
  });

  it('stores the replacement as sent, and later replacements leave earlier answers intact', async () => {
    const first = doc('o-5', 1, { tags: ['a', 'b'], customer: { id: 'c-1' } });
    await c.bulkWrite([guarded(first)]);
    const read = await c.findOne({ _id: 'o-5' });
    await c.bulkWrite([guarded(doc('o-5', 2, { tags: ['c'], customer: { id: 'c-2' } }))]);
    expect(read).toEqual(first);
    expect(await c.findOne({ _id: 'o-5' })).toMatchObject({ tags: ['c'], customer: { id: 'c-2' } });
  });
});

describe('key store and checkpoint shapes', () => {
  it('creates a key only while none is wrapped (null matches a missing field too)', async () => {
    const keys = db.collection<Keyed>('keys');
    const key = (id: string, kid: string): Keyed => ({ _id: id, kid, wrapped: `w-${kid}` });
    await keys.insertMany([
      { _id: 'c-forgotten', kid: 'k0', wrapped: null },
      { _id: 'c-bare', kid: 'k0' },
    ]);
    for (const id of ['c-new', 'c-forgotten', 'c-bare']) {
      await keys.replaceOne({ _id: id, wrapped: null }, key(id, 'k1'), { upsert: true });
      expect(await keys.findOne({ _id: id })).toEqual(key(id, 'k1'));
    }
    const error = await keys
      .replaceOne({ _id: 'c-new', wrapped: null }, key('c-new', 'k2'), { upsert: true })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({
      code: 11000,
      errmsg: 'E11000 duplicate key error collection: compiled.keys index: _id_ dup key: { _id: "c-new" }',
    });
    expect(await keys.findOne({ _id: 'c-new' })).toEqual(key('c-new', 'k1'));
  });

  it('upserts a checkpoint from its _id, then updates it in place', async () => {
    const checkpoints = db.collection<Keyed>('checkpoints');
    const save = (commit: number) =>
      checkpoints.bulkWrite(
        [
          {
            updateOne: {
              filter: { _id: 'orders' },
              update: { $set: { commit, prepare: commit } },
              upsert: true,
            },
          },
        ],
        { ordered: false },
      );
    expect((await save(1)).upsertedIds).toEqual({ 0: 'orders' });
    expect(await save(2)).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await save(2)).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await checkpoints.findOne({ _id: 'orders' })).toEqual({ _id: 'orders', commit: 2, prepare: 2 });
  });

  it('seeds an upsert from the equality conditions only, and a replacement upsert from _id only', async () => {
    const seeded = db.collection<Keyed>('seeded');
    await seeded.updateOne(
      { _id: 's-1', a: 1, b: { $eq: 'x' }, c: { $lt: 5 }, d: null, e: { $ne: 2 } },
      { $set: { f: true } },
      { upsert: true },
    );
    expect(await seeded.findOne({ _id: 's-1' })).toEqual({ _id: 's-1', a: 1, b: 'x', d: null, f: true });
    await seeded.replaceOne({ _id: 's-2', a: 1, b: { $lt: 3 } }, { g: 2 }, { upsert: true });
    expect(await seeded.findOne({ _id: 's-2' })).toEqual({ _id: 's-2', g: 2 });
  });
});
