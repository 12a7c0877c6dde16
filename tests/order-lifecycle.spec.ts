import { http, postJson } from './support/http-client';
import { eventually } from '../lib/eventually';
import { startPipeline, type Pipeline } from './support/pipeline';

const API = '/shop/api/v1';

function send(pipeline: Pipeline, applies: string, payload: Record<string, unknown>, profile = 'web/v1') {
  return postJson(pipeline.url, API, { applies, source: 'web', profile, ...payload });
}

async function requestSettles(pipeline: Pipeline, requestId: string) {
  return eventually(async () => {
    const reply = await http(pipeline.url, `${API}/requests/${requestId}`);
    const body = reply.body as { status?: string };
    return reply.status === 200 && body.status !== 'accepted' ? body : undefined;
  });
}

async function orderReaches(pipeline: Pipeline, orderId: string, status: string) {
  return eventually(async () => {
    const reply = await http(pipeline.url, `${API}/orders/${orderId}`);
    const body = reply.body as { status?: string };
    return reply.status === 200 && body.status === status ? body : undefined;
  });
}

describe('an order travels through the three steps', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  afterAll(() => pipeline.stop());

  it('is placed, paid, shipped and delivered, and every request is processed', async () => {
    const placed = await send(pipeline, 'Order', {
      action: 'place',
      orderId: 'o-1',
      customer: { id: 'c-1', name: 'Ada', email: 'ada@example.com' },
      lines: [
        { sku: 'SKU-1', quantity: 2, unitPrice: '12.50' },
        { sku: 'SKU-2', quantity: 1, unitPrice: '5.00' },
      ],
      currency: 'EUR',
      shippingAddress: { line1: '1 Main St', city: 'Berlin', postcode: '10115', country: 'DE' },
    });
    expect(placed.status).toBe(202);
    const placeRequest = (placed.body as { requestId: string }).requestId;
    expect(await requestSettles(pipeline, placeRequest)).toMatchObject({
      status: 'processed',
      resultIds: ['o-1'],
    });
    expect(await orderReaches(pipeline, 'o-1', 'Placed')).toMatchObject({ total: '30.00', paid: '0.00' });

    await send(pipeline, 'Payment', {
      action: 'pay',
      paymentId: 'p-1',
      orderId: 'o-1',
      amount: '10.00',
      currency: 'EUR',
      method: 'card',
    });
    expect(await orderReaches(pipeline, 'o-1', 'PartiallyPaid')).toMatchObject({ paid: '10.00' });
    await send(pipeline, 'Payment', {
      action: 'pay',
      paymentId: 'p-2',
      orderId: 'o-1',
      amount: '20.00',
      currency: 'EUR',
      method: 'card',
    });
    expect(await orderReaches(pipeline, 'o-1', 'Paid')).toMatchObject({ paid: '30.00' });

    await send(pipeline, 'Shipping', {
      action: 'ship',
      shipmentId: 's-1',
      orderId: 'o-1',
      carrier: 'DHL',
      trackingNumber: 'T-1',
    });
    expect(await orderReaches(pipeline, 'o-1', 'Shipped')).toMatchObject({
      shipment: { shipmentId: 's-1', carrier: 'DHL', trackingNumber: 'T-1' },
    });
    const delivered = await send(pipeline, 'Shipping', { action: 'deliver', shipmentId: 's-1' });
    const order = await orderReaches(pipeline, 'o-1', 'Delivered');
    expect(order).toMatchObject({
      id: 'o-1',
      customer: { id: 'c-1', name: 'Ada' },
      lines: [
        { sku: 'SKU-1', quantity: 2, unitPrice: '12.50' },
        { sku: 'SKU-2', quantity: 1, unitPrice: '5.00' },
      ],
      currency: 'EUR',
      payments: [
        expect.objectContaining({ paymentId: 'p-1', amount: '10.00' }),
        expect.objectContaining({ paymentId: 'p-2', amount: '20.00' }),
      ],
    });
    const deliverRequest = (delivered.body as { requestId: string }).requestId;
    expect(await requestSettles(pipeline, deliverRequest)).toMatchObject({
      status: 'processed',
      resultIds: ['s-1'],
    });
  });

  it('shows a broken business rule as a rejected request with its reason', async () => {
    const reply = await send(pipeline, 'Order', {
      action: 'place',
      orderId: 'o-bad',
      customer: { id: 'c-1', name: 'Ada' },
      lines: [{ sku: 'SKU-1', quantity: -1, unitPrice: '1.00' }],
      currency: 'EUR',
    });
    const settled = await requestSettles(pipeline, (reply.body as { requestId: string }).requestId);
    expect(settled).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/quantity/) });
    expect((await http(pipeline.url, `${API}/orders/o-bad`)).status).toBe(404);
  });

  it('rejects an unknown profile instead of crashing', async () => {
    const reply = await send(pipeline, 'Order', { anything: true }, 'carrier-pigeon/v1');
    const settled = await requestSettles(pipeline, (reply.body as { requestId: string }).requestId);
    expect(settled).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/carrier-pigeon\/v1/),
    });
  });

  it('places an ERP export order through its own adapter', async () => {
    await send(
      pipeline,
      'Order',
      {
        ORDER_NO: 'o-9',
        CUST_NO: 'c-2',
        CUST_NAME: 'Bob',
        CURRENCY: 'EUR',
        ITEMS: 'SKU-1x2@12.50;SKU-2x1@3.00',
      },
      'erp-export/v1',
    );
    expect(await orderReaches(pipeline, 'o-9', 'Placed')).toMatchObject({
      customer: { id: 'c-2', name: 'Bob' },
      total: '28.00',
    });
  });
});
