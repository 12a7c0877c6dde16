import { randomUUID } from 'node:crypto';
import { EventLog, type ProposedEvent } from '../devstack/eventstore';
import type { Logger } from '../lib/logger';

/** Domain events per order in the generated history: placed, paid, shipped, delivered. */
export const EVENTS_PER_ORDER = 4;
const ORDERS_IN_FLIGHT = 4096;
const DAYS = 30;
const DAY_MS = 86_400_000;
const HISTORY_START_MS = Date.UTC(2026, 0, 1);
const SKUS = 40;
const JSON_CONTENT = 'application/json';

function event(type: string, data: unknown, correlationId: string): ProposedEvent {
  const metadata = { $correlationId: correlationId, $causationId: randomUUID(), schemaVersion: 1 };
  return {
    id: randomUUID(),
    type,
    contentType: JSON_CONTENT,
    data: Buffer.from(JSON.stringify(data)),
    metadata: Buffer.from(JSON.stringify(metadata)),
  };
}

/** The domain events of one order's life, per stream, in the order processing would append them. */
export function orderLife(n: number, run: string): { stream: string; events: ProposedEvent[] }[] {
  const orderId = `o-${run}-${n}`;
  const at = (step: number) => new Date(HISTORY_START_MS + (n % DAYS) * DAY_MS + step * 60_000).toISOString();
  const quantity = (n % 3) + 1;
  const unitPrice = 1250 + (n % 7) * 100;
  const total = quantity * unitPrice;
  const correlation = randomUUID();
  const paymentId = `p-${run}-${n}`;
  const shipmentId = `s-${run}-${n}`;
  return [
    {
      stream: `order-${orderId}`,
      events: [
        event(
          'OrderPlaced',
          {
            orderId,
            customer: { id: `c-${n % 1000}`, name: `Customer ${n % 1000}` },
            lines: [{ sku: `SKU-${n % SKUS}`, quantity, unitPrice }],
            currency: 'EUR',
            total,
            placedAt: at(0),
          },
          correlation,
        ),
      ],
    },
    {
      stream: `payment-${paymentId}`,
      events: [
        event(
          'PaymentRecorded',
          { paymentId, orderId, amount: total, currency: 'EUR', method: 'card', recordedAt: at(1) },
          randomUUID(),
        ),
      ],
    },
    {
      stream: `shipping-${shipmentId}`,
      events: [
        event(
          'OrderShipped',
          { shipmentId, orderId, carrier: 'DHL', trackingNumber: `T${n}`, shippedAt: at(2) },
          randomUUID(),
        ),
        event('ShipmentDelivered', { shipmentId, orderId, deliveredAt: at(3) }, randomUUID()),
      ],
    },
  ];
}

/**
 * Writes a shop history of `events` domain events straight into an EventStoreDB data directory (the embedded
 * server's log), far faster than appending them over gRPC one order at a time. Without `$ce`/`$et` links, as on
 * a real EventStoreDB whose system projections are off (its default); the read models do not use them.
 */
export async function writeDomainHistory(dbDir: string, events: number, logger: Logger): Promise<number> {
  const log = await EventLog.open({ dbDir, logger, systemProjections: false });
  const orders = Math.ceil(events / EVENTS_PER_ORDER);
  const run = Date.now().toString(36);
  let next = 0;
  let written = 0;
  try {
    const worker = async () => {
      while (next < orders) {
        const n = next++;
        for (const { stream, events: batch } of orderLife(n, run)) {
          const result = await log.append(stream, 'any', batch);
          if (!result.ok) throw new Error(`history append to ${stream} failed: ${result.reason}`);
          written += batch.length;
        }
      }
    };
    await Promise.all(Array.from({ length: ORDERS_IN_FLIGHT }, worker));
  } finally {
    await log.close();
  }
  return written;
}
