import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startMongoThread } from './server-thread';

const noCrash = (error: Error) => {
  throw error;
};

describe('the embedded MongoDB on a thread of its own', () => {
  const dbPath = mkdtempSync(join(tmpdir(), 'mongo-thread-'));
  afterAll(() => rmSync(dbPath, { recursive: true, force: true }));

  it('serves the driver, and what it acknowledged is there after it closed and started again', async () => {
    const first = await startMongoThread({ port: 0, dbPath }, noCrash);
    const client = new MongoClient(first.url);
    await client
      .db('shop')
      .collection('orders')
      .insertOne({ _id: 'o-1' as never, total: 2500 });
    await client.close();
    await first.close();
    const again = await startMongoThread({ port: 0, dbPath }, noCrash);
    const reader = new MongoClient(again.url);
    try {
      expect(await reader.db('shop').collection('orders').findOne({})).toEqual({ _id: 'o-1', total: 2500 });
    } finally {
      await reader.close();
      await again.close();
    }
  });

  it('fails to start on a port in use with the error code startMongo gives', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expect(startMongoThread({ port }, noCrash)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      taken.close();
    }
  });
});
