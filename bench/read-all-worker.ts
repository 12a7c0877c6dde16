// The rebuild's baseline: the same history read once from the start of `$all` through the official client, from
// a process of its own against the same devstack process, nothing done with the events but decoding them.
// Prints `{events, eventsPerSec, cpuMs}` (cpuMs: this process, all threads); stops after LIMIT_MS (env ESDB_CONNECTION_STRING, LIMIT_MS).
import { START } from '@eventstore/db-client';
import { connectEventStore } from '../lib/eventstore';

async function main(): Promise<void> {
  const client = connectEventStore(process.env.ESDB_CONNECTION_STRING ?? 'esdb://127.0.0.1:2113?tls=false');
  const limitMs = Number(process.env.LIMIT_MS ?? '60000');
  let events = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const read = client.readAll({ fromPosition: START });
  try {
    for await (const resolved of read) {
      // The rebuild skips system events too, but decodes them on the way.
      if (resolved.event) events++;
      if (performance.now() - started > limitMs) {
        await read.cancel();
        break;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    process.stdout.write(`${JSON.stringify({ events, eventsPerSec: events / seconds, cpuMs })}\n`);
  } finally {
    await client.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`read failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
