import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startMongo } from './index';

const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'devstack-mongo-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function withServer<T>(
  dbPath: string | undefined,
  use: (client: MongoClient) => Promise<T>,
): Promise<T> {
  const server = await startMongo({ port: 0, dbPath });
  const client = new MongoClient(server.url);
  try {
    return await use(client);
  } finally {
    await client.close();
    await server.close();
  }
}

describe('persistence with dbPath', () => {
  it('keeps documents, collections and indexes across a restart', async () => {
    const dbPath = tempDir();
    await withServer(dbPath, async (client) => {
      const orders = client.db('shop').collection('orders');
      await orders.createIndex({ orderId: 1 }, { unique: true });
      await orders.insertMany([
        { orderId: 'o1', total: 1 },
        { orderId: 'o2', total: 2 },
        { orderId: 'o3', total: 3 },
      ]);
      await orders.updateOne({ orderId: 'o2' }, { $set: { total: 20 } });
      await orders.deleteOne({ orderId: 'o3' });
      await client.db('shop').collection('scratch').insertOne({ x: 1 });
      await client.db('shop').collection('scratch').drop();
    });
    await withServer(dbPath, async (client) => {
      const orders = client.db('shop').collection('orders');
      expect(
        await orders
          .find({}, { projection: { _id: 0 } })
          .sort({ orderId: 1 })
          .toArray(),
      ).toEqual([
        { orderId: 'o1', total: 1 },
        { orderId: 'o2', total: 20 },
      ]);
      expect((await orders.indexes()).map((i) => i.name)).toEqual(['_id_', 'orderId_1']);
      await expect(orders.insertOne({ orderId: 'o1' })).rejects.toMatchObject({ code: 11000 });
      expect((await client.db('shop').listCollections().toArray()).map((c) => c.name)).toEqual(['orders']);
    });
  });

  it('replays the journal when the process died without writing a snapshot', async () => {
    const dbPath = tempDir();
    const server = await startMongo({ port: 0, dbPath });
    const client = new MongoClient(server.url);
    await client
      .db('shop')
      .collection('requests')
      .insertOne({ _id: 'r1' as never, status: 'accepted' });
    await client
      .db('shop')
      .collection('requests')
      .updateOne({ _id: 'r1' as never }, { $set: { status: 'processed' } });
    const journal = readdirSync(dbPath).find((f) => f.startsWith('journal-'));
    expect(journal).toBeDefined();
    expect(statSync(join(dbPath, journal!)).size).toBeGreaterThan(0);
    // Simulate a crash: copy the files while the server runs (no snapshot on close), plus a torn write.
    const copy = tempDir();
    for (const file of readdirSync(dbPath)) copyFileSync(join(dbPath, file), join(copy, file));
    appendFileSync(join(copy, journal!), Buffer.from([0x40, 0, 0, 0, 1, 2]));
    await client.close();
    await server.close();
    await withServer(copy, async (recovered) => {
      expect(
        await recovered
          .db('shop')
          .collection('requests')
          .findOne({ _id: 'r1' as never }),
      ).toEqual({
        _id: 'r1',
        status: 'processed',
      });
    });
  });

  it('writes snapshots in the background: commands are answered meanwhile, and a crash then loses nothing', async () => {
    const dbPath = tempDir();
    const server = await startMongo({ port: 0, dbPath, journalCompactBytes: 64 * 1024 });
    const client = new MongoClient(server.url);
    const orders = client.db('shop').collection('orders');
    const crash = tempDir();
    let acknowledged = 0;
    try {
      // One insert at a time until one is answered while a snapshot is still being written.
      while (acknowledged < 20_000) {
        await orders.insertOne({ _id: `o-${acknowledged}` as never, note: 'x'.repeat(500) });
        acknowledged++;
        const files = readdirSync(dbPath);
        if (files.some((file) => file.endsWith('.tmp'))) {
          // The process dies here: what is on disk now is all a restart has.
          for (const file of files) copyFileSync(join(dbPath, file), join(crash, file));
          break;
        }
      }
      await orders.insertOne({ _id: 'after' as never });
    } finally {
      await client.close();
      await server.close();
    }
    expect(acknowledged).toBeLessThan(20_000);
    await withServer(crash, async (recovered) => {
      const ids = await recovered.db('shop').collection('orders').distinct('_id');
      expect(ids).toHaveLength(acknowledged);
    });
    await withServer(dbPath, async (reopened) => {
      expect(await reopened.db('shop').collection('orders').countDocuments()).toBe(acknowledged + 1);
    });
    expect(
      readdirSync(dbPath).filter((file) => file.startsWith('journal-') || file.endsWith('.tmp')),
    ).toHaveLength(1);
  });

  it('lets the journal grow as big as the last snapshot before writing the next: rewrites get rarer as data grows', async () => {
    const dbPath = tempDir();
    const server = await startMongo({ port: 0, dbPath, journalCompactBytes: 16 * 1024 });
    const client = new MongoClient(server.url);
    const generation = () =>
      Math.max(
        ...readdirSync(dbPath)
          .flatMap((file) => /^journal-(\d+)\.bson$/.exec(file)?.[1] ?? [])
          .map(Number),
      );
    const first = generation();
    try {
      // About 2 MB of changes: 130 journals of 16 KB, but only some 8 doublings of the snapshot.
      for (let batch = 0; batch < 200; batch++) {
        const docs = Array.from({ length: 20 }, (_, i) => ({
          _id: `o-${batch}-${i}`,
          note: 'x'.repeat(500),
        }));
        await client
          .db('shop')
          .collection('orders')
          .insertMany(docs as never[]);
      }
      expect(generation() - first).toBeLessThan(20);
    } finally {
      await client.close();
      await server.close();
    }
    await withServer(dbPath, async (reopened) => {
      expect(await reopened.db('shop').collection('orders').countDocuments()).toBe(4000);
    });
  });

  it('refuses a dbPath another running server holds, and frees it on close', async () => {
    const dbPath = tempDir();
    const first = await startMongo({ port: 0, dbPath });
    const lock = join(dbPath, 'mongod.lock');
    // The lock names this process; pretend another live process (the jest parent) owns it.
    writeFileSync(lock, String(process.ppid));
    await expect(startMongo({ port: 0, dbPath })).rejects.toThrow(/DBPathInUse/);
    await first.close();
    expect(existsSync(lock)).toBe(false);
    const second = await startMongo({ port: 0, dbPath });
    await second.close();
  });

  it('keeps nothing without dbPath', async () => {
    await withServer(undefined, (client) => client.db('mem').collection('c').insertOne({ a: 1 }));
    await withServer(undefined, async (client) => {
      expect(await client.db('mem').collection('c').countDocuments()).toBe(0);
    });
  });
});
