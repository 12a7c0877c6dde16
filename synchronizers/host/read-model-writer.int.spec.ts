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

describe('a live read-model writer', () => {
  let mongo: Awaited<ReturnType<typeof startMongo>>;
  let client: MongoClient;
  let db: Db;
  /** The `find` commands the driver sent to the orders collection. */
  let reads: number;

  beforeEach(async () => {
    mongo = await startMongo({ port: 0, logger: silent });
    client = new MongoClient(`${mongo.url}/shop`, { monitorCommands: true });
    reads = 0;
    client.on('commandStarted', (event) => {
      if ((event.command as { find?: unknown }).find === 'orders') reads++;
    });
    db = client.db();
  });

  afterEach(async () => {
    await client.close();
    await mongo.close();
  });

  const writer = () => readModelWriter({ db, projection: ordersProjection, collection: 'orders' });
  const stored = () => db.collection<ReadModelDocument>('orders').find({}).sort({ _id: 1 }).toArray();
  const events = history(
    orderPlaced({ orderId: 'o-1' }),
    orderPlaced({ orderId: 'o-2' }),
    paymentRecorded({ orderId: 'o-1', amount: 1000 }),
    paymentRecorded({ orderId: 'o-2', amount: 500 }),
    paymentRefunded({ orderId: 'o-1' }),
  );

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
    await db.collection('orders').drop();
    write.forgetRemembered();
    await write.write(events);
    expect(await stored()).toEqual(expected(events));
  });
});

describe('a rebuild’s read-model writer', () => {
  let mongo: Awaited<ReturnType<typeof startMongo>>;
  let client: MongoClient;
  let db: Db;
  /** Documents the driver sent to the scratch collection, by kind of write. */
  let writes: { inserts: number; replaces: number };

  beforeEach(async () => {
    mongo = await startMongo({ port: 0, logger: silent });
    client = new MongoClient(`${mongo.url}/shop`, { monitorCommands: true });
    writes = { inserts: 0, replaces: 0 };
    client.on('commandStarted', (event) => {
      const command = event.command as {
        insert?: unknown;
        update?: unknown;
        documents?: unknown[];
        updates?: unknown[];
      };
      if (command.insert === 'scratch') writes.inserts += command.documents?.length ?? 0;
      if (command.update === 'scratch') writes.replaces += command.updates?.length ?? 0;
    });
    db = client.db();
  });

  afterEach(async () => {
    await client.close();
    await mongo.close();
  });

  const writer = () =>
    readModelWriter({ db, projection: ordersProjection, collection: 'scratch', fresh: true });
  const stored = () => db.collection<ReadModelDocument>('scratch').find({}).sort({ _id: 1 }).toArray();
  const events = history(
    orderPlaced({ orderId: 'o-1' }),
    orderPlaced({ orderId: 'o-2' }),
    paymentRecorded({ orderId: 'o-1', amount: 1000 }),
    paymentRecorded({ orderId: 'o-2', amount: 500 }),
    paymentRefunded({ orderId: 'o-1' }),
  );

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
    await db.collection<ReadModelDocument>('scratch').insertOne(first!);
    await write.flush();
    expect(await stored()).toEqual(expected(events));
  });
});
