import path from 'node:path';
import { loadConfig, SERVICE_SETTINGS } from '../lib/config';
import { connectEventStore, eventStoreCheck } from '../lib/eventstore';
import { listen } from '../lib/http';
import { createLogger } from '../lib/logger';
import { createMetricsRegistry } from '../lib/metrics';
import { connectMongo } from '../lib/mongo';
import { processShutdown, runService } from '../lib/service';
import { startTracing } from '../lib/tracing';
import { createShopApi } from './app';
import { eventStoreInputPublisher } from './ingest/input-publisher';
import { mongoReadStore } from './queries/read-store';

const SERVICE = 'shop-api';
export const STATIC_DIR = path.join(__dirname, 'ui');

runService(SERVICE, async () => {
  const config = loadConfig(SERVICE_SETTINGS.shopApi);
  const logger = createLogger(SERVICE, { level: config.logLevel, format: config.logFormat });
  const shutdown = processShutdown(logger, config.shutdownTimeoutMs);
  const tracing = startTracing(SERVICE, config);
  const eventStore = connectEventStore(config.esdbConnectionString);
  const mongo = connectMongo(config.mongoUrl);
  const registry = createMetricsRegistry(SERVICE);
  const app = createShopApi({
    publisher: eventStoreInputPublisher(eventStore, config.inputStream),
    logger,
    registry,
    maxBodyBytes: config.maxBodyBytes,
    // Ready means "can accept shop data": MongoDB being down only makes the query routes answer 503.
    checks: { eventstore: eventStoreCheck(eventStore) },
    readStore: mongoReadStore(mongo.db),
    maxRequestWaitSeconds: config.maxRequestWaitSeconds,
    staticDir: STATIC_DIR,
  });
  const http = await listen(app, config.shopApiPort, '0.0.0.0', 'PORT');
  shutdown.register('stop accepting requests', () => http.close());
  shutdown.register('close connections', async () => {
    await eventStore.dispose();
    await mongo.client.close();
  });
  if (tracing) shutdown.register('export the last traces', () => tracing.shutdown());
  logger.info({ port: http.port, inputStream: config.inputStream }, 'shop-api listening');
});
