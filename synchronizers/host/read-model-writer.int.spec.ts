import { MongoClient, type Db } from 'mongodb';
import { startMongo } from '../../devstack/mongo';
import { createLogger } from '../../lib/logger';
import { ordersProjection } from '../orders/orders-projection';
import { projectBatch, type ProjectedEvent, type ReadModelDocument } from '../projection';
import { history, orderPlaced, paymentRecorded, paymentRefunded } from '../testing/shop-events';
import { readModelWriter } from './read-model-writer';

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

/** A fresh embedded MongoDB per test, with a driver that reports every command it sends. */
function freshMongo(onCommand: (command: Record<string, unknown>) => void) {
  const fixture = {} as { mongo: Awaited<ReturnType<typeof startMongo>>; client: MongoClient; db: Db };
  beforeEach(async () => {
    fixture.mongo = await startMongo({ port: 0, logger: silent });
    fixture.client = new MongoClient(`${fixture.mongo.url}/shop`, { monitorCommands: true });
    fixture.client.on('commandStarted', (event) => onCommand(event.command));
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
  const { fixture, stored: storedIn } = freshMongo((command) => {
    if (command.insert === 'scratch') writes.inserts += (command.documents as unknown[]).length;
    if (command.update === 'scratch') writes.replaces += (command.updates as unknown[]).length;
  });
  beforeEach(() => (writes = { inserts: 0, replaces: 0 }));
  const writer = () =>
    readModelWriter({ db: fixture.db, projection: ordersProjection, collection: 'scratch', fresh: true });
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
});
