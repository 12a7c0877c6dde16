import { createAuthenticator, opsGuards } from '../lib/auth/authenticate';
import { loadServiceConfig, SERVICE_SETTINGS } from '../lib/config';
import { connectEventStore, eventStoreCheck } from '../lib/eventstore';
import { listen, opsApp } from '../lib/http';
import { createLogger } from '../lib/logger';
import { createMetricsRegistry } from '../lib/metrics';
import { connectMongo, mongoCheck } from '../lib/mongo';
import { processShutdown, runService } from '../lib/service';
import { startTracing } from '../lib/tracing';
import { startSynchronizers } from './host/synchronizers';

const SERVICE = 'synchronizers';

runService(SERVICE, async () => {
  const config = loadServiceConfig(SERVICE_SETTINGS.synchronizers);
  const logger = createLogger(SERVICE, { level: config.logLevel, format: config.logFormat });
  const shutdown = processShutdown(logger, config.shutdownTimeoutMs);
  const tracing = startTracing(SERVICE, config);
  const eventStore = connectEventStore(config.esdbConnectionString);
  const mongo = connectMongo(config.mongoUrl);
  const registry = createMetricsRegistry(SERVICE);
  const synchronizers = startSynchronizers({
    client: eventStore,
    db: mongo.db,
    logger,
    registry,
    readyLagEvents: config.readyLagEvents,
  });
  const http = await listen(
    opsApp(
      registry,
      {
        eventstore: eventStoreCheck(eventStore),
        mongo: mongoCheck(mongo.db),
        projections: () => synchronizers.readiness(),
      },
      opsGuards(createAuthenticator(config.auth), logger, config.host),
    ),
    config.synchronizersPort,
    config.host,
    'SYNCHRONIZERS_PORT',
  );
  shutdown.register('stop projecting (finish the batch, save its checkpoint)', () => synchronizers.stop());
  shutdown.register('stop ops server', () => http.close());
  shutdown.register('close connections', async () => {
    await eventStore.dispose();
    await mongo.client.close();
  });
  if (tracing) shutdown.register('export the last traces', () => tracing.shutdown());
  logger.info({ port: http.port, readModels: synchronizers.models }, 'synchronizers started');
});
