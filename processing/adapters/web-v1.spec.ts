import { adapt } from './registry';

const REQUEST_ID = 'req-1';

function web(applies: string, payload: unknown) {
  return adapt({ applies, profile: 'web/v1', requestId: REQUEST_ID, payload });
}

const place = {
  action: 'place',
  orderId: 'o-1',
  customer: { id: 'c-1', name: 'Ada', email: 'ada@example.com' },
  lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: '12.50' }],
  currency: 'EUR',
  shippingAddress: { line1: 'Hauptstr. 1', city: 'Berlin', postcode: '10115', country: 'DE' },
};

describe('the web/v1 profile: orders', () => {
  it('turns a place into PlaceOrder with prices in minor units', () => {
    expect(web('Order', place)).toEqual({
      ok: true,
      command: {
        type: 'PlaceOrder',
        orderId: 'o-1',
        customer: { id: 'c-1', name: 'Ada', email: 'ada@example.com' },
        lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1250 }],
        currency: 'EUR',
        shippingAddress: { line1: 'Hauptstr. 1', city: 'Berlin', postcode: '10115', country: 'DE' },
      },
    });
  });

  it('derives the order id from the requestId when the sender leaves it out', () => {
    const { orderId: _omitted, ...withoutId } = place;
    expect(web('Order', withoutId)).toMatchObject({ ok: true, command: { orderId: 'o-req-1' } });
  });

  it('accepts numeric prices, no email and no address', () => {
    const minimal = {
      action: 'place',
      customer: { id: 'c-1', name: 'Ada' },
      lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 9.99 }],
      currency: 'USD',
    };
    expect(web('Order', minimal)).toEqual({
      ok: true,
      command: {
        type: 'PlaceOrder',
        orderId: 'o-req-1',
        customer: { id: 'c-1', name: 'Ada' },
        lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 999 }],
        currency: 'USD',
      },
    });
  });

  it('turns a cancel into CancelOrder', () => {
    expect(web('Order', { action: 'cancel', orderId: 'o-1', reason: 'too slow' })).toEqual({
      ok: true,
      command: { type: 'CancelOrder', orderId: 'o-1', reason: 'too slow' },
    });
    expect(web('Order', { action: 'cancel', orderId: 'o-1' })).toEqual({
      ok: true,
      command: { type: 'CancelOrder', orderId: 'o-1', reason: '' },
    });
  });

  it.each([
    [
      { ...place, lines: [{ sku: 'SKU-1', quantity: 0, unitPrice: '1.00' }] },
      'lines[0].quantity must be a positive integer',
    ],
    [
      { ...place, lines: [{ sku: 'SKU-1', quantity: 1.5, unitPrice: '1.00' }] },
      'lines[0].quantity must be a positive integer',
    ],
    [
      { ...place, lines: [{ sku: 'SKU-1', quantity: '2', unitPrice: '1.00' }] },
      'lines[0].quantity must be a number',
    ],
    [{ ...place, lines: [] }, 'lines must hold at least one line'],
    [{ ...place, lines: undefined }, 'lines is required'],
    [
      { ...place, lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '1.234' }] },
      'lines[0].unitPrice "1.234" has too many decimals: EUR allows at most 2 decimals',
    ],
    [
      { ...place, lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 'cheap' }] },
      'lines[0].unitPrice "cheap" is not a decimal number like "12.50"',
    ],
    [
      { ...place, lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '-1.00' }] },
      'lines[0].unitPrice must not be negative',
    ],
    [
      { ...place, lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: true }] },
      'lines[0].unitPrice must be a decimal string like "12.50" (at most 40 characters) or a number',
    ],
    [{ ...place, currency: 'XYZ' }, 'currency "XYZ" is not a currency we accept'],
    [{ ...place, currency: 'euro' }, 'currency must be a three-letter ISO 4217 code like "EUR"'],
    [{ ...place, customer: { id: 'c-1' } }, 'customer.name is required'],
    [
      { ...place, customer: { id: 'c-1', name: 'Ada', email: 'nope' } },
      'customer.email must be an email address',
    ],
    [
      { ...place, orderId: '$all' },
      'orderId may hold only letters, digits and . _ : - (starting with a letter or digit)',
    ],
    [
      { ...place, orderId: 'o 1' },
      'orderId may hold only letters, digits and . _ : - (starting with a letter or digit)',
    ],
    [
      { ...place, shippingAddress: { line1: 'x', city: 'y', postcode: 'z', country: 'Germany' } },
      'shippingAddress.country must be a two-letter country code like "DE"',
    ],
    [{ orderId: 'o-1' }, 'action is required'],
    [{ ...place, action: 'order' }, 'action must be one of "place", "cancel"'],
    [{ action: 'cancel' }, 'orderId is required'],
    ['place', 'payload must be an object'],
    [null, 'payload must be an object'],
  ])('refuses %j: %s', (payload, reason) => {
    expect(web('Order', payload)).toEqual({ ok: false, reason });
  });

  it('names every bad field at once', () => {
    expect(
      web('Order', { action: 'place', lines: [{ sku: 'SKU-1', quantity: -1, unitPrice: '1' }] }),
    ).toEqual({
      ok: false,
      reason: 'customer is required; lines[0].quantity must be a positive integer; currency is required',
    });
  });
});

describe('the web/v1 profile: payments', () => {
  const pay = {
    action: 'pay',
    paymentId: 'p-1',
    orderId: 'o-1',
    amount: '25.00',
    currency: 'EUR',
    method: 'card',
  };

  it('turns a pay into RecordPayment in minor units', () => {
    expect(web('Payment', pay)).toEqual({
      ok: true,
      command: {
        type: 'RecordPayment',
        paymentId: 'p-1',
        orderId: 'o-1',
        amount: 2500,
        currency: 'EUR',
        method: 'card',
      },
    });
    expect(web('Payment', { ...pay, amount: 1000, currency: 'JPY' })).toMatchObject({
      ok: true,
      command: { amount: 1000, currency: 'JPY' },
    });
  });

  it('turns a refund into RefundPayment, converted later when no currency is named', () => {
    expect(web('Payment', { action: 'refund', paymentId: 'p-1', amount: '5.00', reason: 'damaged' })).toEqual(
      {
        ok: true,
        command: {
          type: 'RefundPayment',
          paymentId: 'p-1',
          amount: { major: '5.00' },
          reason: 'damaged',
          refundId: 'r-req-1',
        },
      },
    );
    expect(
      web('Payment', { action: 'refund', paymentId: 'p-1', refundId: 'rf-7', amount: 5, currency: 'EUR' }),
    ).toEqual({
      ok: true,
      command: {
        type: 'RefundPayment',
        paymentId: 'p-1',
        amount: { minor: 500 },
        reason: '',
        currency: 'EUR',
        refundId: 'rf-7',
      },
    });
  });

  it.each([
    [{ ...pay, amount: '25.001' }, 'amount "25.001" has too many decimals: EUR allows at most 2 decimals'],
    [{ ...pay, amount: 'lots' }, 'amount "lots" is not a decimal number like "12.50"'],
    [{ ...pay, amount: undefined }, 'amount is required'],
    [{ ...pay, method: '' }, 'method must not be empty'],
    [{ ...pay, paymentId: undefined, orderId: undefined }, 'paymentId is required; orderId is required'],
    [{ ...pay, action: 'charge' }, 'action must be one of "pay", "refund"'],
    [
      { action: 'refund', paymentId: 'p-1', amount: '1,00' },
      'amount "1,00" is not a decimal number like "12.50"',
    ],
    [
      { action: 'refund', paymentId: 'p-1', amount: '1.001', currency: 'EUR' },
      'amount "1.001" has too many decimals: EUR allows at most 2 decimals',
    ],
  ])('refuses %j: %s', (payload, reason) => {
    expect(web('Payment', payload)).toEqual({ ok: false, reason });
  });
});

describe('the web/v1 profile: shipping', () => {
  const ship = {
    action: 'ship',
    shipmentId: 's-1',
    orderId: 'o-1',
    carrier: 'DHL',
    trackingNumber: 'JD0001',
  };

  it('turns a ship into ShipOrder and a deliver into ConfirmDelivery', () => {
    expect(web('Shipping', ship)).toEqual({
      ok: true,
      command: {
        type: 'ShipOrder',
        shipmentId: 's-1',
        orderId: 'o-1',
        carrier: 'DHL',
        trackingNumber: 'JD0001',
      },
    });
    expect(web('Shipping', { action: 'deliver', shipmentId: 's-1' })).toEqual({
      ok: true,
      command: { type: 'ConfirmDelivery', shipmentId: 's-1' },
    });
  });

  it.each([
    [{ ...ship, carrier: undefined }, 'carrier is required'],
    [{ ...ship, trackingNumber: 42 }, 'trackingNumber must be a string'],
    [{ action: 'deliver' }, 'shipmentId is required'],
    [{ action: 'lose', shipmentId: 's-1' }, 'action must be one of "ship", "deliver"'],
  ])('refuses %j: %s', (payload, reason) => {
    expect(web('Shipping', payload)).toEqual({ ok: false, reason });
  });
});
