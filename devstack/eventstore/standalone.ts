// The server in its own process: `node --import tsx devstack/eventstore/standalone.ts DIR [PORT]` prints
// `{"port":N}` once listening. Used by the crash test and the benchmark (client and server on separate cores).
// Projections as EventStoreDB reads them from the environment: KURRENTDB_RUN_PROJECTIONS (default None) and
// KURRENTDB_START_STANDARD_PROJECTIONS (default false).
import { createLogger } from '../../lib/logger';
import { parseRunProjections, startEventStore } from '.';

const [dbDir, port] = process.argv.slice(2);
if (!dbDir) throw new Error('usage: standalone.ts DIR [PORT]');
const runProjectionsSetting = process.env.KURRENTDB_RUN_PROJECTIONS;
const runProjections = runProjectionsSetting ? parseRunProjections(runProjectionsSetting) : 'none';
if (!runProjections) throw new Error(`KURRENTDB_RUN_PROJECTIONS must be None, System or All`);
startEventStore({
  port: port ? Number(port) : 0,
  dbDir,
  runProjections,
  startStandardProjections: process.env.KURRENTDB_START_STANDARD_PROJECTIONS?.toLowerCase() === 'true',
  logger: createLogger('eventstore', { level: 'warn' }),
}).then(
  (server) => process.stdout.write(`${JSON.stringify({ port: server.port })}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
