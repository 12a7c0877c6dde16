// Runs the embedded-server benchmarks in their own process (they start the servers in-process and hold 1M
// documents) and prints one JSON line: `node --import tsx bench/devstack-worker.ts [--quick]`.
import { benchEventStore } from './devstack-eventstore';
import { benchMongo } from './devstack-mongo';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const eventstore = await benchEventStore({ quick });
  const mongo = await benchMongo({ quick });
  process.stdout.write(`${JSON.stringify({ ...eventstore, ...mongo })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`devstack bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
