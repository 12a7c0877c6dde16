import { loadavg } from 'node:os';
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

/** Runs `count` operations with `CONCURRENCY` in flight; returns operations per second. */
async function throughput(count: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      await op(i);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round(count / seconds);
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

    const upsertsPerSec = await throughput(ops, async (i) => {
      // Half update existing orders, half insert new ones.
      const n = i % 2 === 0 ? (i * 31) % documents : documents + i;
      await orders.updateOne(
        { key: keyOf(n) },
        { $set: { status: 'Paid', updatedAt: new Date() }, $setOnInsert: { n, sku: 'SKU-new', qty: 1 } },
        { upsert: true },
      );
    });

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
