import { createLogger } from '../lib/logger';
import { processShutdown } from '../lib/service';
import { DEVSTACK_USAGE, parseDevstackArgs, UsageError } from './devstack-args';
import { startEventStore } from './eventstore';
import { startMongoThread } from './mongo/server-thread';

const SHUTDOWN_DEADLINE_MS = 10_000;

function describeStartError(error: unknown, what: string, flag: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE')
    return `${what}: the port is already in use: stop the other server or pass ${flag} with a free port`;
  if (code === 'EACCES') return `${what}: not allowed to listen on that port or write the data directory`;
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}

async function main(): Promise<void> {
  const parsed = parseDevstackArgs(process.argv.slice(2));
  if (parsed === 'help') {
    process.stdout.write(DEVSTACK_USAGE + '\n');
    return;
  }
  const logger = createLogger('devstack');
  const shutdown = processShutdown(logger, SHUTDOWN_DEADLINE_MS);
  const eventstore = parsed.startEventStore
    ? await startEventStore({
        port: parsed.esdbPort,
        host: parsed.host,
        dbDir: parsed.esdbDir,
        runProjections: parsed.runProjections,
        startStandardProjections: parsed.startStandardProjections,
      }).catch((error: unknown) => {
        throw new UsageError(describeStartError(error, 'EventStoreDB', '--esdb-port'));
      })
    : undefined;
  if (eventstore) shutdown.register('stop EventStoreDB', () => eventstore.close());
  const mongo = parsed.startMongo
    ? await startMongoThread(
        { port: parsed.mongoPort, host: parsed.host, dbPath: parsed.mongoDbPath },
        (error) => {
          // A crashed server thread is a crashed server: the process goes down with it, as mongod would.
          logger.fatal({ err: error }, 'the MongoDB thread failed');
          process.exit(1);
        },
      ).catch((error: unknown) => {
        throw new UsageError(describeStartError(error, 'MongoDB', '--mongo-port'));
      })
    : undefined;
  if (mongo) shutdown.register('stop MongoDB', () => mongo.close());
  logger.info(
    {
      esdb: eventstore?.connectionString ?? 'not started',
      mongo: mongo?.url ?? 'not started',
      esdbDir: parsed.esdbDir ?? 'memory',
      mongoDbPath: parsed.mongoDbPath ?? 'memory',
      runProjections: parsed.runProjections,
      startStandardProjections: parsed.startStandardProjections,
    },
    'devstack ready',
  );
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`devstack: ${error.message}\n${DEVSTACK_USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`devstack: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
