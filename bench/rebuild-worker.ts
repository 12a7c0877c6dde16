// Rebuilds every read model into scratch collections from the whole history and prints one JSON line of
// figures; run by bench/rebuild.ts as its own process (env ESDB_CONNECTION_STRING, MONGO_URL).
import { loadConfig } from '../lib/config';
import { connectEventStore } from '../lib/eventstore';
import { createLogger } from '../lib/logger';
import { connectMongo } from '../lib/mongo';
import { projectIntoScratch } from '../synchronizers/host/rebuild';
import { readModels } from '../synchronizers/registry';

const SCRATCH_SUFFIX = 'bench';

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
  try {
    const names = { inputStream: config.inputStream, processingGroup: config.processingGroup };
    const started = performance.now();
    // All read models at once, as a full rebuild after a release would run them.
    const results = await Promise.all(
      readModels.map((projection) =>
        projectIntoScratch({ client, db: mongo.db, projection, names, logger }, SCRATCH_SUFFIX),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const perModel = Object.fromEntries(
      results.map((r) => [r.collection, { events: r.events, documents: r.documents, seconds: r.seconds }]),
    );
    process.stdout.write(`${JSON.stringify({ seconds, perModel })}\n`);
  } finally {
    await client.dispose();
    await mongo.client.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rebuild failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
