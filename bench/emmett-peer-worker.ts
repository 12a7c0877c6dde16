// The processing peer: Emmett's `CommandHandler` (read the order's stream → decide → append with the version
// read, retried on conflicts) on the same embedded EventStoreDB, for the input messages the processors drain.
// Reads every input message first, then handles them 16 at a time and prints `{ordersPerSec, cpuMsPerOrder}`.
// Run by bench/emmett-peer.ts as its own process (env ESDB_CONNECTION_STRING, INPUT_STREAM, MESSAGES).
import { EventStoreDBClient } from '@eventstore/db-client';

const CONCURRENCY = 16;
const WARM_SHARE = 0.1;

interface PlacePayload {
  readonly orderId: string;
  readonly customer: { readonly id: string; readonly name: string };
  readonly lines: readonly { readonly sku: string; readonly quantity: number; readonly unitPrice: string }[];
  readonly currency: string;
}

type OrderPlaced = {
  type: 'OrderPlaced';
  data: { orderId: string; customerId: string; total: number; currency: string; lineCount: number };
};

const cents = (price: string) => Math.round(Number(price) * 100);

async function main(): Promise<void> {
  const url = process.env.ESDB_CONNECTION_STRING ?? 'esdb://127.0.0.1:2113?tls=false';
  const stream = process.env.INPUT_STREAM ?? 'bench-input';
  const messages = Number(process.env.MESSAGES ?? '1000');
  // Emmett 0.20's CommonJS build does not load under require(); its ES modules do.
  const { CommandHandler } = await import('@event-driven-io/emmett');
  const { getEventStoreDBEventStore } = await import('@event-driven-io/emmett-esdb');
  const client = EventStoreDBClient.connectionString(url);
  const store = getEventStoreDBEventStore(client);
  const handle = CommandHandler<{ placed: boolean }, OrderPlaced>({
    evolve: (_state, event) => ({ placed: event.type === 'OrderPlaced' }),
    initialState: () => ({ placed: false }),
    mapToStreamId: (id) => `emmett-order-${id}`,
  });
  try {
    const inputs: PlacePayload[] = [];
    for await (const resolved of client.readStream(stream, { maxCount: messages })) {
      if (resolved.event) inputs.push(resolved.event.data as unknown as PlacePayload);
    }
    let next = 0;
    let done = 0;
    const warmAt = Math.ceil(inputs.length * WARM_SHARE);
    let warm: { at: number; cpu: NodeJS.CpuUsage } | undefined;
    const worker = async () => {
      while (next < inputs.length) {
        const input = inputs[next++]!;
        await handle(store, input.orderId, (state): OrderPlaced[] =>
          state.placed
            ? []
            : [
                {
                  type: 'OrderPlaced',
                  data: {
                    orderId: input.orderId,
                    customerId: input.customer.id,
                    total: input.lines.reduce((sum, line) => sum + line.quantity * cents(line.unitPrice), 0),
                    currency: input.currency,
                    lineCount: input.lines.length,
                  },
                },
              ],
        );
        done++;
        if (!warm && done >= warmAt) warm = { at: performance.now(), cpu: process.cpuUsage() };
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (!warm) throw new Error('no input messages to handle');
    const seconds = (performance.now() - warm.at) / 1000;
    const cpu = process.cpuUsage(warm.cpu);
    const counted = done - warmAt;
    process.stdout.write(
      `${JSON.stringify({
        orders: done,
        ordersPerSec: counted / seconds,
        cpuMsPerOrder: (cpu.user + cpu.system) / 1000 / counted,
      })}\n`,
    );
  } finally {
    await client.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`emmett peer failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
