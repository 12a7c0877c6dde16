import { MongoBulkWriteError, MongoClient, type Db } from 'mongodb';
import { startMongo } from '../../devstack/mongo';
import { createLogger } from '../../lib/logger';
import { ordersProjection } from '../orders/orders-projection';
import { projectBatch, type ProjectedEvent, type ReadModelDocument } from '../projection';
import { history, orderPlaced, paymentRecorded, paymentRefunded } from '../testing/shop-events';
import { readModelWriter, type HoldLimits } from './read-model-writer';

const silent = createLogger('test', { level: 'silent' });

/** What the orders model holds after these events, projected in memory from nothing. */
function expected(events: readonly ProjectedEvent[]): ReadModelDocument[] {
  const { changed } = projectBatch<ReadModelDocument>(ordersProjection, new Map(), events);
  return [...changed.values()].sort((a, b) => a._id.localeCompare(b._id));
}

const events = history(
  orderPlaced({ orderId: 'o-1' }),
  orderPlaced({ orderId: 'o-2' }),
  paymentRecorded({ orderId: 'o-1', amount: 1000 }),
  paymentRecorded({ orderId: 'o-2', amount: 500 }),
  paymentRefunded({ orderId: 'o-1' }),
);

/** A fresh embedded MongoDB per test, with a driver that reports every command it sends and every answer. */
function freshMongo(
  onCommand: (command: Record<string, unknown>) => void,
  onAnswer: (commandName: string) => void = () => undefined,
) {
  const fixture = {} as { mongo: Awaited<ReturnType<typeof startMongo>>; client: MongoClient; db: Db };
  beforeEach(async () => {
    fixture.mongo = await startMongo({ port: 0, logger: silent });
    fixture.client = new MongoClient(`${fixture.mongo.url}/shop`, { monitorCommands: true });
    fixture.client.on('commandStarted', (event) => onCommand(event.command));
    fixture.client.on('commandSucceeded', (event) => onAnswer(event.commandName));
    fixture.client.on('commandFailed', (event) => onAnswer(event.commandName));
    fixture.db = fixture.client.db();
  });
  afterEach(async () => {
    await fixture.client.close();
    await fixture.mongo.close();
  });
  const stored = (collection: string) =>
    fixture.db.collection<ReadModelDocument>(collection).find({}).sort({ _id: 1 }).toArray();
  return { fixture, stored };
}

describe('a live read-model writer', () => {
  /** The `find` commands the driver sent to the orders collection. */
  let reads = 0;
  const { fixture, stored: storedIn } = freshMongo((command) => {
    if (command.find === 'orders') reads++;
  });
  beforeEach(() => (reads = 0));
  const writer = () =>
    readModelWriter({ db: fixture.db, projection: ordersProjection, collection: 'orders' });
  const stored = () => storedIn('orders');

  it('writes new documents and its own later versions of them without reading them back', async () => {
    const write = writer();
    for (const event of events) await write.write([event]);
    expect(reads).toBe(0);
    expect(await stored()).toEqual(expected(events));
  });

  it('reads a document it does not know before applying an event that needs it', async () => {
    await writer().write(events.slice(0, 2));
    const other = writer();
    await other.write(events.slice(2));
    expect(reads).toBeGreaterThan(0);
    expect(await stored()).toEqual(expected(events));
  });

  it('builds on the stored version when another writer moved a document it remembers', async () => {
    const mine = writer();
    await mine.write(events.slice(0, 3));
    // A second live writer (an old instance still running) applies the next events first.
    const theirs = writer();
    await theirs.write(events.slice(3, 5));
    reads = 0;
    await mine.write(events.slice(3));
    expect(reads).toBeGreaterThan(0);
    expect(await stored()).toEqual(expected(events));
  });

  it('reads again after forgetting what it remembers: a dropped collection is filled from the history', async () => {
    const write = writer();
    await write.write(events);
    await fixture.db.collection('orders').drop();
    write.forgetRemembered();
    await write.write(events);
    expect(await stored()).toEqual(expected(events));
  });
});

describe('a rebuild’s read-model writer', () => {
  /** Documents the driver sent to the scratch collection, by kind of write. */
  let writes = { inserts: 0, replaces: 0 };
  /** Insert commands the server has answered. */
  let insertsAnswered = 0;
  const { fixture, stored: storedIn } = freshMongo(
    (command) => {
      if (command.insert === 'scratch') writes.inserts += (command.documents as unknown[]).length;
      if (command.update === 'scratch') writes.replaces += (command.updates as unknown[]).length;
    },
    (commandName) => {
      if (commandName === 'insert') insertsAnswered++;
    },
  );
  beforeEach(() => {
    writes = { inserts: 0, replaces: 0 };
    insertsAnswered = 0;
  });
  const writer = (hold?: HoldLimits) =>
    readModelWriter({
      db: fixture.db,
      projection: ordersProjection,
      collection: 'scratch',
      fresh: true,
      hold,
    });
  const stored = () => storedIn('scratch');

  it('writes each document once, at flush, however many batches changed it', async () => {
    const write = writer();
    for (const event of events) await write.write([event]);
    expect(writes).toEqual({ inserts: 0, replaces: 0 });
    await write.flush();
    expect(writes).toEqual({ inserts: 2, replaces: 0 });
    expect(await stored()).toEqual(expected(events));
  });

  it('finishes a write-out of which a failed attempt had already stored a part', async () => {
    const write = writer();
    await write.write(events);
    // What a write-out that failed midway left behind: an older version of one document.
    const [first] = expected(events.slice(0, 1));
    await fixture.db.collection<ReadModelDocument>('scratch').insertOne(first!);
    await write.flush();
    expect(await stored()).toEqual(expected(events));
  });

  it('projects the next batches while a write-out is in flight, and stores every document as last changed', async () => {
    const write = writer({ documents: 2, writeOut: 2 });
    const orders = history(
      orderPlaced({ orderId: 'o-1' }),
      orderPlaced({ orderId: 'o-2' }),
      orderPlaced({ orderId: 'o-3' }),
      paymentRecorded({ orderId: 'o-1', amount: 1000 }),
      orderPlaced({ orderId: 'o-4' }),
      paymentRecorded({ orderId: 'o-2', amount: 500 }),
      orderPlaced({ orderId: 'o-5' }),
      orderPlaced({ orderId: 'o-6' }),
    );
    const [first, second, third, ...rest] = orders;
    await write.write([first!, second!]);
    // Three held, two allowed: o-1 and o-2 go out, and the batch is handed back before the server answers.
    await write.write([third!]);
    expect(insertsAnswered).toBe(0);
    // o-1 and o-2 change again while (or after) they are written: the later versions must be what is stored.
    for (const event of rest) await write.write([event]);
    await write.flush();
    expect(await stored()).toEqual(expected(orders));
    expect(writes.inserts).toBe(6);
  });

  it('fails a later batch when a write-out failed, and writes what that write-out held again', async () => {
    await fixture.db.createCollection('scratch', { validator: { total: { $lt: 10_000 } } });
    const write = writer({ documents: 1, writeOut: 1 });
    const big = history(
      orderPlaced({ orderId: 'o-1', lines: [{ sku: 'SKU-1', quantity: 10, unitPrice: 5000 }] }),
    );
    await write.write(big);
    await write.write(history(orderPlaced({ orderId: 'o-2' })));
    const failed = await write
      .write(history(orderPlaced({ orderId: 'o-3' })))
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(MongoBulkWriteError);
    expect((failed as MongoBulkWriteError).writeErrors).toMatchObject([{ code: 121 }]);
    await fixture.db.command({ collMod: 'scratch', validator: {} });
    await write.flush();
    expect((await stored()).map((doc) => doc._id)).toEqual(['o-1', 'o-2']);
  });
});
