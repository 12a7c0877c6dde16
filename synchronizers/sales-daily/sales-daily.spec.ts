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
  shopDataReceived,
} from '../testing/shop-events';
import type { SalesDayDocument } from '../../contracts/read-models/sales-daily';
import { salesDailyProjection } from './sales-daily-projection';

const given = givenModel(salesDailyProjection);

const quietDay = (day: string, currency = 'EUR'): Expected<SalesDayDocument> => ({
  _id: `${day}:${currency}`,
  day,
  currency,
  ordersPlaced: 0,
  ordersCancelled: 0,
  revenuePlaced: '0',
  revenuePaid: '0',
  revenueRefunded: '0',
  unitsBySku: {},
});

describe('sales_daily read model', () => {
  it('counts a placed order, its revenue and its units on the day it was placed', () => {
    given(orderPlaced()).then({
      ...quietDay('2026-11-23'),
      ordersPlaced: 1,
      revenuePlaced: '2500',
      unitsBySku: { 'SKU-1': 2 },
    });
  });

  it('adds up the orders of one day and currency, units per SKU', () => {
    given(
      orderPlaced(),
      orderPlaced({
        orderId: 'o-2',
        lines: [
          { sku: 'SKU-2', quantity: 1, unitPrice: 300 },
          { sku: 'SKU-1', quantity: 3, unitPrice: 1250 },
        ],
        placedAt: '2026-11-23T18:00:00.000Z',
      }),
    ).then({
      ...quietDay('2026-11-23'),
      ordersPlaced: 2,
      revenuePlaced: '6550',
      unitsBySku: { 'SKU-1': 5, 'SKU-2': 1 },
    });
  });

  it('keeps currencies apart', () => {
    given(orderPlaced(), orderPlaced({ orderId: 'o-2', currency: 'USD' })).then(
      { ...quietDay('2026-11-23'), ordersPlaced: 1, revenuePlaced: '2500', unitsBySku: { 'SKU-1': 2 } },
      {
        ...quietDay('2026-11-23', 'USD'),
        ordersPlaced: 1,
        revenuePlaced: '2500',
        unitsBySku: { 'SKU-1': 2 },
      },
    );
  });

  it('counts by the UTC day, whatever offset the time was written with', () => {
    given(orderPlaced({ placedAt: '2026-11-24T00:30:00+01:00' })).then({
      ...quietDay('2026-11-23'),
      ordersPlaced: 1,
      revenuePlaced: '2500',
      unitsBySku: { 'SKU-1': 2 },
    });
  });

  it('counts payments and refunds on their own days', () => {
    given(
      orderPlaced(),
      paymentRecorded({ recordedAt: '2026-11-23T23:59:59.999Z' }),
      paymentRefunded({ amount: 700, refundedAt: '2026-11-24T00:00:00.000Z' }),
    ).then(
      {
        ...quietDay('2026-11-23'),
        ordersPlaced: 1,
        revenuePlaced: '2500',
        revenuePaid: '2500',
        unitsBySku: { 'SKU-1': 2 },
      },
      { ...quietDay('2026-11-24'), revenueRefunded: '700' },
    );
  });

  it('counts a cancellation on the day it was cancelled, leaving the placed figures of the placing day', () => {
    given(orderPlaced(), orderCancelled({ cancelledAt: '2026-11-25T08:00:00.000Z' })).then(
      { ...quietDay('2026-11-23'), ordersPlaced: 1, revenuePlaced: '2500', unitsBySku: { 'SKU-1': 2 } },
      { ...quietDay('2026-11-25'), ordersCancelled: 1 },
    );
  });

  it('counts a cancellation in the currency the cancelled order was placed in', () => {
    given(orderCancelled({ currency: 'GBP', total: 999 })).then({
      ...quietDay('2026-11-23', 'GBP'),
      ordersCancelled: 1,
    });
  });

  it('counts every refund of a payment, each once', () => {
    given(
      paymentRefunded({ amount: 100, refundedAt: '2026-11-23T12:00:00.000Z' }),
      paymentRefunded({ amount: 100, refundedAt: '2026-11-23T13:00:00.000Z' }),
      paymentRefunded({ paymentId: 'p-2', amount: 250, refundedAt: '2026-11-23T14:00:00.000Z' }),
    ).then({ ...quietDay('2026-11-23'), revenueRefunded: '450' });
  });

  it('counts a SKU named like an object property as a SKU', () => {
    const scenario = given(orderPlaced({ lines: [{ sku: '__proto__', quantity: 4, unitPrice: 100 }] }));
    scenario.thenIncludes('2026-11-23:EUR', { ordersPlaced: 1 });
    const units = scenario.documents.get('2026-11-23:EUR')!.unitsBySku;
    expect(Object.getOwnPropertyDescriptor(units, '__proto__')?.value).toBe(4);
    expect(Object.getPrototypeOf(units)).toBe(Object.prototype);
  });

  it('ignores shipping, requests and anything else outside its concern', () => {
    const events = history(orderShipped(), shipmentDelivered(), shopDataReceived(), {
      type: 'Unrelated',
      streamId: 'x-1',
      data: {},
    });
    expect(events.map((event) => salesDailyProjection.keysOf(event))).toEqual([[], [], [], []]);
    expect(projectBatch(salesDailyProjection, new Map(), events).changed.size).toBe(0);
  });

  it('counts nothing twice when a batch is delivered again', () => {
    const events = history(orderPlaced(), paymentRecorded(), paymentRefunded());
    const first = projectBatch(salesDailyProjection, new Map(), events);
    const again = projectBatch(salesDailyProjection, first.changed, events);
    expect(again).toMatchObject({ applied: 0, skipped: 3 });
    expect(again.changed.size).toBe(0);
  });

  it('refuses an event that breaks its contract instead of miscounting', () => {
    const [badAmount] = history({
      ...paymentRecorded(),
      data: { ...(paymentRecorded().data as object), amount: 1.5 },
    });
    expect(() => salesDailyProjection.keysOf(badAmount!)).toThrow(MalformedEventError);
    const [badTime] = history(orderPlaced({ placedAt: 'not a time' }));
    expect(() => salesDailyProjection.keysOf(badTime!)).toThrow(MalformedEventError);
  });

  it('declares a unique index by day and currency for the sales report', () => {
    expect(salesDailyProjection.indexes).toEqual([
      { key: { day: 1, currency: 1 }, unique: true, name: 'day_currency' },
    ]);
    expect(salesDailyProjection.eventTypes).toEqual([
      'OrderPlaced',
      'OrderCancelled',
      'PaymentRecorded',
      'PaymentRefunded',
    ]);
  });
});
