// Rebuilds every read model into scratch collections from the whole history, as `projectIntoScratch` does,
// printing a progress line each second and one result line at the end; run by bench/rebuild.ts as its own
// process (env ESDB_CONNECTION_STRING, MONGO_URL).
import { BACKWARDS, END } from '@eventstore/db-client';
import { loadConfig } from '../lib/config';
import { connectEventStore } from '../lib/eventstore';
import { createLogger } from '../lib/logger';
import { connectMongo } from '../lib/mongo';
import { mongoCheckpointStore } from '../synchronizers/host/checkpoint-store';
import { startProjector } from '../synchronizers/host/projector';
import { readModels } from '../synchronizers/registry';

const SCRATCH_SUFFIX = 'bench';
const PROGRESS_MS = 1_000;

export interface RebuildProgress {
  readonly seconds: number;
  /** Share of the `$all` log the slowest read model has passed (the history is uniform, so ≈ share of events). */
  readonly done: number;
}

async function main(): Promise<void> {
  const config = loadConfig([
    'esdbConnectionString',
    'mongoUrl',
    'inputStream',
    'processingGroup',
    'logLevel',
  ]);
  const logger = createLogger('bench-rebuild', { level: config.logLevel });
  const client = connectEventStore(config.esdbConnectionString);
  const mongo = connectMongo(config.mongoUrl);
  const checkpoints = mongoCheckpointStore(mongo.db);
  const names = { inputStream: config.inputStream, processingGroup: config.processingGroup };
  try {
    let endPosition = 0;
    for await (const last of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      endPosition = Number(last.event?.position?.commit ?? 0);
    }
    const reached = new Map<string, number>(readModels.map((p) => [p.name, 0]));
    const counted = new Map<string, number>(readModels.map((p) => [p.name, 0]));
    const started = performance.now();
    const report = () => {
      const slowest = Math.min(...reached.values());
      const progress: RebuildProgress = {
        seconds: (performance.now() - started) / 1000,
        done: endPosition > 0 ? Math.min(1, slowest / endPosition) : 0,
      };
      process.stdout.write(`${JSON.stringify({ progress })}\n`);
    };
    const ticker = setInterval(report, PROGRESS_MS);
    // All read models at once, as a full rebuild after a release would run them.
    const results = await Promise.all(
      readModels.map(async (projection) => {
        const collection = `${projection.name}__${SCRATCH_SUFFIX}`;
        await mongo.db
          .collection(collection)
          .drop()
          .catch(() => undefined);
        await checkpoints.remove(collection);
        const projector = startProjector({
          client,
          db: mongo.db,
          projection,
          names,
          logger,
          checkpoints,
          collection,
          onBatch: (stats) => {
            reached.set(projection.name, stats.position.commit);
            counted.set(projection.name, (counted.get(projection.name) ?? 0) + stats.events);
          },
        });
        await projector.runner.caughtUp;
        const seconds = (performance.now() - started) / 1000;
        await projector.stop();
        reached.set(projection.name, endPosition);
        const documents = await mongo.db.collection(collection).countDocuments();
        return [projection.name, { events: counted.get(projection.name) ?? 0, documents, seconds }] as const;
      }),
    );
    clearInterval(ticker);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify({ seconds, perModel: Object.fromEntries(results) })}\n`);
  } finally {
    await client.dispose();
    await mongo.client.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rebuild failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
