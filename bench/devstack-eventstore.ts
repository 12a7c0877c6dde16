// Benchmark of the embedded EventStoreDB server over loopback: `npx tsx bench/devstack-eventstore.ts [--quick]`.
import { EventStoreDBClient, jsonEvent, START } from '@eventstore/db-client';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEventStore } from '../devstack/eventstore';
import { createLogger } from '../lib/logger';

const BATCH_SIZE = 100;
const BATCH_WRITERS = 4;
const SINGLE_WRITERS = 16;

async function rawFsyncPerSec(dir: string, seconds: number): Promise<number> {
  const handle = await open(join(dir, 'fsync-probe'), 'w');
  const chunk = Buffer.alloc(128, 1);
  let count = 0;
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  while (Date.now() < until) {
    await handle.write(chunk);
    await handle.datasync();
    count++;
  }
  const elapsed = (performance.now() - started) / 1000;
  await handle.close();
  return count / elapsed;
}

async function forDuration(seconds: number, writers: number, step: (writer: number) => Promise<number>) {
  const until = Date.now() + seconds * 1000;
  let total = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (Date.now() < until) total += await step(writer);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

export async function benchEventStore(opts: { quick: boolean }): Promise<Record<string, number>> {
  const seconds = opts.quick ? 3 : 10;
  const dir = await mkdtemp(join(tmpdir(), 'bench-esdb-'));
  const server = await startEventStore({
    port: 0,
    dbDir: join(dir, 'db'),
    systemProjections: false,
    logger: createLogger('eventstore', { level: 'warn' }),
  });
  const client = EventStoreDBClient.connectionString(server.connectionString);
  try {
    const fsyncPerSec = await rawFsyncPerSec(dir, opts.quick ? 1 : 3);
    const payload = { sku: 'SKU-1', quantity: 2, unitPrice: '12.50', note: 'benchmark event' };
    const appendEventsPerSec = await forDuration(seconds, BATCH_WRITERS, async (writer) => {
      const events = Array.from({ length: BATCH_SIZE }, () =>
        jsonEvent({ type: 'BenchBatched', data: payload }),
      );
      await client.appendToStream(`bench-batch-${writer}`, events);
      return BATCH_SIZE;
    });
    const singleAppendsPerSec = await forDuration(seconds, SINGLE_WRITERS, async (writer) => {
      await client.appendToStream(
        `bench-single-${writer}`,
        jsonEvent({ type: 'BenchSingle', data: payload }),
      );
      return 1;
    });
    let read = 0;
    const readStarted = performance.now();
    for await (const _ of client.readAll({ fromPosition: START })) read++;
    const readAllEventsPerSec = read / ((performance.now() - readStarted) / 1000);
    const subscription = client.subscribeToAll({ fromPosition: START });
    let delivered = 0;
    const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
    const subscriptionStarted = performance.now();
    subscription.on('data', () => delivered++);
    await caughtUp;
    const subscriptionEventsPerSec = delivered / ((performance.now() - subscriptionStarted) / 1000);
    await subscription.unsubscribe();
    return {
      appendEventsPerSec: Math.round(appendEventsPerSec),
      singleAppendsPerSec: Math.round(singleAppendsPerSec),
      readAllEventsPerSec: Math.round(readAllEventsPerSec),
      subscriptionEventsPerSec: Math.round(subscriptionEventsPerSec),
      fsyncPerSec: Math.round(fsyncPerSec),
      eventsInLog: read,
    };
  } finally {
    await client.dispose();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchEventStore({ quick: process.argv.includes('--quick') }).then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
