// How long the processors' load of one long order stream takes with and without its snapshot, as a process of
// its own (bench/snapshot-load.ts runs it against an embedded EventStoreDB; any store works):
// `npx tsx processing/host/snapshot-load-probe.ts ESDB_CONNECTION_STRING [EVENTS]` prints one JSON line.
import { v4 as uuidv4 } from 'uuid';
import { CURRENT_SCHEMA_VERSION, type DomainEvent } from '../../contracts/events/domain';
import { appendEvents, connectEventStore, type NewEvent } from '../../lib/eventstore';
import { createLogger } from '../../lib/logger';
import { evolve, initialState } from '../orders/state';
import { eventStoreAggregateStore, type AggregateStream } from './aggregate-store';
import { DEFAULT_SNAPSHOT_AFTER_EVENTS } from './snapshot-store';

const DEFAULT_EVENTS = 10_000;
const BATCH = 500;
const LOADS = 5;
/** Payment ids the long stream cycles over: the fold stays linear, so the figure is the load, not the fold. */
const PAYMENT_IDS = 10;
/** Distinct payments folded in memory to show how the order's fold grows with them. */
const DISTINCT_PAYMENTS = [1_000, 2_000] as const;
const AT = '2026-12-03T10:00:00.000Z';

const orderPlaced = (orderId: string): DomainEvent => ({
  type: 'OrderPlaced',
  data: {
    orderId,
    customer: { id: 'c-1', name: 'Ada', email: 'ada@example.com' },
    lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 1_000_000_000 }],
    currency: 'EUR',
    total: 1_000_000_000,
    placedAt: AT,
  },
});

const paymentApplied = (orderId: string, paymentId: string): DomainEvent => ({
  type: 'PaymentApplied',
  data: { orderId, paymentId, amount: 1, currency: 'EUR', appliedAt: AT },
});

function toNew(event: DomainEvent, index: number): NewEvent {
  const metadata = {
    $causationId: `in-${index}`,
    $correlationId: `r-${index}`,
    schemaVersion: CURRENT_SCHEMA_VERSION,
  };
  return { id: uuidv4(), type: event.type, data: { ...event.data }, metadata };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function foldMs(payments: number): number {
  const history = [
    orderPlaced('o-fold'),
    ...Array.from({ length: payments }, (_, i) => paymentApplied('o-fold', `p-${i}`)),
  ];
  const started = performance.now();
  history.reduce(evolve, initialState);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const [connectionString, eventsArg] = process.argv.slice(2);
  if (connectionString === undefined)
    throw new Error('usage: snapshot-load-probe ESDB_CONNECTION_STRING [EVENTS]');
  const events = Number(eventsArg ?? DEFAULT_EVENTS);
  const client = connectEventStore(connectionString);
  const logger = createLogger('snapshot-probe', { level: 'warn' });
  const orderId = `o-long-${uuidv4()}`;
  const route: AggregateStream<unknown> = {
    aggregate: 'order',
    stream: `order-${orderId}`,
    initialState,
    evolve,
  };
  const history = [orderPlaced(orderId)];
  for (let i = 1; i < events; i++) history.push(paymentApplied(orderId, `p-${i % PAYMENT_IDS}`));
  const append = async (from: number, to: number) => {
    for (let at = from; at < to; at += BATCH) {
      const batch = history.slice(at, Math.min(to, at + BATCH)).map((event, i) => toNew(event, at + i));
      await appendEvents(client, route.stream, batch, 'any');
    }
  };
  // The snapshot lies half a threshold behind the end, the average distance between snapshots being written.
  const snapshotAt = history.length - Math.floor(DEFAULT_SNAPSHOT_AFTER_EVENTS / 2);
  await append(0, snapshotAt);
  await eventStoreAggregateStore(client, { logger }).writeSnapshot(route.stream);
  await append(snapshotAt, history.length);
  const whole = eventStoreAggregateStore(client, { snapshotAfterEvents: 0, logger });
  const without: number[] = [];
  for (let i = 0; i < LOADS; i++) without.push(await timed(() => whole.loadState(route)));
  const cold = eventStoreAggregateStore(client, { logger });
  const coldMs = await timed(() => cold.loadState(route));
  const withSnapshot: number[] = [];
  for (let i = 0; i < LOADS; i++) withSnapshot.push(await timed(() => cold.loadState(route)));
  const loaded = await cold.loadState(route);
  if (loaded.snapshotRevision === undefined) throw new Error('the load did not use the snapshot');
  const [fewer, more] = DISTINCT_PAYMENTS.map(foldMs);
  await client.dispose();
  const figures = {
    events,
    tailEvents: Number(loaded.revision) - loaded.snapshotRevision,
    loadMsWithout: median(without),
    loadMsWith: median(withSnapshot),
    loadMsWithFirst: coldMs,
    ratio: median(without) / median(withSnapshot),
    foldMsFewerPayments: fewer,
    foldMsMorePayments: more,
    foldGrowth: (more ?? Number.NaN) / (fewer ?? Number.NaN),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`snapshot probe failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
