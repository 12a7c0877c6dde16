import { MalformedEventError } from '../event-data';
import { projectBatch } from '../projection';
import { given as givenModel, type Expected } from '../testing/scenario';
import {
  history,
  orderCancelled,
  orderPlaced,
  orderShipped,
  paymentRecorded,
  paymentRefunded,
  shipmentDelivered,
  shopDataProcessed,
  shopDataReceived,
} from '../testing/shop-events';
import type { OrderDocument } from '../../contracts/read-models/orders';
import { ordersProjection } from './orders-projection';

const given = givenModel(ordersProjection);

/** Order o-1 as placed by Ada: 2 × SKU-1 at 12.50 EUR. */
const placed: Expected<OrderDocument> = {
  _id: 'o-1',
  status: 'Placed',
  customer: { id: 'c-1', name: 'Ada', email: 'ada@example.com' },
  lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1250 }],
  currency: 'EUR',
  total: 2500,
  paid: 0,
  refunded: 0,
  payments: [],
  refunds: [],
  shipment: null,
  placedAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
};
const cardPayment = (amount: number, refunded = 0) => ({
  paymentId: 'p-1',
  amount,
  refunded,
  method: 'card',
  recordedAt: '2026-11-23T10:05:00.000Z',
});
const shipment = {
  shipmentId: 's-1',
  carrier: 'DHL',
  trackingNumber: 'TRK-1',
  shippedAt: '2026-11-24T08:00:00.000Z',
};

describe('orders read model', () => {
  it('shows a placed order with its customer, lines and total', () => {
    given(orderPlaced()).then(placed);
  });

  it('keeps an order without email or with several lines as placed', () => {
    given(
      orderPlaced({
        orderId: 'o-9',
        customer: { id: 'c-2', name: 'Bob' },
        lines: [
          { sku: 'SKU-1', quantity: 2, unitPrice: 1250 },
          { sku: 'SKU-2', quantity: 1, unitPrice: 300 },
        ],
        placedAt: '2026-11-23T09:00:00+01:00',
      }),
    ).then({
      ...placed,
      _id: 'o-9',
      customer: { id: 'c-2', name: 'Bob' },
      lines: [
        { sku: 'SKU-1', quantity: 2, unitPrice: 1250 },
        { sku: 'SKU-2', quantity: 1, unitPrice: 300 },
      ],
      total: 2800,
      placedAt: '2026-11-23T09:00:00+01:00',
      updatedAt: '2026-11-23T09:00:00+01:00',
    });
  });

  it('is PartiallyPaid while payments cover part of the total', () => {
    given(orderPlaced(), paymentRecorded({ amount: 1000 })).then({
      ...placed,
      status: 'PartiallyPaid',
      paid: 1000,
      payments: [cardPayment(1000)],
      updatedAt: '2026-11-23T10:05:00.000Z',
    });
  });

  it('is Paid once payments cover the total, across several payments', () => {
    given(
      orderPlaced(),
      paymentRecorded({ amount: 1000 }),
      paymentRecorded({
        paymentId: 'p-2',
        amount: 1500,
        method: 'paypal',
        recordedAt: '2026-11-23T10:06:00.000Z',
      }),
    ).then({
      ...placed,
      status: 'Paid',
      paid: 2500,
      payments: [
        cardPayment(1000),
        {
          paymentId: 'p-2',
          amount: 1500,
          refunded: 0,
          method: 'paypal',
          recordedAt: '2026-11-23T10:06:00.000Z',
        },
      ],
      updatedAt: '2026-11-23T10:06:00.000Z',
    });
  });

  it('goes back to PartiallyPaid when part of a payment of an unshipped order is refunded', () => {
    given(orderPlaced(), paymentRecorded(), paymentRefunded({ amount: 500 })).then({
      ...placed,
      status: 'PartiallyPaid',
      paid: 2500,
      refunded: 500,
      payments: [cardPayment(2500, 500)],
      refunds: [
        { paymentId: 'p-1', amount: 500, reason: 'damaged item', refundedAt: '2026-11-23T12:00:00.000Z' },
      ],
      updatedAt: '2026-11-23T12:00:00.000Z',
    });
  });

  it('goes back to Placed when everything paid is refunded, counting each partial refund', () => {
    given(
      orderPlaced(),
      paymentRecorded(),
      paymentRefunded({ amount: 1000, refundedAt: '2026-11-23T12:00:00.000Z' }),
      paymentRefunded({ amount: 1500, refundedAt: '2026-11-23T13:00:00.000Z' }),
    ).then({
      ...placed,
      status: 'Placed',
      paid: 2500,
      refunded: 2500,
      payments: [cardPayment(2500, 2500)],
      refunds: [
        { paymentId: 'p-1', amount: 1000, reason: 'damaged item', refundedAt: '2026-11-23T12:00:00.000Z' },
        { paymentId: 'p-1', amount: 1500, reason: 'damaged item', refundedAt: '2026-11-23T13:00:00.000Z' },
      ],
      updatedAt: '2026-11-23T13:00:00.000Z',
    });
  });

  it('is Shipped with the carrier and tracking number once shipped', () => {
    given(orderPlaced(), paymentRecorded(), orderShipped()).then({
      ...placed,
      status: 'Shipped',
      paid: 2500,
      payments: [cardPayment(2500)],
      shipment,
      updatedAt: '2026-11-24T08:00:00.000Z',
    });
  });

  it('stays Shipped when a shipped order is partly refunded', () => {
    given(
      orderPlaced(),
      paymentRecorded(),
      orderShipped(),
      paymentRefunded({ refundedAt: '2026-11-24T09:00:00Z' }),
    ).thenIncludes('o-1', {
      status: 'Shipped',
      paid: 2500,
      refunded: 500,
      updatedAt: '2026-11-24T09:00:00Z',
    });
  });

  it('is Delivered with the delivery time once the shipment is delivered', () => {
    given(orderPlaced(), paymentRecorded(), orderShipped(), shipmentDelivered()).then({
      ...placed,
      status: 'Delivered',
      paid: 2500,
      payments: [cardPayment(2500)],
      shipment: { ...shipment, deliveredAt: '2026-11-25T15:00:00.000Z' },
      updatedAt: '2026-11-25T15:00:00.000Z',
    });
  });

  it('ignores the delivery of another shipment', () => {
    given(
      orderPlaced(),
      paymentRecorded(),
      orderShipped(),
      shipmentDelivered({ shipmentId: 's-2' }),
    ).thenIncludes('o-1', { status: 'Shipped', shipment, updatedAt: '2026-11-24T08:00:00.000Z' });
  });

  it('is Cancelled with the time and reason when cancelled before payment', () => {
    given(orderPlaced(), orderCancelled()).then({
      ...placed,
      status: 'Cancelled',
      updatedAt: '2026-11-23T11:00:00.000Z',
      cancelledAt: '2026-11-23T11:00:00.000Z',
      cancelReason: 'customer changed their mind',
    });
  });

  it('stays Cancelled while the payments of a cancelled paid order are refunded', () => {
    given(
      orderPlaced(),
      paymentRecorded(),
      orderCancelled(),
      paymentRefunded({ amount: 2500, reason: 'order cancelled', refundedAt: '2026-11-23T11:00:01.000Z' }),
    ).then({
      ...placed,
      status: 'Cancelled',
      paid: 2500,
      refunded: 2500,
      payments: [cardPayment(2500, 2500)],
      refunds: [
        { paymentId: 'p-1', amount: 2500, reason: 'order cancelled', refundedAt: '2026-11-23T11:00:01.000Z' },
      ],
      updatedAt: '2026-11-23T11:00:01.000Z',
      cancelledAt: '2026-11-23T11:00:00.000Z',
      cancelReason: 'customer changed their mind',
    });
  });

  it('ignores a cancellation of an order already shipped', () => {
    const scenario = given(orderPlaced(), paymentRecorded(), orderShipped(), orderCancelled());
    scenario.thenIncludes('o-1', { status: 'Shipped', updatedAt: '2026-11-24T08:00:00.000Z' });
    expect(scenario.documents.get('o-1')).not.toHaveProperty('cancelledAt');
  });

  it('keeps the first shipment, delivery and cancellation when one comes twice', () => {
    given(
      orderPlaced(),
      orderCancelled(),
      orderCancelled({ reason: 'again', cancelledAt: '2026-11-23T12:00:00.000Z' }),
    ).thenIncludes('o-1', {
      cancelReason: 'customer changed their mind',
      cancelledAt: '2026-11-23T11:00:00.000Z',
    });
    given(
      orderPlaced(),
      paymentRecorded(),
      orderShipped(),
      orderShipped({ shipmentId: 's-2', carrier: 'UPS' }),
      shipmentDelivered(),
      shipmentDelivered({ deliveredAt: '2026-11-26T15:00:00.000Z' }),
    ).thenIncludes('o-1', {
      status: 'Delivered',
      shipment: { ...shipment, deliveredAt: '2026-11-25T15:00:00.000Z' },
      updatedAt: '2026-11-25T15:00:00.000Z',
    });
  });

  it('keeps the first placement when an order is placed twice', () => {
    given(orderPlaced(), orderPlaced({ customer: { id: 'c-2', name: 'Bob' } })).then(placed);
  });

  it('counts a payment recorded twice under one payment id once', () => {
    given(orderPlaced(), paymentRecorded({ amount: 1000 }), paymentRecorded({ amount: 1000 })).then({
      ...placed,
      status: 'PartiallyPaid',
      paid: 1000,
      payments: [cardPayment(1000)],
      updatedAt: '2026-11-23T10:05:00.000Z',
    });
  });

  it('makes no document from payments, shipments or cancellations of an order it never saw placed', () => {
    given(
      paymentRecorded(),
      paymentRefunded(),
      orderShipped(),
      shipmentDelivered(),
      orderCancelled(),
    ).thenNoDocument();
  });

  it('keeps orders apart', () => {
    const scenario = given(
      orderPlaced(),
      orderPlaced({ orderId: 'o-2', placedAt: '2026-11-23T10:30:00.000Z' }),
      paymentRecorded({ paymentId: 'p-2', orderId: 'o-2' }),
    );
    scenario.thenIncludes('o-2', { status: 'Paid' });
    expect([...scenario.documents.values()].map((doc) => [doc._id, doc.status])).toEqual([
      ['o-1', 'Placed'],
      ['o-2', 'Paid'],
    ]);
    expect(scenario.documents.get('o-1')?._position).toBe(scenario.events[0]?.position);
    expect(scenario.documents.get('o-2')?._position).toBe(scenario.events[2]?.position);
  });

  it('ignores events outside its concern', () => {
    const events = history(shopDataReceived(), shopDataProcessed(), {
      type: 'Unrelated',
      streamId: 'x-1',
      data: {},
    });
    expect(events.map((event) => ordersProjection.keysOf(event))).toEqual([[], [], []]);
    expect(projectBatch(ordersProjection, new Map(), events).changed.size).toBe(0);
  });

  it('refuses an event that breaks its contract: nothing of it is applied, the batch reports it', () => {
    const [event] = history({ ...orderPlaced(), data: { orderId: 'o-1', total: '25.00' } });
    const result = projectBatch(ordersProjection, new Map(), [event!]);
    expect(result.changed.size).toBe(0);
    expect(result.poisoned).toEqual([
      { event: expect.objectContaining({ eventId: event!.eventId }), error: expect.any(MalformedEventError) },
    ]);
    const [noId] = history({ ...paymentRecorded(), data: { amount: 100 } });
    expect(() => ordersProjection.keysOf(noId!)).toThrow(MalformedEventError);
  });

  it('declares the indexes the order list pages by: status, customer, newest first', () => {
    expect(ordersProjection.indexes.map((index) => index.key)).toEqual([
      { placedAt: -1, _id: -1 },
      { status: 1, placedAt: -1, _id: -1 },
      { 'customer.id': 1, placedAt: -1, _id: -1 },
    ]);
    expect(ordersProjection.eventTypes).toEqual([
      'OrderPlaced',
      'OrderCancelled',
      'PaymentRecorded',
      'PaymentRefunded',
      'OrderShipped',
      'ShipmentDelivered',
    ]);
  });
});
