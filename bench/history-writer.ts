// `node --import tsx bench/history-writer.ts DB_DIR EVENTS`: writes a generated shop history into an
// EventStoreDB data directory (see domain-history.ts) and prints how many events it wrote.
import { createLogger } from '../lib/logger';
import { writeDomainHistory } from './domain-history';

const [dbDir, count] = process.argv.slice(2);
if (dbDir === undefined || !Number.isInteger(Number(count))) {
  process.stderr.write('usage: history-writer.ts DB_DIR EVENTS\n');
  process.exit(2);
}
writeDomainHistory(dbDir, Number(count), createLogger('bench-history', { level: 'warn' })).then(
  (written) => process.stdout.write(`${JSON.stringify({ written })}\n`),
  (error: unknown) => {
    process.stderr.write(`history writer failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
