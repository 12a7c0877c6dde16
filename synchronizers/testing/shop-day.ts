import {
  orderCancelled,
  orderPlaced,
  orderShipped,
  paymentRecorded,
  paymentRefunded,
  shipmentDelivered,
  shopDataParked,
  shopDataProcessed,
  shopDataReceived,
  shopDataRejected,
  type EventDraft,
} from './shop-events';

const at = (time: string): string => `2026-11-23T${time}.000Z`;

/**
 * A day in the shop, in `$all` order as the processors would write it: three orders in two currencies, split and
 * refunded payments, a cancellation with its saga refund, a shipment and delivery across midnight, a rejected
 * request, and a payment (p-3) that was parked because its order was not yet placed, then processed after a replay.
 */
export function shopDay(): EventDraft[] {
  const request = (n: number, applies: string, resultIds: string[], time: string): EventDraft[] => [
    shopDataReceived({ requestId: `r-${n}`, inputEventId: `in-${n}`, applies, receivedAt: at(time) }),
    shopDataProcessed({
      requestId: `r-${n}`,
      inputEventId: `in-${n}`,
      applies,
      resultIds,
      processedAt: at(time),
    }),
  ];
  return [
    ...request(1, 'Order', ['o-1'], '08:00:00'),
    orderPlaced({ orderId: 'o-1', placedAt: at('08:00:00') }),
    shopDataReceived({
      requestId: 'r-2',
      inputEventId: 'in-2',
      applies: 'Payment',
      receivedAt: at('08:01:00'),
    }),
    shopDataParked({ requestId: 'r-2', inputEventId: 'in-2', parkedAt: at('08:02:00') }),
    ...request(3, 'Order', ['o-2'], '09:00:00'),
    orderPlaced({
      orderId: 'o-2',
      customer: { id: 'c-2', name: 'Bob' },
      currency: 'USD',
      lines: [
        { sku: 'SKU-2', quantity: 1, unitPrice: 300 },
        { sku: 'SKU-3', quantity: 4, unitPrice: 1000 },
      ],
      placedAt: at('09:00:00'),
    }),
    paymentRecorded({ paymentId: 'p-1', orderId: 'o-1', amount: 1000, recordedAt: at('09:30:00') }),
    paymentRecorded({ paymentId: 'p-2', orderId: 'o-1', amount: 1500, recordedAt: at('10:00:00') }),
    shopDataProcessed({ requestId: 'r-2', inputEventId: 'in-2', applies: 'Payment', resultIds: ['p-3'] }),
    paymentRecorded({
      paymentId: 'p-3',
      orderId: 'o-2',
      amount: 4300,
      currency: 'USD',
      recordedAt: at('10:30:00'),
    }),
    shopDataReceived({ requestId: 'r-4', inputEventId: 'in-4', receivedAt: at('11:00:00') }),
    shopDataRejected({ requestId: 'r-4', inputEventId: 'in-4', reason: 'quantity must be positive' }),
    orderPlaced({ orderId: 'o-3', placedAt: at('12:00:00') }),
    paymentRefunded({ paymentId: 'p-1', orderId: 'o-1', amount: 300, refundedAt: at('13:00:00') }),
    orderCancelled({ orderId: 'o-2', currency: 'USD', total: 4300, cancelledAt: at('14:00:00') }),
    paymentRefunded({
      paymentId: 'p-3',
      orderId: 'o-2',
      amount: 4300,
      currency: 'USD',
      refundedAt: at('14:00:01'),
    }),
    paymentRecorded({ paymentId: 'p-4', orderId: 'o-1', amount: 300, recordedAt: at('15:00:00') }),
    orderShipped({ orderId: 'o-1', shippedAt: at('23:00:00') }),
    orderCancelled({ orderId: 'o-3', cancelledAt: '2026-11-24T07:00:00.000Z' }),
    shipmentDelivered({ orderId: 'o-1', deliveredAt: '2026-11-24T11:00:00.000Z' }),
  ];
}
