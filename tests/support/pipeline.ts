import { listen, type HttpTimeouts } from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { createMetricsRegistry } from '../../lib/metrics';
import { startProcessor, type Processor } from '../../processing/host/processor';
import { createShopApi } from '../../shop-api/app';
import { eventStoreInputPublisher } from '../../shop-api/ingest/input-publisher';
import { mongoReadStore } from '../../shop-api/queries/read-store';
import { startSynchronizers, type Synchronizers } from '../../synchronizers/host/synchronizers';
import type { OidcConfig } from '../../lib/config';
import { mongoKeyStore } from '../../lib/personal-data/key-store';
import type { RateLimitSettings } from '../../lib/security';
import { keepInputFor } from '../../shop-api/ingest/input-retention';
import { NO_RATE_LIMIT, TEST_MASTER_KEY, testAuthenticator } from './test-keys';
import { externalServers, openTestEventStore, openTestMongo, uniqueName } from './test-servers';

export const INPUT_STREAM = uniqueName('shop-input');
export const GROUP = uniqueName('shop-processing');
/** The gateway's default: a week. */
export const INPUT_MAX_AGE_SECONDS = 604_800;
export const REFUNDS_GROUP = uniqueName('shop-refunds');

export interface PipelineOptions {
  readonly processors?: number;
  readonly maxRetryCount?: number;
  /** How long a message may wait for its predecessor before it is parked. */
  readonly waitWindowMs?: number;
  readonly synchronizers?: boolean;
  /** Serve the web UI from this folder (the browser tests pass `shop-api/ui`). */
  readonly staticDir?: string;
  /** Accept JWTs of this issuer too (the test keys are always accepted). */
  readonly oidc?: OidcConfig;
  /** Per-key ingest limit; by default far above what any spec sends. */
  readonly ingestRateLimit?: RateLimitSettings;
  readonly httpTimeouts?: HttpTimeouts;
}

/** The whole product in one test process: both embedded servers, gateway, processors, synchronizers. */
export async function startPipeline(options: PipelineOptions = {}) {
  const logger = createLogger('test', { level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const eventstore = await openTestEventStore();
  const mongo = await openTestMongo();
  const { client } = eventstore;
  const { db } = mongo;
  const keysDb = mongo.client.db(uniqueName('shop-keys'));
  const keys = mongoKeyStore(keysDb, TEST_MASTER_KEY);
  const retention = keepInputFor(client, INPUT_STREAM, INPUT_MAX_AGE_SECONDS, logger);
  const app = createShopApi({
    publisher: eventStoreInputPublisher(client, INPUT_STREAM),
    logger,
    registry: createMetricsRegistry('shop-api'),
    maxBodyBytes: 1024 * 1024,
    checks: {},
    readStore: mongoReadStore(db),
    personalData: { keys, client },
    pipeline: { client, db, inputStream: INPUT_STREAM, processingGroup: GROUP },
    staticDir: options.staticDir,
    authenticator: testAuthenticator(options.oidc),
    ingestRateLimit: options.ingestRateLimit ?? NO_RATE_LIMIT,
  });
  const api = await listen(app, 0, '127.0.0.1', 'PORT', options.httpTimeouts);
  const processors: Processor[] = [];
  /** One more processor in the groups, as another process joining them would; `stop()` stops it too. */
  const addProcessor = (): Processor => {
    const processor = startProcessor({
      client,
      logger,
      registry: createMetricsRegistry('processing'),
      inputStream: INPUT_STREAM,
      group: GROUP,
      refundsGroup: REFUNDS_GROUP,
      keys,
      maxRetryCount: options.maxRetryCount ?? 5,
      ...(options.waitWindowMs === undefined ? {} : { waitWindowMs: options.waitWindowMs }),
    });
    processors.push(processor);
    return processor;
  };
  for (let i = 0; i < (options.processors ?? 1); i++) addProcessor();
  let synchronizers: Synchronizers | undefined;
  if (options.synchronizers ?? true) {
    synchronizers = startSynchronizers({
      client,
      db,
      logger,
      registry: createMetricsRegistry('synchronizers'),
      readyLagEvents: 1000,
    });
  }
  return {
    url: `http://127.0.0.1:${api.port}`,
    client,
    db,
    /** For service processes and the admin CLI: ESDB_CONNECTION_STRING and MONGO_URL of this pipeline. */
    esdbConnectionString: eventstore.connectionString,
    mongoUrl: mongo.url,
    processors,
    addProcessor,
    synchronizers,
    keys,
    /** The key store's database, for service processes (PII_KEYS_DATABASE). */
    keysDatabase: keysDb.databaseName,
    logger,
    async stop() {
      retention.stop();
      await api.close();
      for (const processor of processors) await processor.stop();
      await synchronizers?.stop();
      if (externalServers()) await keysDb.dropDatabase();
      await mongo.close();
      await eventstore.close();
    },
  };
}

export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
