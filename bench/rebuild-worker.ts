// Rebuilds every read model into scratch collections from the whole history, with `projectIntoScratch` as the
// admin CLI runs it (one subscription feeds them all, decoded on a thread of its own),
// logging progress and printing its figures each second, and one result line at the end; run by bench/rebuild.ts as its own
// process (env ESDB_CONNECTION_STRING, MONGO_URL).
import { BACKWARDS, END } from '@eventstore/db-client';
import { loadConfig } from '../lib/config';
import { threadFeed } from '../lib/all-feed-thread';
import { connectEventStore } from '../lib/eventstore';
import { createLogger } from '../lib/logger';
import { connectMongo } from '../lib/mongo';
import { projectIntoScratch, readModels } from '../synchronizers/operations';

const SCRATCH_SUFFIX = 'bench';
const PROGRESS_MS = 1_000;

export interface RebuildProgress {
  readonly seconds: number;
  /** Share of the `$all` log the slowest read model has passed (the history is uniform, so ≈ share of events). */
  readonly done: number;
  /** CPU time of this process (all its threads) since the rebuild started. */
  readonly cpuMs: number;
}

function cpuMsSince(before: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000;
}

async function main(): Promise<void> {
  const config = loadConfig(['esdbConnectionString', 'mongoUrl', 'logLevel']);
  const logger = createLogger('bench-rebuild', { level: config.logLevel });
  const client = connectEventStore(config.esdbConnectionString);
  const mongo = connectMongo(config.mongoUrl);
  try {
    let endPosition = 0;
    for await (const last of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      endPosition = Number(last.event?.position?.commit ?? 0);
    }
    let reached = 0;
    let events = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = () => {
      const seconds = (performance.now() - started) / 1000;
      const done = endPosition > 0 ? Math.min(1, reached / endPosition) : 0;
      const rate = seconds > 0 ? events / seconds : 0;
      const eta = done > 0 ? (seconds * (1 - done)) / done : undefined;
      const progress: RebuildProgress = { seconds, done, cpuMs: cpuMsSince(cpuBefore) };
      // A log line (events done, rate, ETA; shown at LOG_LEVEL=info), then the figures the bench parses.
      logger.info(
        {
          events,
          eventsPerSec: Math.round(rate),
          done,
          etaSeconds: eta === undefined ? undefined : Math.ceil(eta),
        },
        'rebuild in progress',
      );
      process.stdout.write(`${JSON.stringify({ progress })}\n`);
    };
    const ticker = setInterval(report, PROGRESS_MS);
    // All read models at once, fed by one subscription, as a full rebuild after a release runs them.
    const results = await projectIntoScratch(
      {
        client,
        subscribe: threadFeed(config.esdbConnectionString),
        db: mongo.db,
        projections: readModels,
        logger,
        onProgress: (progress) => {
          reached = progress.position;
          events = progress.events;
        },
      },
      SCRATCH_SUFFIX,
    );
    clearInterval(ticker);
    const seconds = (performance.now() - started) / 1000;
    const perModel = Object.fromEntries(
      results.map((r) => [r.readModel, { events: r.events, documents: r.documents, seconds: r.seconds }]),
    );
    process.stdout.write(`${JSON.stringify({ seconds, perModel, cpuMs: cpuMsSince(cpuBefore) })}\n`);
  } finally {
    await client.dispose();
    await mongo.client.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rebuild failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
