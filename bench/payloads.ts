/** What the web UI posts for one order (`web/v1`), with a sender-chosen order id. */
export function orderPayload(orderId: string) {
  return {
    applies: 'Order',
    source: 'bench',
    profile: 'web/v1',
    action: 'place',
    orderId,
    customer: { id: 'c-bench', name: 'Bench Customer' },
    lines: [
      { sku: 'SKU-1', quantity: 2, unitPrice: '12.50' },
      { sku: 'SKU-2', quantity: 1, unitPrice: '3.00' },
    ],
    currency: 'EUR',
  };
}

export const INGEST_PATH = '/shop/api/v1';
