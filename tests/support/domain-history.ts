import { jsonEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { v4 as uuidv4 } from 'uuid';

const meta = () => ({ $correlationId: uuidv4(), $causationId: uuidv4(), schemaVersion: 1 });

/**
 * Appends a shop's worth of domain events straight to the aggregate streams, as processors would have:
 * `orders` orders, each paid in two parts, every third one cancelled, every fifth one shipped.
 */
export async function appendShopHistory(
  client: EventStoreDBClient,
  orders: number,
  prefix = 'h',
): Promise<void> {
  const at = new Date('2026-11-20T10:00:00Z').getTime();
  for (let i = 0; i < orders; i++) {
    const orderId = `${prefix}-${i}`;
    const placedAt = new Date(at + i * 60_000).toISOString();
    const currency = i % 4 === 0 ? 'USD' : 'EUR';
    await client.appendToStream(`order-${orderId}`, [
      jsonEvent({
        type: 'OrderPlaced',
        data: {
          orderId,
          customer: { id: `c-${i % 7}`, name: `Customer ${i % 7}` },
          lines: [{ sku: `SKU-${i % 5}`, quantity: 1 + (i % 3), unitPrice: 1000 }],
          currency,
          total: 1000 * (1 + (i % 3)),
          placedAt,
        },
        metadata: meta(),
      }),
    ]);
    await client.appendToStream(`payment-${orderId}-a`, [
      jsonEvent({
        type: 'PaymentRecorded',
        data: {
          paymentId: `${orderId}-a`,
          orderId,
          amount: 500,
          currency,
          method: 'card',
          recordedAt: placedAt,
        },
        metadata: meta(),
      }),
    ]);
    if (i % 3 === 0) {
      await client.appendToStream(`order-${orderId}`, [
        jsonEvent({
          type: 'OrderCancelled',
          data: {
            orderId,
            reason: 'changed mind',
            currency,
            total: 1000 * (1 + (i % 3)),
            cancelledAt: placedAt,
          },
          metadata: meta(),
        }),
      ]);
    } else if (i % 5 === 0) {
      await client.appendToStream(`payment-${orderId}-b`, [
        jsonEvent({
          type: 'PaymentRecorded',
          data: {
            paymentId: `${orderId}-b`,
            orderId,
            amount: 1000 * (1 + (i % 3)) - 500,
            currency,
            method: 'card',
            recordedAt: placedAt,
          },
          metadata: meta(),
        }),
      ]);
      await client.appendToStream(`shipping-${orderId}`, [
        jsonEvent({
          type: 'OrderShipped',
          data: {
            shipmentId: `s-${orderId}`,
            orderId,
            carrier: 'DHL',
            trackingNumber: `T${i}`,
            shippedAt: placedAt,
          },
          metadata: meta(),
        }),
      ]);
    }
  }
}
