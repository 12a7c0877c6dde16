// Benchmark of the embedded EventStoreDB server over loopback:
// `npx tsx bench/devstack-eventstore.ts [--quick] [--separate-process] [--rss-only] [--rss-events N]`.
import { BACKWARDS, END, EventStoreDBClient, jsonEvent, START } from '@eventstore/db-client';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEventStore } from '../devstack/eventstore';
import { createLogger } from '../lib/logger';
import { runProcess, type ManagedProcess } from '../lib/process-runner';

const BATCH_SIZE = 100;
const BATCH_WRITERS = 8;
const SINGLE_WRITERS = 16;
const WARM_UP_SECONDS = 1;
/** Events appended before the peak RSS of the server process is read (the figure is for 1M). */
const RSS_EVENTS = 1_000_000;
const RSS_EVENTS_QUICK = 200_000;
/** Streams the RSS load spreads over, so the per-stream index is exercised, not just one long stream. */
const RSS_STREAMS = 1_000;
const RSS_STREAM_READ_STREAMS = 50;
/** `$all` is read forwards in full; the other reads take this many events, to keep the run to minutes. */
const RSS_READ_CAP = 200_000;

/**
 * `separateProcess`: the server in its own process, as deployed. On a busy shared machine every cross-process hop
 * waits for a CPU slice, so the default measures client and server in one process (still over a real socket).
 */
async function startServerProcess(
  dbDir: string,
): Promise<{ child: ManagedProcess; port: number; pid: number }> {
  const child = runProcess({
    name: 'eventstore',
    entry: 'devstack/eventstore/standalone.ts',
    args: [dbDir],
    onLine: (line, stream) => stream === 'stderr' && process.stderr.write(`${line}\n`),
  });
  const line = await child.waitForLine((text) => text.startsWith('{"port"'), 120_000);
  return { child, port: (JSON.parse(line) as { port: number }).port, pid: child.pid };
}

async function stopServerProcess(child: ManagedProcess): Promise<void> {
  if (!child.hasExited()) await child.stop();
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
    logger: createLogger('eventstore', { level: 'warn' }),
  });
  return { port: server.port, stop: () => server.close() };
}

async function benchRates(opts: {
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

/** A `/proc/<pid>/status` figure (`VmHWM`: peak resident set, `VmRSS`: current) in MiB. */
async function procStatusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (kib === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Math.round(Number(kib) / 1024);
}

async function countAll(iterable: AsyncIterable<unknown>): Promise<{ count: number; perSec: number }> {
  let count = 0;
  const started = performance.now();
  for await (const _ of iterable) count++;
  return { count, perSec: Math.round(count / ((performance.now() - started) / 1000)) };
}

/**
 * The server in its own process (so only its memory is measured) takes `events` events in batches of 100 from 8
 * writers over `RSS_STREAMS` streams; then `$all` is read forwards (all of it) and backwards, some streams are read,
 * a catch-up subscription replays from the start, and the server is restarted on the same files and read again
 * (those reads take `RSS_READ_CAP` events). Peak RSS is read from
 * `/proc/<pid>/status` (`VmHWM`) after the appends, after the reads and after the restart.
 */
export async function benchEventStorePeakRss(events: number): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-esdb-rss-'));
  const dbDir = join(dir, 'db');
  let server = await startServerProcess(dbDir);
  let client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${server.port}?tls=false`);
  try {
    const payload = { sku: 'SKU-1', quantity: 2, unitPrice: '12.50', note: 'benchmark event' };
    let nextBatch = 0;
    const batches = Math.ceil(events / BATCH_SIZE);
    const appendStarted = performance.now();
    await Promise.all(
      Array.from({ length: BATCH_WRITERS }, async () => {
        for (let batch = nextBatch++; batch < batches; batch = nextBatch++) {
          const batchEvents = Array.from({ length: BATCH_SIZE }, () =>
            jsonEvent({ type: 'BenchBulk', data: payload }),
          );
          await client.appendToStream(`bench-bulk-${batch % RSS_STREAMS}`, batchEvents);
        }
      }),
    );
    const appended = batches * BATCH_SIZE;
    const bulkAppendEventsPerSec = Math.round(appended / ((performance.now() - appendStarted) / 1000));
    const esdbPeakRssMiB = await procStatusMiB(server.pid, 'VmHWM');
    const esdbRssAfterAppendsMiB = await procStatusMiB(server.pid, 'VmRSS');
    const forwards = await countAll(client.readAll({ fromPosition: START }));
    const readCap = Math.min(appended, RSS_READ_CAP);
    const backwards = await countAll(
      client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: readCap }),
    );
    let streamEvents = 0;
    const streamsStarted = performance.now();
    for (let stream = 0; stream < RSS_STREAM_READ_STREAMS; stream++) {
      streamEvents += (await countAll(client.readStream(`bench-bulk-${stream}`))).count;
    }
    const bulkReadStreamEventsPerSec = Math.round(
      streamEvents / ((performance.now() - streamsStarted) / 1000),
    );
    const subscription = client.subscribeToAll({ fromPosition: START });
    let delivered = 0;
    const subscriptionStarted = performance.now();
    for await (const _ of subscription) if (++delivered >= readCap) break;
    const bulkSubscriptionEventsPerSec = Math.round(
      delivered / ((performance.now() - subscriptionStarted) / 1000),
    );
    await subscription.unsubscribe();
    const esdbPeakRssAfterReadsMiB = await procStatusMiB(server.pid, 'VmHWM');
    await client.dispose();
    await stopServerProcess(server.child);
    const restartStarted = performance.now();
    server = await startServerProcess(dbDir);
    const esdbRestartSeconds = Number(((performance.now() - restartStarted) / 1000).toFixed(2));
    client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${server.port}?tls=false`);
    const afterRestart = await countAll(client.readAll({ fromPosition: START, maxCount: readCap }));
    return {
      esdbRssEvents: appended,
      esdbPeakRssMiB,
      esdbRssAfterAppendsMiB,
      esdbPeakRssAfterReadsMiB,
      esdbRestartPeakRssMiB: await procStatusMiB(server.pid, 'VmHWM'),
      esdbRestartSeconds,
      bulkAppendEventsPerSec,
      bulkReadAllForwardsEventsPerSec: forwards.perSec,
      bulkReadAllBackwardsEventsPerSec: backwards.perSec,
      bulkReadStreamEventsPerSec,
      bulkSubscriptionEventsPerSec,
      bulkReadAllAfterRestartEventsPerSec: afterRestart.perSec,
      bulkEventsReadBack: forwards.count,
    };
  } finally {
    await client.dispose();
    await stopServerProcess(server.child);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The rates, then the peak-RSS run (`rssEvents`: 1M, 200k when quick); `rssOnly` skips the rates. */
export async function benchEventStore(opts: {
  quick: boolean;
  separateProcess?: boolean;
  rssEvents?: number;
  rssOnly?: boolean;
}): Promise<Record<string, number>> {
  const rates = opts.rssOnly ? {} : await benchRates(opts);
  const peakRss = await benchEventStorePeakRss(
    opts.rssEvents ?? (opts.quick ? RSS_EVENTS_QUICK : RSS_EVENTS),
  );
  return { ...rates, ...peakRss };
}

function rssEventsArgument(): number | undefined {
  const at = process.argv.indexOf('--rss-events');
  const value = at >= 0 ? Number(process.argv[at + 1]) : NaN;
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

if (require.main === module) {
  benchEventStore({
    quick: process.argv.includes('--quick'),
    separateProcess: process.argv.includes('--separate-process'),
    rssEvents: rssEventsArgument(),
    rssOnly: process.argv.includes('--rss-only'),
  }).then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
