// Benchmark of the embedded EventStoreDB server over loopback: `npx tsx bench/devstack-eventstore.ts [--quick]`.
import { EventStoreDBClient, jsonEvent, START } from '@eventstore/db-client';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEventStore } from '../devstack/eventstore';
import { createLogger } from '../lib/logger';

const BATCH_SIZE = 100;
const BATCH_WRITERS = 8;
const SINGLE_WRITERS = 16;
const WARM_UP_SECONDS = 1;

/**
 * `separateProcess`: the server in its own process, as deployed. On a busy shared machine every cross-process hop
 * waits for a CPU slice, so the default measures client and server in one process (still over a real socket).
 */
async function startServerProcess(dbDir: string): Promise<{ child: ChildProcess; port: number }> {
  const script = join(__dirname, '..', 'devstack', 'eventstore', 'standalone.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, dbDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ESDB_SYSTEM_PROJECTIONS: 'false' },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) =>
      resolve((JSON.parse(chunk.toString()) as { port: number }).port),
    );
    child.once('exit', (code) => reject(new Error(`eventstore exited with ${code}`)));
  });
  return { child, port };
}

async function stopServerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

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
      while (Date.now() < until) {
        const done = await step(writer);
        total += done;
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function startServer(dbDir: string, separateProcess: boolean) {
  if (separateProcess) {
    const { child, port } = await startServerProcess(dbDir);
    return { port, stop: () => stopServerProcess(child) };
  }
  const server = await startEventStore({
    port: 0,
    dbDir,
    systemProjections: false,
    logger: createLogger('eventstore', { level: 'warn' }),
  });
  return { port: server.port, stop: () => server.close() };
}

export async function benchEventStore(opts: {
  quick: boolean;
  separateProcess?: boolean;
}): Promise<Record<string, number>> {
  const seconds = opts.quick ? 3 : 10;
  const dir = await mkdtemp(join(tmpdir(), 'bench-esdb-'));
  const server = await startServer(join(dir, 'db'), opts.separateProcess ?? false);
  const client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${server.port}?tls=false`);
  try {
    const fsyncPerSec = await rawFsyncPerSec(dir, opts.quick ? 1 : 3);
    const payload = { sku: 'SKU-1', quantity: 2, unitPrice: '12.50', note: 'benchmark event' };
    await forDuration(WARM_UP_SECONDS, BATCH_WRITERS, async (writer) => {
      await client.appendToStream(`bench-warm-up-${writer}`, jsonEvent({ type: 'WarmUp', data: payload }));
      return 1;
    });
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
      loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(2)),
    };
  } finally {
    await client.dispose();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchEventStore({
    quick: process.argv.includes('--quick'),
    separateProcess: process.argv.includes('--separate-process'),
  }).then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
