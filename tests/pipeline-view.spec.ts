import { http, postJson } from './support/http-client';
import { eventually } from '../lib/eventually';
import { startPipeline, type Pipeline } from './support/pipeline';

const API = '/shop/api/v1';

const web = { source: 'web', profile: 'web/v1' };
const place = (orderId: string) => ({
  applies: 'Order',
  ...web,
  action: 'place',
  orderId,
  customer: { id: 'c-view', name: 'Vi' },
  lines: [{ sku: 'SKU-V', quantity: 2, unitPrice: '5.00' }],
  currency: 'EUR',
});
const pay = (orderId: string, paymentId: string, amount: string) => ({
  applies: 'Payment',
  ...web,
  action: 'pay',
  paymentId,
  orderId,
  amount,
  currency: 'EUR',
  method: 'card',
});

interface Trace {
  status: string;
  reason?: string;
  stored: { at: string | null; stream: string; revision: number | null };
  decided: {
    outcome: string;
    by: string | null;
    reason?: string;
    events: { stream: string; revision: number; type: string; position: number | null }[] | null;
    history: { type: string }[];
  } | null;
  projected: { done: boolean; readModels: { name: string; reflected: boolean }[] } | null;
  complete: boolean;
  version: string;
}

interface Status {
  ingest: { stream: string; lastRevision: number | null; perSecond: number | null };
  processing: {
    totalItems: number;
    inFlight: number;
    parked: number;
    lagEvents: number;
    sinceCheckpoint: number;
    consumers: { name: string; totalItems: number; perSecond: number | null }[];
  } | null;
  readModels: { name: string; checkpoint: number | null; lagEvents: number; lagSeconds: number }[];
}

async function send(pipeline: Pipeline, body: unknown): Promise<string> {
  const reply = await postJson(pipeline.url, API, body);
  expect(reply.status).toBe(202);
  return (reply.body as { requestId: string }).requestId;
}

async function settledTrace(pipeline: Pipeline, requestId: string): Promise<Trace> {
  return eventually(async () => {
    const reply = await http(pipeline.url, `${API}/requests/${requestId}/trace?wait=5`);
    const trace = reply.body as Trace;
    return trace.complete ? trace : undefined;
  }, 20_000);
}

describe('the pipeline made visible over HTTP', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline({ maxRetryCount: 2, waitWindowMs: 300 });
  });
  afterAll(() => pipeline?.stop());

  it('traces a request through its three steps: stored, decided by a named processor, projected', async () => {
    const requestId = await send(pipeline, place('v-1'));
    const first = await http(pipeline.url, `${API}/requests/${requestId}/trace`);
    expect(first.status).toBe(200);
    expect((first.body as Trace).stored.stream).toMatch(/^shop-input/);

    const trace = await settledTrace(pipeline, requestId);
    expect(trace.status).toBe('processed');
    expect(trace.stored.revision).toEqual(expect.any(Number));
    expect(trace.stored.at).toEqual(expect.any(String));
    expect(trace.decided?.outcome).toBe('processed');
    expect(trace.decided?.by).toMatch(/:\d+#\d+$/);
    expect(trace.decided?.events?.map((e) => [e.stream, e.revision, e.type])).toEqual([
      ['order-v-1', 0, 'OrderPlaced'],
    ]);
    expect(trace.projected).toMatchObject({
      done: true,
      readModels: [
        { name: 'orders', reflected: true },
        { name: 'sales_daily', reflected: true },
      ],
    });
    // Once the trace says projected, the order document is there.
    expect((await http(pipeline.url, `${API}/orders/v-1`)).status).toBe(200);
  });

  it('lists the events a payment appended on the order and payment streams', async () => {
    const requestId = await send(pipeline, pay('v-1', 'vp-1', '4.00'));
    const trace = await settledTrace(pipeline, requestId);
    expect(trace.decided?.events?.map((e) => `${e.type}@${e.stream}`)).toEqual([
      'PaymentApplied@order-v-1',
      'PaymentRecorded@payment-vp-1',
    ]);
    expect(trace.projected?.done).toBe(true);
  });

  it('tells a rejection with its reason and the processor that decided it', async () => {
    const requestId = await send(pipeline, pay('v-1', 'vp-2', '99.00'));
    const trace = await settledTrace(pipeline, requestId);
    expect(trace.status).toBe('rejected');
    expect(trace.decided).toMatchObject({ outcome: 'rejected', events: null });
    expect(trace.decided?.reason).toMatch(/exceeds the outstanding 6\.00 EUR/);
    expect(trace.decided?.by).toEqual(expect.any(String));
    expect(trace.projected).toBeNull();
  });

  it('shows the waiting before a park in the decision history', async () => {
    const requestId = await send(pipeline, pay('v-never', 'vp-3', '1.00'));
    const trace = await settledTrace(pipeline, requestId);
    expect(trace.status).toBe('parked');
    expect(trace.decided?.history.map((h) => h.type)).toEqual(['ShopDataWaiting', 'ShopDataParked']);
  });

  it('holds a trace while it equals the version the client knows, and answers at once when it differs', async () => {
    const requestId = await send(pipeline, place('v-2'));
    const done = await settledTrace(pipeline, requestId);
    const started = Date.now();
    const same = await http(pipeline.url, `${API}/requests/${requestId}/trace?wait=2&known=${done.version}`);
    // A complete trace never changes again, so there is nothing to wait for.
    expect(Date.now() - started).toBeLessThan(1500);
    expect((same.body as Trace).version).toBe(done.version);
    const stale = await http(pipeline.url, `${API}/requests/${requestId}/trace?wait=2&known=0000`);
    expect((stale.body as Trace).version).toBe(done.version);
  });

  it('refuses a malformed trace query and an unknown request', async () => {
    const bad = await http(pipeline.url, `${API}/requests/x/trace?known=%7B%24gt%7D&wait=1`);
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    expect((bad.body as { detail: string }).detail).toMatch(/known must be a version/);
    expect((await http(pipeline.url, `${API}/requests/r-unknown/trace`)).status).toBe(404);
  });

  it("lists an order's events in the order they were recorded, with the request behind each", async () => {
    const reply = await http(pipeline.url, `${API}/orders/v-1/history`);
    expect(reply.status).toBe(200);
    const { events } = reply.body as {
      events: { type: string; stream: string; revision: number; requestId: string }[];
    };
    expect(events.map((e) => [e.type, e.stream, e.revision])).toEqual([
      ['OrderPlaced', 'order-v-1', 0],
      ['PaymentApplied', 'order-v-1', 1],
      ['PaymentRecorded', 'payment-vp-1', 0],
    ]);
    expect(events.every((e) => typeof e.requestId === 'string')).toBe(true);
    expect((await http(pipeline.url, `${API}/orders/v-none/history`)).status).toBe(404);
  });

  it('reports the pipeline: input stream, the group and its consumers, each read model, with rates that move', async () => {
    const status = async () => (await http(pipeline.url, `${API}/pipeline`)).body as Status;
    const before = await status();
    expect(before.processing?.consumers.length).toBe(1);
    expect(before.processing?.parked).toBeGreaterThanOrEqual(1);
    expect(before.readModels.map((m) => m.name)).toEqual(['orders', 'requests', 'sales_daily']);
    for (const model of before.readModels) expect(model.checkpoint).toEqual(expect.any(Number));

    const ids = ['v-10', 'v-11', 'v-12'];
    const requests = await Promise.all(ids.map((id) => send(pipeline, place(id))));
    await Promise.all(requests.map((id) => settledTrace(pipeline, id)));
    const after = await eventually(
      async () => {
        const now = await status();
        const caughtUp = now.readModels.every((m) => m.lagEvents === 0) && now.processing?.lagEvents === 0;
        return caughtUp && (now.ingest.perSecond ?? 0) > 0 ? now : undefined;
      },
      10_000,
      300,
    );
    expect(after.ingest.lastRevision).toBe((before.ingest.lastRevision ?? -1) + ids.length);
    expect(after.processing!.totalItems).toBeGreaterThanOrEqual(before.processing!.totalItems + ids.length);
    expect(after.processing!.consumers[0]!.perSecond).toEqual(expect.any(Number));
    expect(after.processing!.sinceCheckpoint).toBeGreaterThanOrEqual(0);
    expect(after.readModels.find((m) => m.name === 'orders')!.checkpoint).toBeGreaterThan(
      before.readModels.find((m) => m.name === 'orders')!.checkpoint!,
    );
  });
});

describe('a held trace with no processor running', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline({ processors: 0 });
  });
  afterAll(() => pipeline?.stop());

  it('answers at once without a known version, and holds while nothing changes', async () => {
    const requestId = await send(pipeline, place('v-idle'));
    const now = await eventually(async () => {
      const reply = await http(pipeline.url, `${API}/requests/${requestId}/trace`);
      const trace = reply.body as Trace;
      // Once the requests model has it, the stored step knows its place in the input stream.
      return trace.stored.revision === null ? undefined : trace;
    });
    expect(now).toMatchObject({ status: 'accepted', decided: null, projected: null, complete: false });

    const started = Date.now();
    const held = await http(pipeline.url, `${API}/requests/${requestId}/trace?wait=1&known=${now.version}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((held.body as Trace).version).toBe(now.version);

    const quick = Date.now();
    await http(pipeline.url, `${API}/requests/${requestId}/trace?wait=1`);
    expect(Date.now() - quick).toBeLessThan(900);

    const status = (await http(pipeline.url, `${API}/pipeline`)).body as Status;
    expect(status.processing).toBeNull();
    expect(status.ingest.lastRevision).toBe(0);
  });
});
