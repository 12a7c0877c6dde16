import path from 'node:path';
import { createAuthenticator } from '../lib/auth/authenticate';
import { loadServiceConfig, SERVICE_SETTINGS } from '../lib/config';
import { connectEventStore, eventStoreCheck } from '../lib/eventstore';
import { isLoopbackHost, listen } from '../lib/http';
import { createLogger } from '../lib/logger';
import { createMetricsRegistry } from '../lib/metrics';
import { connectMongo } from '../lib/mongo';
import { processShutdown, runService } from '../lib/service';
import { mongoKeyStore } from '../lib/personal-data/key-store';
import { startTracing } from '../lib/tracing';
import { createShopApi } from './app';
import { keepInputFor } from './ingest/input-retention';
import { DEFAULT_APPEND_BATCH_LIMITS, eventStoreInputPublisher } from './ingest/input-publisher';
import { mongoReadStore } from './queries/read-store';

const SERVICE = 'shop-api';
export const STATIC_DIR = path.join(__dirname, 'ui');

runService(SERVICE, async () => {
  const config = loadServiceConfig(SERVICE_SETTINGS.shopApi);
  const logger = createLogger(SERVICE, { level: config.logLevel, format: config.logFormat });
  const shutdown = processShutdown(logger, config.shutdownTimeoutMs);
  const tracing = startTracing(SERVICE, config);
  const eventStore = connectEventStore(config.esdbConnectionString);
  const mongo = connectMongo(config.mongoUrl);
  const registry = createMetricsRegistry(SERVICE);
  const keys = mongoKeyStore(mongo.client.db(config.keysDatabase), config.masterKey);
  const retention = keepInputFor(eventStore, config.inputStream, config.inputMaxAgeSeconds, logger);
  const app = createShopApi({
    publisher: eventStoreInputPublisher(eventStore, config.inputStream, DEFAULT_APPEND_BATCH_LIMITS, {
      traced: tracing !== undefined,
    }),
    logger,
    registry,
    maxBodyBytes: config.maxBodyBytes,
    // Ready means "can accept shop data": MongoDB being down only makes the query routes answer 503.
    checks: { eventstore: eventStoreCheck(eventStore) },
    readStore: mongoReadStore(mongo.db),
    personalData: { keys, client: eventStore },
    maxRequestWaitSeconds: config.maxRequestWaitSeconds,
    pipeline: {
      client: eventStore,
      db: mongo.db,
      inputStream: config.inputStream,
      processingGroup: config.processingGroup,
    },
    staticDir: STATIC_DIR,
    authenticator: createAuthenticator(config.auth),
    metricsOpen: isLoopbackHost(config.host),
    jsonLimits: {
      maxDepth: config.maxJsonDepth,
      maxArrayLength: config.maxJsonArrayLength,
      maxStringLength: config.maxJsonStringLength,
      maxObjectKeys: config.maxJsonObjectKeys,
    },
    maxEventBytes: config.maxEventBytes,
    ingestRateLimit: { limit: config.ingestRateLimit, windowMs: config.ingestRateWindowMs },
    corsOrigins: config.corsOrigins ?? [],
    tracing: tracing !== undefined,
  });
  const http = await listen(app, config.shopApiPort, config.host, 'PORT', {
    headersTimeoutMs: config.headersTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
  });
  shutdown.register('stop accepting requests', () => http.close());
  shutdown.register('stop setting the input retention', () => retention.stop());
  shutdown.register('close connections', async () => {
    await eventStore.dispose();
    await mongo.client.close();
  });
  if (tracing) shutdown.register('export the last traces', () => tracing.shutdown());
  logger.info(
    {
      host: config.host,
      port: http.port,
      inputStream: config.inputStream,
      apiKeys: config.auth.apiKeys.map((key) => key.name),
      oidcIssuer: config.auth.oidc?.issuer,
    },
    'shop-api listening',
  );
});
