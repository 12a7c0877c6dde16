import { v4 as uuidv4 } from 'uuid';
import { appendEvents } from '../../lib/eventstore';
import { SHOP_DATA_RECEIVED } from '../../contracts/events/requests';
import { http } from '../support/http-client';
import { eventually } from '../../lib/eventually';
import { INPUT_STREAM, startPipeline, type Pipeline } from '../support/pipeline';

// Messages another writer (or an older gateway) stored in the input stream: each must end `rejected` with a short
// reason, never retried until parked, never crash or wedge the processor.
const line = (i: number) => ({ sku: `SKU-${i}`, quantity: 1, unitPrice: '1.00' });
const order = (extra: Record<string, unknown>) => ({
  action: 'place',
  orderId: `o-${uuidv4()}`,
  customer: { id: 'c-1', name: 'Ada' },
  lines: [line(0)],
  currency: 'EUR',
  ...extra,
});
function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const HOSTILE: [string, string, string, Record<string, unknown>][] = [
  [
    'an order of 5,000 lines',
    'Order',
    'web/v1',
    order({ lines: Array.from({ length: 5000 }, (_, i) => line(i)) }),
  ],
  [
    'a unitPrice of 400,000 characters',
    'Order',
    'web/v1',
    order({ lines: [{ ...line(0), unitPrice: '9'.repeat(400_000) }] }),
  ],
  [
    'an ERP export of 20,000 items',
    'Order',
    'erp-export/v1',
    {
      ORDER_NO: 'o-erp-big',
      CUST_NO: 'c-2',
      CUST_NAME: 'Bob',
      CURRENCY: 'EUR',
      ITEMS: Array.from({ length: 20_000 }, (_, i) => `SKU-${i}x1@1.00`).join(';'),
    },
  ],
  [
    'an ERP item of 400,000 characters',
    'Order',
    'erp-export/v1',
    {
      ORDER_NO: 'o-erp-long',
      CUST_NO: 'c-2',
      CUST_NAME: 'Bob',
      CURRENCY: 'EUR',
      ITEMS: `SKU-1x1@${'9'.repeat(400_000)}`,
    },
  ],
  ['a customer nested 2,000 deep', 'Order', 'web/v1', order({ customer: deep(2000) })],
];

describe('hostile messages already in the input stream', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ maxRetryCount: 2 });
  });
  afterAll(() => pipeline.stop());

  it.each(HOSTILE)('%s ends rejected with a bounded reason', async (_name, applies, profile, payload) => {
    const requestId = uuidv4();
    await appendEvents(
      pipeline.client,
      INPUT_STREAM,
      [
        {
          id: requestId,
          type: SHOP_DATA_RECEIVED,
          data: payload,
          metadata: {
            applies,
            source: 'other-writer',
            profile,
            receivedAt: new Date().toISOString(),
            $correlationId: requestId,
          },
        },
      ],
      'any',
    );
    const status = await eventually(async () => {
      const reply = await http(pipeline.url, `/shop/api/v1/requests/${requestId}`);
      const body = reply.body as { status?: string; reason?: string };
      return body.status === 'rejected' || body.status === 'parked' ? body : undefined;
    }, 20_000);
    expect(status.status).toBe('rejected');
    expect(status.reason!.length).toBeLessThanOrEqual(300);
  });
});
