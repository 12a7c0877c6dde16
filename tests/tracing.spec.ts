import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTracing, type Tracing } from '../lib/tracing';
import { http, postJson } from './support/http-client';
import { eventually } from '../lib/eventually';
import { INPUT_STREAM, startPipeline, type Pipeline } from './support/pipeline';

// One order, one trace: the gateway's request, the input event, the processor's decision and appends, and each
// read-model write, connected through the traceparent the events carry in their metadata.
jest.setTimeout(60_000);

const API = '/shop/api/v1';
/**
 * The read-model writes one placed order makes: its request twice (received; processed, from the outcome the
 * OrderPlaced carries), the order, the day.
 */
const READ_MODEL_WRITES = [
  ['ShopDataReceived', 'requests'],
  ['OrderPlaced', 'requests'],
  ['OrderPlaced', 'orders'],
  ['OrderPlaced', 'sales_daily'],
] as const;

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  let pipeline: Pipeline;

  beforeAll(async () => {
    tracing = startTracing('shop-pipeline-test', { otlpEndpoint: '', otlpTracesEndpoint: '' }, exporter);
    pipeline = await startPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
    await tracing?.shutdown();
  });

  const place = (orderId: string) =>
    postJson(pipeline.url, API, {
      applies: 'Order',
      source: 'tracing',
      profile: 'web/v1',
      action: 'place',
      orderId,
      customer: { id: 'c-1', name: 'Ada' },
      lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: '12.50' }],
      currency: 'EUR',
    });

  /** The spans of the trace the gateway's accepted POST started. */
  function trace(): ReadableSpan[] {
    const spans = exporter.getFinishedSpans();
    const root = spans.find(
      (span) => span.name === 'POST /shop/api/v1' && span.attributes['http.response.status_code'] === 202,
    );
    if (!root) return [];
    return spans.filter((span) => span.spanContext().traceId === root.spanContext().traceId);
  }

  it('follows one order from the POST through processing into every read model as one connected trace', async () => {
    const reply = await place('o-traced');
    expect(reply.status).toBe(202);
    const requestId = (reply.body as { requestId: string }).requestId;
    await eventually(async () => {
      const order = await http(pipeline.url, `${API}/orders/o-traced`);
      const request = await http(pipeline.url, `${API}/requests/${requestId}`);
      return order.status === 200 && (request.body as { status?: string }).status === 'processed'
        ? true
        : undefined;
    });
    const expected = [
      'POST /shop/api/v1',
      `append ${INPUT_STREAM}`,
      'process ShopDataReceived',
      'decide PlaceOrder',
      'append order-o-traced',
      ...READ_MODEL_WRITES.map(([type, model]) => `project ${type} into ${model}`),
    ];
    const spans = await eventually(async () => {
      const found = trace();
      const names = new Set(found.map((span) => span.name));
      return Promise.resolve(expected.every((name) => names.has(name)) ? found : undefined);
    });

    // Connected: one root, and every other span's parent is a span of this trace.
    const ids = new Set(spans.map((span) => span.spanContext().spanId));
    const roots = spans.filter((span) => !span.parentSpanContext);
    expect(roots.map((span) => span.name)).toEqual(['POST /shop/api/v1']);
    for (const span of spans.filter((s) => s.parentSpanContext)) {
      expect({ span: span.name, parentInTrace: ids.has(span.parentSpanContext!.spanId) }).toEqual({
        span: span.name,
        parentInTrace: true,
      });
    }
    // Across the store: the processor continues the input event's append, the read models the appends they read.
    const byName = (name: string) => spans.find((span) => span.name === name)!;
    expect(byName('process ShopDataReceived').parentSpanContext!.spanId).toBe(
      byName(`append ${INPUT_STREAM}`).spanContext().spanId,
    );
    expect(byName('project OrderPlaced into orders').parentSpanContext!.spanId).toBe(
      byName('append order-o-traced').spanContext().spanId,
    );
  });

  it('gives another order a trace of its own', async () => {
    const before = new Set(exporter.getFinishedSpans().map((span) => span.spanContext().traceId));
    expect((await place('o-traced-2')).status).toBe(202);
    const fresh = await eventually(async () => {
      const spans = exporter
        .getFinishedSpans()
        .filter(
          (span) =>
            !before.has(span.spanContext().traceId) && span.name === 'project OrderPlaced into orders',
        );
      return Promise.resolve(spans.length > 0 ? spans : undefined);
    });
    expect(fresh).toHaveLength(1);
  });
});
