// A server in its own process for the crash test: `node --import tsx run-server.ts DIR` prints `{"port":N}`.
import { createLogger } from '../../../lib/logger';
import { startEventStore } from '..';

const dbDir = process.argv[2];
if (!dbDir) throw new Error('usage: run-server.ts DIR');
startEventStore({ port: 0, dbDir, logger: createLogger('eventstore', { level: 'warn' }) }).then(
  (server) => process.stdout.write(`${JSON.stringify({ port: server.port })}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
