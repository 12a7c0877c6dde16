import { adapt } from './registry';

function erp(payload: unknown) {
  return adapt({ applies: 'Order', profile: 'erp-export/v1', requestId: 'req-1', payload });
}

const record = {
  ORDER_NO: 'o-9',
  CUST_NO: 'c-2',
  CUST_NAME: 'Bob',
  CURRENCY: 'EUR',
  ITEMS: 'SKU-1x2@12.50;SKU-2x1@3.00',
};

describe('the erp-export/v1 order profile', () => {
  it('turns the flat legacy record into PlaceOrder', () => {
    expect(erp(record)).toEqual({
      ok: true,
      command: {
        type: 'PlaceOrder',
        orderId: 'o-9',
        customer: { id: 'c-2', name: 'Bob' },
        lines: [
          { sku: 'SKU-1', quantity: 2, unitPrice: 1250 },
          { sku: 'SKU-2', quantity: 1, unitPrice: 300 },
        ],
        currency: 'EUR',
      },
    });
  });

  it('copes with ERP habits: numeric numbers, lower-case currency, spaces, a trailing semicolon, x in SKUs', () => {
    expect(
      erp({
        ...record,
        ORDER_NO: 1009,
        CUST_NO: 77,
        CURRENCY: ' eur ',
        ITEMS: ' BOX-XLx3@1.5 ; SKU-2x1@3; ',
      }),
    ).toEqual({
      ok: true,
      command: {
        type: 'PlaceOrder',
        orderId: '1009',
        customer: { id: '77', name: 'Bob' },
        lines: [
          { sku: 'BOX-XL', quantity: 3, unitPrice: 150 },
          { sku: 'SKU-2', quantity: 1, unitPrice: 300 },
        ],
        currency: 'EUR',
      },
    });
  });

  it('takes an email and a complete shipping address', () => {
    const shipped = {
      ...record,
      CUST_EMAIL: 'bob@example.com',
      SHIP_STREET: 'Main St 1',
      SHIP_CITY: 'Oslo',
      SHIP_ZIP: '0150',
      SHIP_COUNTRY: 'NO',
    };
    expect(erp(shipped)).toMatchObject({
      ok: true,
      command: {
        customer: { id: 'c-2', name: 'Bob', email: 'bob@example.com' },
        shippingAddress: { line1: 'Main St 1', city: 'Oslo', postcode: '0150', country: 'NO' },
      },
    });
  });

  it('turns a CANCELLED record into CancelOrder', () => {
    expect(erp({ ORDER_NO: 'o-9', STATUS: 'cancelled', CANCEL_REASON: 'customer called' })).toEqual({
      ok: true,
      command: { type: 'CancelOrder', orderId: 'o-9', reason: 'customer called' },
    });
  });

  it.each([
    [{ ...record, ITEMS: 'SKU-1x0@1.00' }, 'ITEMS[0] "SKU-1x0@1.00": quantity must be a positive integer'],
    [
      { ...record, ITEMS: 'SKU-1x2@1.00;SKU-2x-1@1.00' },
      'ITEMS[1] "SKU-2x-1@1.00": quantity must be a positive integer',
    ],
    [
      { ...record, ITEMS: 'SKU-1x1.5@1.00' },
      'ITEMS[0] "SKU-1x1.5@1.00": quantity must be a positive integer',
    ],
    [{ ...record, ITEMS: 'SKU-1@1.00' }, 'ITEMS[0] "SKU-1@1.00" must look like "SKU-1x2@12.50"'],
    [
      { ...record, ITEMS: 'SKU-1x2@1.005' },
      'ITEMS[0] "SKU-1x2@1.005": price "1.005" has too many decimals: EUR allows at most 2 decimals',
    ],
    [{ ...record, ITEMS: 'SKU-1x2@-1.00' }, 'ITEMS[0] "SKU-1x2@-1.00": price must not be negative'],
    [
      { ...record, ITEMS: 'SKU 1x2@1.00' },
      'ITEMS[0] "SKU 1x2@1.00": SKU may hold only letters, digits and . _ : -',
    ],
    [{ ...record, ITEMS: ';' }, 'ITEMS[0] "" must look like "SKU-1x2@12.50"'],
    [{ ...record, ITEMS: '' }, 'ITEMS must list at least one item like "SKU-1x2@12.50"'],
    [{ ...record, CURRENCY: 'EURO' }, 'CURRENCY must be a three-letter ISO 4217 code like "EUR"'],
    [{ ...record, CURRENCY: 'ABC' }, 'CURRENCY "ABC" is not a currency we accept'],
    [{ ...record, CUST_NAME: undefined }, 'CUST_NAME is required'],
    [{ ...record, ORDER_NO: undefined }, 'ORDER_NO is required'],
    [{ ...record, ORDER_NO: -3 }, 'ORDER_NO must be an id (letters, digits, . _ : -) or a whole number'],
    [
      { ...record, SHIP_CITY: 'Oslo' },
      'SHIP_STREET, SHIP_CITY, SHIP_ZIP and SHIP_COUNTRY must be given together',
    ],
    [{ ...record, STATUS: 'SHIPPED' }, 'STATUS must be "OPEN" or "CANCELLED"'],
    [[record], 'payload must be an object'],
  ])('refuses %j: %s', (payload, reason) => {
    expect(erp(payload)).toEqual({ ok: false, reason });
  });
});
