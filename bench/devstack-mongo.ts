import { connect } from 'node:net';
import { loadavg } from 'node:os';
import { BSON, type Document } from 'bson';
import { MongoClient, type Collection } from 'mongodb';
import { createLogger } from '../lib/logger';
import { startMongo } from '../devstack/mongo/index';

const FULL_DOCUMENTS = 1_000_000;
const QUICK_DOCUMENTS = 100_000;
const INSERT_BATCH = 1_000;
const CONCURRENCY = 16;
const FULL_OPS = 20_000;
const QUICK_OPS = 2_000;
const SKUS = 50;
const WARM_UP_OPS = 500;
const OP_MSG = 2013;
const OP_MSG_HEADER_BYTES = 21;
// Every 64th wire reply is decoded and checked; decoding all would bill the client's work to the server.
const CHECKED_REPLY_EVERY = 64;

interface BenchDoc {
  key: string;
  n: number;
  sku: string;
  qty: number;
  at: Date;
}

function keyOf(n: number): string {
  return `order-${n.toString(36).padStart(6, '0')}`;
}

function docOf(n: number): BenchDoc {
  return {
    key: keyOf(n),
    n,
    sku: `SKU-${n % SKUS}`,
    qty: (n % 5) + 1,
    at: new Date(1_700_000_000_000 + n * 1000),
  };
}

/** Runs `count` operations with `concurrency` in flight; returns operations per second. */
async function throughput(
  count: number,
  op: (i: number) => Promise<unknown>,
  concurrency = CONCURRENCY,
): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      await op(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round(count / seconds);
}

function opMsg(requestId: number, body: Document): Buffer {
  const payload = BSON.serialize(body);
  const message = Buffer.alloc(OP_MSG_HEADER_BYTES + payload.length);
  message.writeInt32LE(message.length, 0);
  message.writeInt32LE(requestId, 4);
  message.writeInt32LE(OP_MSG, 12);
  message.set(payload, OP_MSG_HEADER_BYTES);
  return message;
}

/**
 * The server's own rate, without the driver: pre-encoded OP_MSG commands written to one raw socket with
 * `CONCURRENCY` in flight (the server answers a connection's messages in order), replies counted by length.
 */
async function wireThroughput(
  port: number,
  commands: readonly Document[],
  check: (reply: Document, i: number) => void,
): Promise<{ perSec: number; cpuMicrosPerOp: number }> {
  const messages = commands.map((body, i) => opMsg(i + 1, body));
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  await new Promise<void>((resolve, reject) => {
    let sent = 0;
    let answered = 0;
    let pending: Buffer = Buffer.alloc(0);
    const send = (): void => {
      // One write per refill keeps the client's share of the process small.
      socket.cork();
      while (sent < messages.length && sent - answered < CONCURRENCY)
        socket.write(messages[sent++] as Buffer);
      socket.uncork();
    };
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const length = pending.readInt32LE(0);
        if (answered % CHECKED_REPLY_EVERY === 0) {
          try {
            check(BSON.deserialize(pending.subarray(OP_MSG_HEADER_BYTES, length)), answered);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
        }
        pending = pending.subarray(length);
        answered += 1;
      }
      if (answered === messages.length) resolve();
      else send();
    });
    send();
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  socket.destroy();
  return {
    perSec: Math.round(messages.length / seconds),
    // CPU time holds still on a shared machine where rates swing with the neighbours' load.
    cpuMicrosPerOp: Math.round(((cpu.user + cpu.system) / messages.length) * 10) / 10,
  };
}

function upsertOf(n: number): { q: Document; u: Document } {
  return {
    q: { key: keyOf(n) },
    u: { $set: { status: 'Paid', updatedAt: new Date() }, $setOnInsert: { n, sku: 'SKU-new', qty: 1 } },
  };
}

/** Half update existing orders, half insert new ones (numbered from `fresh` on). */
function upsertTarget(i: number, documents: number, fresh: number): number {
  return i % 2 === 0 ? (i * 31) % documents : fresh + i;
}

async function bulkInsert(collection: Collection<BenchDoc>, documents: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let from = 0; from < documents; from += INSERT_BATCH) {
    const batch = Array.from({ length: Math.min(INSERT_BATCH, documents - from) }, (_, i) => docOf(from + i));
    await collection.insertMany(batch, { ordered: false });
  }
  return Math.round(documents / (Number(process.hrtime.bigint() - started) / 1e9));
}

/**
 * Benchmarks the embedded MongoDB server through the official driver over loopback (server and client share
 * this process): bulk inserts, upserts, indexed point lookups among `documents`, and aggregation throughput.
 */
export async function benchMongo(opts: { quick: boolean }): Promise<Record<string, number>> {
  const documents = opts.quick ? QUICK_DOCUMENTS : FULL_DOCUMENTS;
  const ops = opts.quick ? QUICK_OPS : FULL_OPS;
  const server = await startMongo({ port: 0, logger: createLogger('bench-mongo', { level: 'warn' }) });
  const client = new MongoClient(server.url, { maxPoolSize: CONCURRENCY });
  try {
    const db = client.db('bench');
    const orders = db.collection<BenchDoc>('orders');
    await orders.createIndex({ key: 1 }, { unique: true });

    const bulkInsertsPerSec = await bulkInsert(orders, documents);

    // Warm-up: open the pool's connections and compile the lookup path before measuring.
    await throughput(WARM_UP_OPS, (i) => orders.findOne({ key: keyOf(i) }));
    const lookupsPerSec = await throughput(ops, async (i) => {
      const n = (i * 7919) % documents;
      const found = await orders.findOne({ key: keyOf(n) });
      if (found?.n !== n) throw new Error(`lookup of ${keyOf(n)} failed`);
    });

    const lookupsSequentialPerSec = await throughput(
      ops,
      async (i) => {
        const n = (i * 104_729) % documents;
        if ((await orders.findOne({ key: keyOf(n) }))?.n !== n)
          throw new Error(`lookup of ${keyOf(n)} failed`);
      },
      1,
    );
    const upsert = (fresh: number) => async (i: number) => {
      const { q, u } = upsertOf(upsertTarget(i, documents, fresh));
      await orders.updateOne(q, u, { upsert: true });
    };
    const upsertsPerSec = await throughput(ops, upsert(documents));
    const upsertsSequentialPerSec = await throughput(ops, upsert(documents + ops), 1);
    // The driver's own cost per round trip: the ceiling of the figures above in this one process.
    const pingsPerSec = await throughput(ops, () => db.command({ ping: 1 }));

    const wireLookups = await wireThroughput(
      server.port,
      Array.from({ length: ops }, (_, i) => ({
        find: 'orders',
        filter: { key: keyOf((i * 7_907) % documents) },
        limit: 1,
        singleBatch: true,
        $db: 'bench',
      })),
      (reply, i) => {
        const found = (reply.cursor as { firstBatch?: Document[] } | undefined)?.firstBatch?.[0];
        if (found?.n !== (i * 7_907) % documents) throw new Error(`wire lookup ${i} failed`);
      },
    );
    const wireUpserts = await wireThroughput(
      server.port,
      Array.from({ length: ops }, (_, i) => ({
        update: 'orders',
        updates: [{ ...upsertOf(upsertTarget(i, documents, documents + 2 * ops)), upsert: true }],
        $db: 'bench',
      })),
      (reply) => {
        if (reply.ok !== 1 || reply.n !== 1) throw new Error(`wire upsert failed: ${JSON.stringify(reply)}`);
      },
    );
    // Each benchmark's odd-numbered upserts inserted one new order each.
    const expectedOrders = documents + 3 * (ops / 2);
    const stored = await orders.estimatedDocumentCount();
    if (stored !== expectedOrders) throw new Error(`expected ${expectedOrders} orders, found ${stored}`);

    const aggregateStarted = process.hrtime.bigint();
    const perSku = await orders
      .aggregate([
        { $match: { n: { $gte: 0 } } },
        { $group: { _id: '$sku', units: { $sum: '$qty' }, orders: { $sum: 1 } } },
      ])
      .toArray();
    const aggregateSeconds = Number(process.hrtime.bigint() - aggregateStarted) / 1e9;
    if (perSku.length !== SKUS + 1) throw new Error(`aggregate returned ${perSku.length} groups`);

    return {
      documents,
      // Context for the numbers: the machine is shared, and client and server share this one process.
      loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      bulkInsertsPerSec,
      mongoLookupsPerSec: lookupsPerSec,
      mongoUpsertsPerSec: upsertsPerSec,
      mongoLookupsSequentialPerSec: lookupsSequentialPerSec,
      mongoUpsertsSequentialPerSec: upsertsSequentialPerSec,
      mongoPingsPerSec: pingsPerSec,
      mongoWireLookupsPerSec: wireLookups.perSec,
      mongoWireUpsertsPerSec: wireUpserts.perSec,
      mongoWireLookupCpuMicros: wireLookups.cpuMicrosPerOp,
      mongoWireUpsertCpuMicros: wireUpserts.cpuMicrosPerOp,
      aggregateDocsPerSec: Math.round(documents / aggregateSeconds),
    };
  } finally {
    await client.close();
    await server.close();
  }
}

if (require.main === module) {
  benchMongo({ quick: process.argv.includes('--quick') })
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    });
}
