import { given } from '../testing/given-when-then';
import { NOW, ada, line, money, orderCancelled, orderPlaced, placeOrder } from '../testing/shop-fixtures';

describe('placing an order', () => {
  it('places a new order with its total in minor units', () => {
    given([])
      .when(placeOrder({ lines: [line('SKU-1', 2, '12.50'), line('SKU-2', 1, '3.00')] }))
      .thenEvents([
        {
          type: 'OrderPlaced',
          data: {
            orderId: 'o-1',
            customer: ada,
            lines: [line('SKU-1', 2, '12.50'), line('SKU-2', 1, '3.00')],
            currency: 'EUR',
            total: money('28.00'),
            placedAt: NOW,
          },
        },
      ]);
  });

  it('keeps the shipping address when one is given', () => {
    const shippingAddress = { line1: 'Hauptstr. 1', city: 'Berlin', postcode: '10115', country: 'DE' };
    given([])
      .when(placeOrder({ shippingAddress }))
      .thenEvents([orderPlaced({ shippingAddress }, NOW)]);
  });

  it('accepts free items (a price of zero)', () => {
    given([])
      .when(placeOrder({ lines: [line('GIFT', 1, '0.00')] }))
      .thenEvents([orderPlaced({ lines: [line('GIFT', 1, '0.00')] }, NOW)]);
  });

  it('places orders in a currency without decimals', () => {
    const lines = [line('SKU-1', 3, '1500', 'JPY')];
    given([])
      .when(placeOrder({ lines, currency: 'JPY' }))
      .thenEvents([orderPlaced({ lines, currency: 'JPY' }, NOW)]);
  });

  it('refuses an order without lines', () => {
    given([])
      .when(placeOrder({ lines: [] }))
      .thenRejected('an order needs at least one line');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a quantity of %p', (quantity) => {
    given([])
      .when(placeOrder({ lines: [line('SKU-1', 1, '1.00'), { sku: 'SKU-2', quantity, unitPrice: 100 }] }))
      .thenRejected(`lines[1].quantity must be a positive integer, got ${quantity}`);
  });

  it.each([-1, 0.5])('refuses a unit price of %p minor units', (unitPrice) => {
    given([])
      .when(placeOrder({ lines: [{ sku: 'SKU-1', quantity: 1, unitPrice }] }))
      .thenRejected(
        `lines[0].unitPrice must be a non-negative whole number of minor units, got ${unitPrice}`,
      );
  });

  it('refuses a currency we do not accept', () => {
    given([])
      .when(placeOrder({ currency: 'XYZ' }))
      .thenRejected('currency "XYZ" is not one we accept');
  });

  it('refuses a total beyond exact integer arithmetic', () => {
    given([])
      .when(placeOrder({ lines: [{ sku: 'SKU-1', quantity: 1_000_000, unitPrice: 9_007_199_254_740 }] }))
      .thenRejected('the total of order o-1 is too large');
  });

  it('does nothing when the same order is placed again with the same content', () => {
    given([orderPlaced()]).when(placeOrder()).thenNothing();
  });

  it('does nothing for the same content even when key order or absent optionals differ', () => {
    const placed = orderPlaced({ customer: { email: 'ada@example.com', name: 'Ada', id: 'c-1' } });
    given([placed])
      .when(placeOrder({ customer: { ...ada }, shippingAddress: undefined }))
      .thenNothing();
  });

  it('refuses placing an existing order again with different content', () => {
    given([orderPlaced()])
      .when(placeOrder({ lines: [line('SKU-1', 3, '12.50')] }))
      .thenRejected('order o-1 was already placed with different content');
    given([orderPlaced()])
      .when(placeOrder({ customer: { id: 'c-2', name: 'Bob' } }))
      .thenRejected('order o-1 was already placed with different content');
  });

  it('treats a repeat of a cancelled order with the same content as a no-op, not a new order', () => {
    given([orderPlaced(), orderCancelled()]).when(placeOrder()).thenNothing();
  });

  it('decides for the order in the command only', () => {
    given([orderPlaced({ orderId: 'o-2' })])
      .when(placeOrder())
      .thenEvents([orderPlaced({}, NOW)]);
  });
});
