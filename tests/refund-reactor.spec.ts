import { countEventsByType } from './support/event-counts';
import { http, postJson } from './support/http-client';
import { eventually } from '../lib/eventually';
import { startPipeline, type Pipeline } from './support/pipeline';

const API = '/shop/api/v1';
const web = (applies: string, payload: Record<string, unknown>) => ({
  applies,
  source: 'web',
  profile: 'web/v1',
  ...payload,
});

async function settle(pipeline: Pipeline, body: Record<string, unknown>): Promise<string> {
  const reply = await postJson(pipeline.url, API, body);
  const status = await http(pipeline.url, `${reply.headers.get('location') ?? ''}?wait=20`);
  return (status.body as { status: string }).status;
}

describe('the refund of a cancelled order', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ processors: 1 });
  });
  afterAll(() => pipeline.stop());

  it('is made once a processor runs again, when the order was cancelled while no refund reactor ran', async () => {
    const order = {
      action: 'place',
      orderId: 'o-refund',
      customer: { id: 'c-1', name: 'Ada' },
      lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '40.00' }],
      currency: 'EUR',
    };
    expect(await settle(pipeline, web('Order', order))).toBe('processed');
    for (const [paymentId, amount] of [
      ['p-r1', '15.00'],
      ['p-r2', '25.00'],
    ] as const) {
      const pay = { action: 'pay', paymentId, orderId: 'o-refund', amount, currency: 'EUR', method: 'card' };
      expect(await settle(pipeline, web('Payment', pay))).toBe('processed');
    }
    const [running] = pipeline.processors;
    await running?.refunds.stop();
    expect(await settle(pipeline, web('Order', { action: 'cancel', orderId: 'o-refund', reason: 'x' }))).toBe(
      'processed',
    );
    // The cancellation decided both refunds on the order; nothing carried them to the payments yet.
    expect((await countEventsByType(pipeline.client)).PaymentRefunded ?? 0).toBe(0);
    await running?.stop();

    pipeline.addProcessor();
    pipeline.addProcessor();
    const refunded = await eventually(async () => {
      const reply = await http(pipeline.url, `${API}/orders/o-refund`);
      const body = reply.body as { status: string; refunded: string };
      return body.refunded === '40.00' ? body : undefined;
    }, 20_000);
    expect(refunded.status).toBe('Cancelled');
    const counts = await countEventsByType(pipeline.client);
    expect([counts.RefundApplied, counts.PaymentRefunded]).toEqual([2, 2]);
  });
});
