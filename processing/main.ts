import { loadConfig, SERVICE_SETTINGS } from '../lib/config';
import { connectEventStore, eventStoreCheck } from '../lib/eventstore';
import { listen, opsApp } from '../lib/http';
import { createLogger } from '../lib/logger';
import { createMetricsRegistry } from '../lib/metrics';
import { processShutdown, runService } from '../lib/service';
import { startTracing } from '../lib/tracing';
import { startProcessor } from './host/processor';

const SERVICE = 'processing';

runService(SERVICE, async () => {
  const config = loadConfig(SERVICE_SETTINGS.processing);
  const logger = createLogger(SERVICE, { level: config.logLevel, format: config.logFormat });
  const shutdown = processShutdown(logger, config.shutdownTimeoutMs);
  const tracing = startTracing(SERVICE, config);
  const client = connectEventStore(config.esdbConnectionString);
  const registry = createMetricsRegistry(SERVICE);
  const processor = startProcessor({
    client,
    logger,
    registry,
    inputStream: config.inputStream,
    group: config.processingGroup,
    maxRetryCount: config.maxRetryCount,
    waitWindowMs: config.waitWindowMs,
    refundsGroup: config.refundsGroup,
  });
  const http = await listen(
    opsApp(registry, { eventstore: eventStoreCheck(client) }),
    config.processingPort,
    '0.0.0.0',
    'PROCESSING_PORT',
  );
  shutdown.register('stop taking messages and settle in-flight ones', () => processor.stop());
  shutdown.register('stop ops server', () => http.close());
  shutdown.register('close event store connection', () => client.dispose());
  if (tracing) shutdown.register('export the last traces', () => tracing.shutdown());
  logger.info(
    { port: http.port, inputStream: config.inputStream, group: config.processingGroup },
    'processing started',
  );
});
