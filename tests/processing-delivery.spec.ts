import { createLogger } from '../lib/logger';
import { createMetricsRegistry } from '../lib/metrics';
import { startProcessor } from '../processing/host/processor';
import { countEventsByType } from './support/event-counts';
import { http, postJson } from './support/http-client';
import { eventually } from '../lib/eventually';
import { GROUP, INPUT_STREAM, startPipeline, type Pipeline } from './support/pipeline';

const API = '/shop/api/v1';
const silent = createLogger('test', { level: 'silent' });

const place = (orderId: string, unitPrice = '10.00') => ({
  applies: 'Order',
  source: 'web',
  profile: 'web/v1',
  action: 'place',
  orderId,
  customer: { id: 'c-1', name: 'Ada' },
  lines: [{ sku: 'SKU-1', quantity: 1, unitPrice }],
  currency: 'EUR',
});
const pay = (paymentId: string, orderId: string, amount = '10.00') => ({
  applies: 'Payment',
  source: 'web',
  profile: 'web/v1',
  action: 'pay',
  paymentId,
  orderId,
  amount,
  currency: 'EUR',
  method: 'card',
});

async function requestStatus(pipeline: Pipeline, requestId: string, status: string) {
  return eventually(async () => {
    const reply = await http(pipeline.url, `${API}/requests/${requestId}`);
    const body = reply.body as { status?: string };
    return body.status === status ? body : undefined;
  }, 20_000);
}

async function orderStatus(pipeline: Pipeline, orderId: string, status: string) {
  return eventually(async () => {
    const reply = await http(pipeline.url, `${API}/orders/${orderId}`);
    return (reply.body as { status?: string }).status === status ? reply.body : undefined;
  }, 20_000);
}

const requestIdOf = (reply: { body: unknown }) => (reply.body as { requestId: string }).requestId;

describe('processing delivers every input once in effect', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ maxRetryCount: 3, waitWindowMs: 1500 });
  });
  afterAll(() => pipeline.stop());

  it('ends Paid when the payment arrives before its order', async () => {
    const payment = await postJson(pipeline.url, API, pay('p-early', 'o-late'));
    await requestStatus(pipeline, requestIdOf(payment), 'waiting');
    await postJson(pipeline.url, API, place('o-late'));
    await orderStatus(pipeline, 'o-late', 'Paid');
    await requestStatus(pipeline, requestIdOf(payment), 'processed');
  });

  it('parks a payment whose order never comes, and processes it once replayed after the order arrived', async () => {
    const payment = await postJson(pipeline.url, API, pay('p-orphan', 'o-never'));
    const waiting = await requestStatus(pipeline, requestIdOf(payment), 'waiting');
    expect(waiting).toMatchObject({ reason: 'order o-never is not known yet' });
    const parked = await requestStatus(pipeline, requestIdOf(payment), 'parked');
    expect(parked).toMatchObject({ reason: 'still waiting after 2 s: order o-never is not known yet' });
    const info = await pipeline.client.getPersistentSubscriptionToStreamInfo(INPUT_STREAM, GROUP);
    expect(info.stats.parkedMessageCount).toBeGreaterThanOrEqual(1);

    await postJson(pipeline.url, API, place('o-never'));
    await orderStatus(pipeline, 'o-never', 'Placed');
    await pipeline.client.replayParkedMessagesToStream(INPUT_STREAM, GROUP);
    await requestStatus(pipeline, requestIdOf(payment), 'processed');
    await orderStatus(pipeline, 'o-never', 'Paid');
  });

  it('appends nothing new when every input is delivered again', async () => {
    const sent = await postJson(pipeline.url, API, place('o-again'));
    await requestStatus(pipeline, requestIdOf(sent), 'processed');
    await orderStatus(pipeline, 'o-again', 'Placed');
    const before = await countEventsByType(pipeline.client);
    const inputs = before.ShopDataReceived ?? 0;
    expect(inputs).toBeGreaterThan(0);

    // A second group on the same input stream delivers every message ever received once more. Its own metrics say
    // when it has settled each one: a handler records (appends) before it counts the outcome.
    const registry = createMetricsRegistry('processing');
    const replay = startProcessor({
      client: pipeline.client,
      logger: silent,
      registry,
      inputStream: INPUT_STREAM,
      group: 'redelivery-check',
      refundsGroup: 'redelivery-check-refunds',
      keys: pipeline.keys,
      maxRetryCount: 1,
    });
    const settled = async () => {
      const metric = await registry.getSingleMetric('processing_messages_total')?.get();
      const finished = ['processed', 'rejected', 'already-settled', 'parked'];
      return (metric?.values ?? [])
        .filter((value) => finished.includes(String(value.labels.outcome)))
        .reduce((sum, value) => sum + value.value, 0);
    };
    try {
      await eventually(async () => ((await settled()) >= inputs ? true : undefined), 20_000, 50);
    } finally {
      await replay.stop();
    }
    expect(await settled()).toBe(inputs);
    expect(await countEventsByType(pipeline.client)).toEqual(before);
  });
});
