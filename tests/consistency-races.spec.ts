import { http, postJson } from './support/http-client';
import { eventually } from '../lib/eventually';
import { startPipeline, type Pipeline } from './support/pipeline';

/*
 * The shop's rules under competing processors: requests that break a rule only together are sent at the same
 * instant, over HTTP, to a pipeline with two processors, many times over, and the read models are checked for
 * violations once every request has settled. One request after another, each of these is refused every time.
 */
const API = '/shop/api/v1';
const ROUNDS = 60;
// Each race sends a few hundred requests and waits for every one to settle; on a busy machine that takes a while.
jest.setTimeout(120_000);

type Body = Record<string, unknown>;
const web = (applies: string, payload: Body): Body => ({
  applies,
  source: 'race',
  profile: 'web/v1',
  ...payload,
});
const place = (orderId: string, unitPrice: string) =>
  web('Order', {
    action: 'place',
    orderId,
    customer: { id: 'c-race', name: 'Ada' },
    lines: [{ sku: 'SKU-1', quantity: 1, unitPrice }],
    currency: 'EUR',
  });
const pay = (paymentId: string, orderId: string, amount: string) =>
  web('Payment', { action: 'pay', paymentId, orderId, amount, currency: 'EUR', method: 'card' });
const cancel = (orderId: string) => web('Order', { action: 'cancel', orderId, reason: 'race' });
const ship = (shipmentId: string, orderId: string) =>
  web('Shipping', { action: 'ship', shipmentId, orderId, carrier: 'DHL', trackingNumber: `T-${shipmentId}` });

interface OrderView {
  readonly status: string;
  readonly total: string;
  readonly paid: string;
  readonly refunded: string;
  readonly outstanding: string;
  readonly shipment: unknown;
  readonly cancelledAt?: string;
  readonly payments: readonly { paymentId: string; amount: string; refunded: string }[];
}
interface RequestView {
  readonly status: string;
  readonly reason?: string;
}

const cents = (amount: string) => Math.round(Number(amount) * 100);
const SETTLED = new Set(['processed', 'rejected']);

async function send(pipeline: Pipeline, body: Body): Promise<string> {
  const reply = await postJson(pipeline.url, API, body);
  expect(reply.status).toBe(202);
  return (reply.body as { requestId: string }).requestId;
}

/** Sends each group's requests at the same instant (all groups at once), then waits until every one settled. */
async function race(pipeline: Pipeline, groups: readonly (readonly Body[])[]): Promise<RequestView[][]> {
  const ids = await Promise.all(
    groups.map((group) => Promise.all(group.map((body) => send(pipeline, body)))),
  );
  return Promise.all(ids.map((group) => Promise.all(group.map((id) => settled(pipeline, id)))));
}

function settled(pipeline: Pipeline, requestId: string): Promise<RequestView> {
  return eventually(
    async () => {
      const reply = await http(pipeline.url, `${API}/requests/${requestId}`);
      const body = reply.body as RequestView;
      return SETTLED.has(body.status) ? body : undefined;
    },
    60_000,
    50,
  );
}

/** The order once the read model has caught up with what its requests did. */
function order(pipeline: Pipeline, orderId: string, ready: (view: OrderView) => boolean): Promise<OrderView> {
  return eventually(
    async () => {
      const reply = await http(pipeline.url, `${API}/orders/${orderId}`);
      const view = reply.body as OrderView;
      return reply.status === 200 && ready(view) ? view : undefined;
    },
    30_000,
    50,
  );
}

async function placeAll(pipeline: Pipeline, prefix: string, unitPrice: string): Promise<string[]> {
  const orderIds = Array.from({ length: ROUNDS }, (_, i) => `${prefix}-${i}`);
  await race(
    pipeline,
    orderIds.map((id) => [place(id, unitPrice)]),
  );
  return orderIds;
}

describe('the shop rules hold when two processors race', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ processors: 2 });
  });
  afterAll(() => pipeline.stop());

  it(`accepts one of two full payments sent at once, in each of ${ROUNDS} orders`, async () => {
    const orderIds = await placeAll(pipeline, 'o-two-pay', '30.00');
    const outcomes = await race(
      pipeline,
      orderIds.map((id) => [pay(`${id}-a`, id, '30.00'), pay(`${id}-b`, id, '30.00')]),
    );
    const accepted = outcomes.map((pair) => pair.filter((r) => r.status === 'processed').length);
    expect(accepted).toEqual(orderIds.map(() => 1));
    const views = await Promise.all(orderIds.map((id) => order(pipeline, id, (v) => v.payments.length >= 1)));
    const overpaid = views.filter((v) => cents(v.paid) - cents(v.refunded) > cents(v.total));
    expect(overpaid).toEqual([]);
    expect(views.map((v) => [v.status, v.paid, v.outstanding])).toEqual(
      orderIds.map(() => ['Paid', '30.00', '0.00']),
    );
    for (const pair of outcomes) {
      expect(pair.find((r) => r.status === 'rejected')?.reason).toBe(
        'payment of 30.00 EUR exceeds the outstanding 0.00 EUR',
      );
    }
  });

  it(`accepts three of five payments of a third sent at once, in each of ${ROUNDS} orders`, async () => {
    const orderIds = await placeAll(pipeline, 'o-five-pay', '30.00');
    const outcomes = await race(
      pipeline,
      orderIds.map((id) => [1, 2, 3, 4, 5].map((n) => pay(`${id}-${n}`, id, '10.00'))),
    );
    expect(outcomes.map((five) => five.filter((r) => r.status === 'processed').length)).toEqual(
      orderIds.map(() => 3),
    );
    const views = await Promise.all(orderIds.map((id) => order(pipeline, id, (v) => v.payments.length >= 3)));
    expect(views.filter((v) => cents(v.paid) > cents(v.total))).toEqual([]);
    expect(views.map((v) => v.paid)).toEqual(orderIds.map(() => '30.00'));
  });

  it(`never both cancels and ships a paid order when both are sent at once, in ${ROUNDS} orders`, async () => {
    const orderIds = await placeAll(pipeline, 'o-cancel-ship', '20.00');
    await race(
      pipeline,
      orderIds.map((id) => [pay(`${id}-p`, id, '20.00')]),
    );
    const outcomes = await race(
      pipeline,
      orderIds.map((id) => [cancel(id), ship(`${id}-s`, id)]),
    );
    expect(outcomes.map((pair) => pair.filter((r) => r.status === 'processed').length)).toEqual(
      orderIds.map(() => 1),
    );
    const views = await Promise.all(
      orderIds.map((id, i) =>
        order(pipeline, id, (v) => {
          const cancelWon = outcomes[i]?.[0]?.status === 'processed';
          return cancelWon ? v.status === 'Cancelled' && v.refunded === '20.00' : v.status === 'Shipped';
        }),
      ),
    );
    const both = views.filter((v) => v.cancelledAt !== undefined && v.shipment !== null);
    const shippedAndRefunded = views.filter((v) => v.shipment !== null && cents(v.refunded) > 0);
    const refundedAbovePaid = views.filter((v) => cents(v.refunded) > cents(v.paid));
    expect({ both, shippedAndRefunded, refundedAbovePaid }).toEqual({
      both: [],
      shippedAndRefunded: [],
      refundedAbovePaid: [],
    });
    for (const view of views.filter((v) => v.status === 'Cancelled')) expect(view.outstanding).toBe('0.00');
  });

  it('appended every fact of those races once: one record per payment, refund and shipment', async () => {
    const seen = new Map<string, number>();
    for await (const { event } of pipeline.client.readAll()) {
      if (!event || event.streamId.startsWith('$')) continue;
      const data = event.data as Record<string, unknown>;
      const key = {
        PaymentRecorded: `payment ${String(data.paymentId)}`,
        PaymentRefunded: `refund ${String(data.paymentId)}/${String(data.refundId)}`,
        OrderShipped: `shipment of ${String(data.orderId)}`,
      }[event.type];
      if (key !== undefined) seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBeGreaterThan(ROUNDS * 4);
    expect([...seen].filter(([, count]) => count > 1)).toEqual([]);
  });

  it('decides on the guarded streams from the first message after the processors restart mid-burst', async () => {
    const orderIds = Array.from({ length: ROUNDS }, (_, i) => `o-two-pay-${i}`);
    for (const processor of pipeline.processors) await processor.stop();
    // Sent while no processor runs: each is an extra payment on an order the first race left fully paid.
    const ids = await Promise.all(orderIds.map((id) => send(pipeline, pay(`${id}-late`, id, '0.01'))));
    pipeline.addProcessor();
    pipeline.addProcessor();
    const outcomes = await Promise.all(ids.map((id) => settled(pipeline, id)));
    expect(outcomes.filter((r) => r.status === 'processed')).toEqual([]);
    expect(new Set(outcomes.map((r) => r.reason))).toEqual(
      new Set(['payment of 0.01 EUR exceeds the outstanding 0.00 EUR']),
    );
  });
});
