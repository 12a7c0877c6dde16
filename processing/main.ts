import { createAuthenticator, opsGuards } from '../lib/auth/authenticate';
import { loadServiceConfig, SERVICE_SETTINGS } from '../lib/config';
import { connectEventStore, eventStoreCheck } from '../lib/eventstore';
import { listen, opsApp } from '../lib/http';
import { createLogger } from '../lib/logger';
import { createMetricsRegistry } from '../lib/metrics';
import { connectMongo } from '../lib/mongo';
import { mongoKeyStore } from '../lib/personal-data/key-store';
import { processShutdown, runService } from '../lib/service';
import { startTracing } from '../lib/tracing';
import { startProcessor } from './host/processor';

const SERVICE = 'processing';

runService(SERVICE, async () => {
  const config = loadServiceConfig(SERVICE_SETTINGS.processing);
  const logger = createLogger(SERVICE, { level: config.logLevel, format: config.logFormat });
  const shutdown = processShutdown(logger, config.shutdownTimeoutMs);
  const tracing = startTracing(SERVICE, config);
  const client = connectEventStore(config.esdbConnectionString);
  const registry = createMetricsRegistry(SERVICE);
  const mongo = connectMongo(config.mongoUrl);
  const processor = startProcessor({
    client,
    logger,
    registry,
    inputStream: config.inputStream,
    group: config.processingGroup,
    maxRetryCount: config.maxRetryCount,
    waitWindowMs: config.waitWindowMs,
    refundsGroup: config.refundsGroup,
    snapshotAfterEvents: config.snapshotAfterEvents,
    keys: mongoKeyStore(mongo.client.db(config.keysDatabase), config.masterKey),
  });
  const http = await listen(
    opsApp(
      registry,
      { eventstore: eventStoreCheck(client) },
      opsGuards(createAuthenticator(config.auth), logger, config.host),
    ),
    config.processingPort,
    config.host,
    'PROCESSING_PORT',
  );
  shutdown.register('stop taking messages and settle in-flight ones', () => processor.stop());
  shutdown.register('stop ops server', () => http.close());
  shutdown.register('close event store connection', () => client.dispose());
  shutdown.register('close key store connection', () => mongo.client.close());
  if (tracing) shutdown.register('export the last traces', () => tracing.shutdown());
  logger.info(
    { port: http.port, inputStream: config.inputStream, group: config.processingGroup },
    'processing started',
  );
});
