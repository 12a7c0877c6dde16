import { CURRENT_SCHEMA_VERSION } from '../events/domain';
import {
  EARLIER,
  orderCancelled,
  orderPlaced,
  paymentRecorded,
} from '../../processing/testing/shop-fixtures';
import { UpcastError, tryUpcast, upcast } from './upcasters';

const orderPlacedV0 = {
  orderId: 'o-1',
  customerId: 'c-1',
  customerName: 'Ada',
  currency: 'EUR',
  lines: [
    { sku: 'SKU-1', qty: 2, price: '12.50' },
    { sku: 'SKU-2', qty: 1, price: '3.00' },
  ],
  total: '28.00',
  placedAt: EARLIER,
};

describe('loading events written by older releases', () => {
  it('loads an OrderPlaced v0 (flat customer, decimal-string prices) as today’s shape', () => {
    expect(upcast('OrderPlaced', orderPlacedV0, 0)).toEqual({
      type: 'OrderPlaced',
      data: {
        orderId: 'o-1',
        customer: { id: 'c-1', name: 'Ada' },
        lines: [
          { sku: 'SKU-1', quantity: 2, unitPrice: 1250 },
          { sku: 'SKU-2', quantity: 1, unitPrice: 300 },
        ],
        currency: 'EUR',
        total: 2800,
        placedAt: EARLIER,
      },
    });
  });

  it('falls back to the customer id for a v0 customer without a name', () => {
    const { customerName: _name, ...nameless } = orderPlacedV0;
    expect(upcast('OrderPlaced', nameless, 0)).toMatchObject({
      data: { customer: { id: 'c-1', name: 'c-1' } },
    });
  });

  it('passes event types whose shape did not change straight through', () => {
    expect(upcast('OrderCancelled', orderCancelled().data, 0)).toEqual(orderCancelled());
  });

  it('loads current events unchanged', () => {
    expect(CURRENT_SCHEMA_VERSION).toBe(1);
    expect(upcast('OrderPlaced', orderPlaced().data, 1)).toEqual(orderPlaced());
    expect(upcast('PaymentRecorded', paymentRecorded({ amount: '1.00' }).data, 1)).toEqual(
      paymentRecorded({ amount: '1.00' }),
    );
  });

  it('says why an event cannot be loaded', () => {
    expect(tryUpcast('OrderPlaced', { orderId: 'o-1' }, 0)).toMatchObject({ ok: false });
    expect(
      tryUpcast('OrderPlaced', { ...orderPlacedV0, lines: [{ sku: 'S', qty: 1, price: '1.234' }] }, 0),
    ).toEqual({
      ok: false,
      reason: 'lines[0].price: amount "1.234" has too many decimals: EUR allows at most 2 decimals',
    });
    expect(tryUpcast('ShopDataReceived', {}, 1)).toEqual({
      ok: false,
      reason: 'ShopDataReceived is not a domain event type',
    });
    expect(tryUpcast('OrderPlaced', orderPlaced().data, 2)).toEqual({
      ok: false,
      reason: 'written by a newer release (this one reads up to 1)',
    });
    expect(tryUpcast('OrderCancelled', 'text', 1)).toEqual({
      ok: false,
      reason: 'its data is not an object',
    });
  });

  it('throws an UpcastError from upcast, naming the event and version', () => {
    expect(() => upcast('OrderPlaced', { orderId: 'o-1' }, 0)).toThrow(UpcastError);
    expect(() => upcast('Nope', {}, 1)).toThrow(
      'cannot load Nope (schema version 1): Nope is not a domain event type',
    );
  });
});
