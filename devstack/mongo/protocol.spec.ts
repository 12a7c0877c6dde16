import { connect, type Socket } from 'node:net';
import { BSON } from 'bson';
import { MongoClient, MongoServerError } from 'mongodb';
import { createLogger } from '../../lib/logger';
import { startMongo, type MongoServerHandle } from './index';
import { encodeOpMsg, OP_QUERY, OP_REPLY } from './wire-protocol';

let server: MongoServerHandle;
let client: MongoClient;

beforeAll(async () => {
  server = await startMongo({ port: 0, logger: createLogger('devstack-mongo', { level: 'silent' }) });
  client = new MongoClient(server.url);
  await client.connect();
});

afterAll(async () => {
  await client.close();
  await server.close();
});

function rawSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, server.host, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends bytes and resolves with the first complete reply, or 'closed' when the server hangs up. */
async function exchange(bytes: Buffer): Promise<Buffer | 'closed'> {
  const socket = await rawSocket();
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= received.readInt32LE(0)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('close', () => resolve('closed'));
    socket.write(bytes);
  });
}

function opQuery(collection: string, query: object): Buffer {
  const name = Buffer.from(`${collection}\0`);
  const body = Buffer.from(BSON.serialize(query));
  const message = Buffer.alloc(16 + 4 + name.length + 8 + body.length);
  message.writeInt32LE(message.length, 0);
  message.writeInt32LE(7, 4);
  message.writeInt32LE(0, 8);
  message.writeInt32LE(OP_QUERY, 12);
  name.copy(message, 20);
  message.writeInt32LE(-1, 20 + name.length + 4);
  body.copy(message, 20 + name.length + 8);
  return message;
}

const MORE_TO_COME = 2;

function opMsgWithSequence(body: object, name: string, docs: object[], flags: number): Buffer {
  const bodyBytes = Buffer.from(BSON.serialize(body));
  const id = Buffer.from(`${name}\0`);
  const docBytes = Buffer.concat(docs.map((d) => Buffer.from(BSON.serialize(d))));
  const sequence = Buffer.alloc(1 + 4 + id.length + docBytes.length);
  sequence.writeUInt8(1, 0);
  sequence.writeInt32LE(4 + id.length + docBytes.length, 1);
  id.copy(sequence, 5);
  docBytes.copy(sequence, 5 + id.length);
  const header = Buffer.alloc(20);
  const total = 20 + 1 + bodyBytes.length + sequence.length;
  header.writeInt32LE(total, 0);
  header.writeInt32LE(11, 4);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(flags, 16);
  return Buffer.concat([header, Buffer.from([0]), bodyBytes, sequence]);
}

describe('wire protocol', () => {
  it('answers the legacy OP_QUERY isMaster handshake with OP_REPLY', async () => {
    const reply = await exchange(opQuery('admin.$cmd', { isMaster: 1, helloOk: true }));
    if (reply === 'closed') throw new Error('connection closed');
    expect(reply.readInt32LE(8)).toBe(7);
    expect(reply.readInt32LE(12)).toBe(OP_REPLY);
    expect(reply.readInt32LE(32)).toBe(1);
    const doc = BSON.deserialize(reply.subarray(36));
    expect(doc).toMatchObject({ ismaster: true, helloOk: true, maxWireVersion: 21, ok: 1 });
    expect(doc.setName).toBeUndefined();
    expect(doc.topologyVersion).toBeUndefined();
  });

  it('answers OP_MSG commands', async () => {
    const reply = await exchange(encodeOpMsg(3, 0, { ping: 1, $db: 'admin' }));
    if (reply === 'closed') throw new Error('connection closed');
    expect(BSON.deserialize(reply.subarray(21))).toEqual({ ok: 1 });
  });

  it('merges document sequences into the command and honours moreToCome', async () => {
    const acknowledged = await exchange(
      opMsgWithSequence({ insert: 'seq', $db: 'wire' }, 'documents', [{ a: 1 }, { a: 2 }], 0),
    );
    if (acknowledged === 'closed') throw new Error('connection closed');
    expect(BSON.deserialize(acknowledged.subarray(21))).toEqual({ n: 2, ok: 1 });
    const socket = await rawSocket();
    socket.write(opMsgWithSequence({ insert: 'seq', $db: 'wire' }, 'documents', [{ a: 3 }], MORE_TO_COME));
    for (let i = 0; i < 50 && (await client.db('wire').collection('seq').countDocuments()) < 3; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    socket.destroy();
    expect(await client.db('wire').collection('seq').countDocuments()).toBe(3);
  });

  it('closes the connection on a malformed frame and keeps serving others', async () => {
    const badLength = Buffer.alloc(16);
    badLength.writeInt32LE(3, 0);
    expect(await exchange(badLength)).toBe('closed');
    const badBson = encodeOpMsg(1, 0, { ping: 1, $db: 'admin' });
    badBson.writeInt32LE(1_000, 21);
    expect(await exchange(badBson)).toBe('closed');
    const unknownOp = encodeOpMsg(1, 0, { ping: 1, $db: 'admin' });
    unknownOp.writeInt32LE(9999, 12);
    expect(await exchange(unknownOp)).toBe('closed');
    expect(await client.db('admin').command({ ping: 1 })).toEqual({ ok: 1 });
  });

  it('survives randomly corrupted messages', async () => {
    let seed = 1234;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const valid = encodeOpMsg(5, 0, { find: 'c', filter: { a: { $gt: 1 } }, sort: { a: 1 }, $db: 'fuzz' });
    for (let i = 0; i < 60; i += 1) {
      const mutated = Buffer.from(valid);
      for (let flips = 1 + next(4); flips > 0; flips -= 1) mutated[4 + next(mutated.length - 4)] = next(256);
      const reply = await exchange(mutated);
      if (reply !== 'closed') expect(reply.readInt32LE(0)).toBe(reply.length);
    }
    expect(await client.db('admin').command({ ping: 1 })).toEqual({ ok: 1 });
  });

  it('answers unknown commands with CommandNotFound', async () => {
    await expect(client.db('x').command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
      message: "no such command: 'frobnicate'",
    });
  });
});

describe('handshake and server commands', () => {
  it('answers hello, ping, buildInfo, getParameter and endSessions', async () => {
    const admin = client.db('admin');
    expect(await admin.command({ hello: 1 })).toMatchObject({
      isWritablePrimary: true,
      maxWireVersion: 21,
      ok: 1,
    });
    expect(await admin.command({ ping: 1 })).toEqual({ ok: 1 });
    expect(await admin.command({ buildInfo: 1 })).toMatchObject({ version: '7.0.0', ok: 1 });
    expect(await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 })).toEqual({
      featureCompatibilityVersion: { version: '7.0' },
      ok: 1,
    });
    const session = client.startSession();
    await client.db('s').collection('c').insertOne({ a: 1 }, { session });
    await session.endSession();
    expect(await admin.command({ endSessions: [] })).toEqual({ ok: 1 });
  });
});

describe('catalog commands', () => {
  it('lists databases and collections, creates and drops them', async () => {
    const db = client.db('cat');
    await db.createCollection('a');
    await db.collection('b').insertOne({ x: 1 });
    const exists = await db
      .command({ create: 'a', capped: true, size: 1000 })
      .catch((e: MongoServerError) => e);
    expect(exists).toMatchObject({ code: 48, codeName: 'NamespaceExists' });
    expect((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name)).toEqual([
      'a',
      'b',
    ]);
    expect(await db.listCollections({ name: 'b' }).toArray()).toEqual([
      expect.objectContaining({
        name: 'b',
        type: 'collection',
        idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
      }),
    ]);
    const dbs = await client.db('admin').admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain('cat');
    expect(await db.collection('a').drop()).toBe(true);
    expect(await db.collection('a').drop()).toBe(false);
    expect(await db.dropDatabase()).toBe(true);
    expect(await db.listCollections().toArray()).toEqual([]);
  });

  it('renames collections and reports collStats and dbStats', async () => {
    const db = client.db('stats');
    await db.collection('src').insertMany([{ a: 1 }, { a: 2 }]);
    await db.collection('src').createIndex({ a: 1 }, { unique: true });
    await db.renameCollection('src', 'dst');
    expect(await db.collection('dst').countDocuments()).toBe(2);
    expect((await db.collection('dst').indexes()).map((i) => i.name)).toEqual(['_id_', 'a_1']);
    const coll = await db.command({ collStats: 'dst' });
    expect(coll).toMatchObject({ ns: 'stats.dst', count: 2, nindexes: 2, ok: 1 });
    expect(coll.size).toBeGreaterThan(0);
    const stats = await db.stats();
    expect(stats).toMatchObject({ db: 'stats', collections: 1, objects: 2, indexes: 2, ok: 1 });
    await expect(db.command({ collStats: 'nope' })).rejects.toMatchObject({ code: 26 });
  });
});
