import { connect, type Socket } from 'node:net';
import { BSON, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { createLogger } from '../../lib/logger';
import { startMongo, type MongoServerHandle } from './index';
import { encodeOpMsg, OP_MSG } from './wire-protocol';

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

// What mongod advertises in hello and enforces on every message and document.
const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
const MAX_BSON_INTERNAL = 16 * 1024 * 1024 + 16 * 1024;

function rawSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, server.host, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends bytes; resolves with the first whole reply, 'closed', or 'silent' when nothing happened in time. */
async function exchange(bytes: Buffer, waitMs = 2000): Promise<Buffer | 'closed' | 'silent'> {
  const socket = await rawSocket();
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('silent');
    }, waitMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= received.readInt32LE(0)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

function header(length: number, opCode = OP_MSG): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeInt32LE(length, 0);
  bytes.writeInt32LE(9, 4);
  bytes.writeInt32LE(opCode, 12);
  return bytes;
}

/** An OP_MSG from raw section bytes, its length field as given (or the real length). */
function opMsg(sections: Buffer, declaredLength?: number): Buffer {
  const flags = Buffer.alloc(4);
  const total = 16 + 4 + sections.length;
  return Buffer.concat([header(declaredLength ?? total), flags, sections]);
}

function bodySection(doc: Document): Buffer {
  return Buffer.concat([Buffer.from([0]), Buffer.from(BSON.serialize(doc))]);
}

function replyDocument(reply: Buffer | 'closed' | 'silent'): Document {
  if (!Buffer.isBuffer(reply)) throw new Error(`expected a reply, got ${reply}`);
  return BSON.deserialize(reply.subarray(21));
}

async function stillServing(): Promise<void> {
  expect(await client.db('admin').command({ ping: 1 })).toEqual({ ok: 1 });
}

describe('declared lengths are checked before anything is buffered or decoded', () => {
  it.each([
    ['2^31 - 1', 2 ** 31 - 1],
    ['a negative length', -1],
    ['one byte over maxMessageSizeBytes', MAX_MESSAGE_SIZE_BYTES + 1],
    ['less than a header', 15],
  ])(
    'a 21-byte message whose length field claims %s closes that connection at once',
    async (_label, length) => {
      const started = Date.now();
      const bytes = Buffer.concat([header(length), Buffer.alloc(5)]);
      expect(await exchange(bytes)).toBe('closed');
      expect(Date.now() - started).toBeLessThan(1000);
      await stillServing();
    },
  );

  it('a body whose BSON length claims more than the frame closes the connection', async () => {
    const section = bodySection({ ping: 1, $db: 'admin' });
    section.writeInt32LE(2 ** 31 - 1, 1);
    expect(await exchange(opMsg(section))).toBe('closed');
    await stillServing();
  });

  it('a nested document whose length claims more than its parent closes the connection', async () => {
    const section = bodySection({ insert: 'c', documents: [{ a: { b: 1 } }], $db: 'limits' });
    const nested = section.indexOf(Buffer.from('a\0')) + 2;
    section.writeInt32LE(2 ** 30, nested);
    expect(await exchange(opMsg(section))).toBe('closed');
    await stillServing();
  });

  it('a document sequence whose size claims more than the frame closes the connection', async () => {
    const sequence = Buffer.concat([Buffer.from([1]), Buffer.alloc(4), Buffer.from('documents\0')]);
    sequence.writeInt32LE(2 ** 31 - 1, 1);
    const bytes = opMsg(Buffer.concat([bodySection({ insert: 'c', $db: 'limits' }), sequence]));
    expect(await exchange(bytes)).toBe('closed');
    await stillServing();
  });

  it('a body document over maxBsonObjectSize (+16 KiB of command overhead) is answered BSONObjectTooLarge', async () => {
    const doc = { insert: 'big', documents: [{ s: 'x'.repeat(MAX_BSON_INTERNAL) }], $db: 'limits' };
    const reply = replyDocument(await exchange(encodeOpMsg(1, 0, doc), 10_000));
    expect(reply).toMatchObject({ ok: 0, code: 10334, codeName: 'BSONObjectTooLarge' });
    expect(await client.db('limits').collection('big').countDocuments()).toBe(0);
  });

  it('a sequence document over maxBsonObjectSize is answered BSONObjectTooLarge', async () => {
    const big = Buffer.from(BSON.serialize({ s: 'x'.repeat(MAX_BSON_INTERNAL) }));
    const id = Buffer.from('documents\0');
    const sequence = Buffer.concat([Buffer.from([1]), Buffer.alloc(4), id, big]);
    sequence.writeInt32LE(4 + id.length + big.length, 1);
    const bytes = opMsg(Buffer.concat([bodySection({ insert: 'big', $db: 'limits' }), sequence]));
    const reply = replyDocument(await exchange(bytes, 10_000));
    expect(reply).toMatchObject({ ok: 0, code: 10334, codeName: 'BSONObjectTooLarge' });
    expect(await client.db('limits').collection('big').countDocuments()).toBe(0);
  });

  it('an OP_MSG with an unknown required flag bit closes the connection', async () => {
    const bytes = encodeOpMsg(1, 0, { ping: 1, $db: 'admin' });
    bytes.writeUInt32LE(1 << 4, 16);
    expect(await exchange(bytes)).toBe('closed');
    const optional = encodeOpMsg(1, 0, { ping: 1, $db: 'admin' });
    optional.writeUInt32LE(1 << 16, 16);
    expect(replyDocument(await exchange(optional))).toEqual({ ok: 1 });
  });

  it('a connection that claims a large message and trickles it does not hold up other clients', async () => {
    const socket = await rawSocket();
    socket.on('error', () => undefined);
    socket.write(Buffer.concat([header(MAX_MESSAGE_SIZE_BYTES), Buffer.alloc(4)]));
    for (let i = 0; i < 20; i += 1) socket.write(Buffer.alloc(1024));
    const started = Date.now();
    await stillServing();
    expect(Date.now() - started).toBeLessThan(500);
    socket.destroy();
  });
});
