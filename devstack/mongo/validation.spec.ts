import { MongoBulkWriteError, type Db, type MongoServerError } from 'mongodb';
import { acrossRestart, openTestDb, serverError } from './test-db';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDb('validation'));
});

afterAll(() => close());

function expectValidationFailure(error: MongoServerError, id?: unknown): void {
  expect(error).toMatchObject({ code: 121, codeName: 'DocumentValidationFailure' });
  if (id !== undefined) expect(error.errInfo).toMatchObject({ failingDocumentId: id });
}

describe('validators', () => {
  const stock = () => db.collection('stock');

  beforeAll(async () => {
    await db.createCollection('stock', { validator: { qty: { $gte: 0 }, sku: { $type: 'string' } } });
    await stock().insertOne({ _id: 1 as never, sku: 'a', qty: 5 });
  });

  it('refuses inserts, updates, replacements, upserts and findAndModify that break them', async () => {
    expectValidationFailure(await serverError(stock().insertOne({ _id: 2 as never, sku: 'b', qty: -1 })), 2);
    expectValidationFailure(
      await serverError(stock().updateOne({ _id: 1 as never }, { $inc: { qty: -10 } })),
      1,
    );
    expectValidationFailure(await serverError(stock().replaceOne({ _id: 1 as never }, { qty: 3 })));
    expectValidationFailure(
      await serverError(
        stock().updateOne({ _id: 9 as never }, { $set: { qty: -1, sku: 'z' } }, { upsert: true }),
      ),
    );
    expectValidationFailure(
      await serverError(stock().findOneAndUpdate({ _id: 1 as never }, { $set: { sku: 7 } })),
    );
    expect(await stock().find().toArray()).toEqual([{ _id: 1, sku: 'a', qty: 5 }]);
  });

  it('reports a failing document of a batch as a write error', async () => {
    const error = await stock()
      .insertMany(
        [
          { sku: 'ok', qty: 1 },
          { sku: 'bad', qty: -1 },
        ],
        { ordered: true },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    expect((error as MongoBulkWriteError).writeErrors).toMatchObject([{ index: 1, code: 121 }]);
    await stock().deleteMany({ sku: 'ok' });
  });

  it('lets bypassDocumentValidation through', async () => {
    await stock().insertOne({ _id: 3 as never, sku: 'c', qty: -3 }, { bypassDocumentValidation: true });
    await stock().updateOne({ _id: 3 as never }, { $set: { qty: -4 } }, { bypassDocumentValidation: true });
    expect((await stock().findOne({ _id: 3 as never }))?.qty).toBe(-4);
    await stock().deleteOne({ _id: 3 as never });
  });

  it('stores but does not refuse with validationAction warn', async () => {
    await db.createCollection('warned', { validator: { qty: { $gte: 0 } }, validationAction: 'warn' });
    await db.collection('warned').insertOne({ qty: -1 });
    expect(await db.collection('warned').countDocuments()).toBe(1);
  });
});

describe('collMod', () => {
  it('adds a validator to an existing collection; moderate leaves already-invalid documents updatable', async () => {
    const legacy = db.collection('legacy');
    await legacy.insertMany([
      { _id: 1 as never, qty: -5 },
      { _id: 2 as never, qty: 5 },
    ]);
    await db.command({ collMod: 'legacy', validator: { qty: { $gte: 0 } }, validationLevel: 'moderate' });
    await legacy.updateOne({ _id: 1 as never }, { $set: { qty: -6 } });
    expectValidationFailure(
      await serverError(legacy.updateOne({ _id: 2 as never }, { $set: { qty: -1 } })),
      2,
    );
    expectValidationFailure(await serverError(legacy.insertOne({ qty: -1 })));
    const [info] = await db.listCollections({ name: 'legacy' }).toArray();
    expect((info as { options?: unknown } | undefined)?.options).toMatchObject({
      validator: { qty: { $gte: 0 } },
      validationLevel: 'moderate',
    });
    await db.command({ collMod: 'legacy', validationLevel: 'off' });
    await legacy.insertOne({ qty: -1 });
  });

  it('hides and unhides an index from the planner', async () => {
    const c = db.collection('hid');
    await c.insertMany([{ k: 1 }, { k: 2 }]);
    await c.createIndex({ k: 1 });
    const plan = async () =>
      ((await c.find({ k: 1 }).explain()) as { queryPlanner: { winningPlan: { stage: string } } })
        .queryPlanner.winningPlan.stage;
    expect(await plan()).toBe('FETCH');
    const reply = await db.command({ collMod: 'hid', index: { keyPattern: { k: 1 }, hidden: true } });
    expect(reply).toMatchObject({ hidden_old: false, hidden_new: true, ok: 1 });
    expect(await plan()).toBe('COLLSCAN');
    expect((await c.indexes()).find((i) => i.name === 'k_1')).toMatchObject({ hidden: true });
    await db.command({ collMod: 'hid', index: { name: 'k_1', hidden: false } });
    expect(await plan()).toBe('FETCH');
  });

  it('refuses what mongod refuses', async () => {
    const cases: Array<[object, number, string]> = [
      [{ collMod: 'stock', colour: 'red' }, 40415, 'Location40415'],
      [{ collMod: 'missing', validator: {} }, 26, 'NamespaceNotFound'],
      [{ collMod: 'stock', validationLevel: 'sometimes' }, 2, 'BadValue'],
      [{ collMod: 'stock', validator: { $jsonSchema: { required: ['sku'] } } }, 238, 'NotImplemented'],
      [{ collMod: 'stock', index: { name: 'nope', hidden: true } }, 27, 'IndexNotFound'],
      [{ collMod: 'stock', viewOn: 'x', pipeline: [] }, 72, 'InvalidOptions'],
    ];
    for (const [command, code, codeName] of cases) {
      expect(await serverError(db.command(command))).toMatchObject({ code, codeName });
    }
  });
});

describe('collMod with persistence', () => {
  it('survives a restart', () =>
    acrossRestart(
      async (pdb) => {
        await pdb.collection('c').insertOne({ qty: 1 });
        await pdb.command({ collMod: 'c', validator: { qty: { $gte: 0 } } });
      },
      async (pdb) => {
        expectValidationFailure(await serverError(pdb.collection('c').insertOne({ qty: -1 })));
      },
    ));
});
