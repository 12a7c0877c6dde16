// The server in its own process: `node --import tsx devstack/eventstore/standalone.ts DIR [PORT]` prints
// `{"port":N}` once listening. Used by the crash test and the benchmark (client and server on separate cores).
import { createLogger } from '../../lib/logger';
import { startEventStore } from '.';

const [dbDir, port] = process.argv.slice(2);
if (!dbDir) throw new Error('usage: standalone.ts DIR [PORT]');
startEventStore({
  port: port ? Number(port) : 0,
  dbDir,
  systemProjections: process.env.ESDB_SYSTEM_PROJECTIONS !== 'false',
  logger: createLogger('eventstore', { level: 'warn' }),
}).then(
  (server) => process.stdout.write(`${JSON.stringify({ port: server.port })}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
