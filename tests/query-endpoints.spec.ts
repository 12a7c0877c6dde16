import { http, postJson } from './support/http-client';
import { eventually } from '../lib/eventually';
import { startPipeline, type Pipeline } from './support/pipeline';

const API = '/shop/api/v1';
const today = new Date().toISOString().slice(0, 10);

function place(orderId: string, customerId: string, unitPrice: string, currency = 'EUR') {
  return {
    applies: 'Order',
    source: 'web',
    profile: 'web/v1',
    action: 'place',
    orderId,
    customer: { id: customerId, name: customerId.toUpperCase() },
    lines: [{ sku: 'SKU-Q', quantity: 2, unitPrice }],
    currency,
  };
}

describe('query endpoints over the read models', () => {
  let pipeline: Pipeline;
  const orderIds = ['q-1', 'q-2', 'q-3', 'q-4', 'q-5'];

  beforeAll(async () => {
    pipeline = await startPipeline();
    for (const [i, id] of orderIds.entries()) {
      await postJson(pipeline.url, API, place(id, i % 2 === 0 ? 'c-even' : 'c-odd', `${i + 1}.00`));
    }
    await postJson(pipeline.url, API, place('q-usd', 'c-usd', '7.25', 'USD'));
    await postJson(pipeline.url, API, {
      applies: 'Payment',
      source: 'web',
      profile: 'web/v1',
      action: 'pay',
      paymentId: 'qp-1',
      orderId: 'q-1',
      amount: '2.00',
      currency: 'EUR',
      method: 'card',
    });
    await eventually(async () => {
      const reply = await http(pipeline.url, `${API}/orders/q-1`);
      return (reply.body as { status?: string }).status === 'Paid' ? true : undefined;
    });
    await eventually(async () => {
      const reply = await http(pipeline.url, `${API}/orders?limit=100`);
      return (reply.body as { items: unknown[] }).items.length === 6 ? true : undefined;
    });
  });
  afterAll(() => pipeline.stop());

  it('pages through every order newest first with a stable cursor, no gaps and no repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const reply = await http(pipeline.url, `${API}/orders${query}`);
      expect(reply.status).toBe(200);
      const page = reply.body as { items: { id: string; placedAt: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(6);
    const all = (await http(pipeline.url, `${API}/orders?limit=100`)).body as { items: { id: string }[] };
    expect(seen).toEqual(all.items.map((item) => item.id));
  });

  it('filters by status and by customer', async () => {
    const paid = (await http(pipeline.url, `${API}/orders?status=Paid`)).body as { items: { id: string }[] };
    expect(paid.items.map((o) => o.id)).toEqual(['q-1']);
    const odd = (await http(pipeline.url, `${API}/orders?customerId=c-odd`)).body as {
      items: { id: string }[];
    };
    expect(odd.items.map((o) => o.id).sort()).toEqual(['q-2', 'q-4']);
    const both = (await http(pipeline.url, `${API}/orders?customerId=c-even&status=Placed`)).body as {
      items: { id: string }[];
    };
    expect(both.items.map((o) => o.id).sort()).toEqual(['q-3', 'q-5']);
  });

  it('shows an order with amounts as decimal strings', async () => {
    const reply = await http(pipeline.url, `${API}/orders/q-usd`);
    expect(reply.body).toMatchObject({
      id: 'q-usd',
      currency: 'USD',
      total: '14.50',
      paid: '0.00',
      status: 'Placed',
    });
  });

  it('reports daily sales per currency', async () => {
    const reply = await http(pipeline.url, `${API}/reports/sales?from=${today}&to=${today}`);
    expect(reply.status).toBe(200);
    const report = reply.body as {
      days: { currency: string; ordersPlaced: number; revenuePlaced: string }[];
    };
    const eur = report.days.find((d) => d.currency === 'EUR');
    expect(eur).toMatchObject({ ordersPlaced: 5, revenuePlaced: '30.00', revenuePaid: '2.00' });
    const usdOnly = await http(pipeline.url, `${API}/reports/sales?from=${today}&to=${today}&currency=USD`);
    expect((usdOnly.body as { days: unknown[] }).days).toEqual([
      expect.objectContaining({
        currency: 'USD',
        ordersPlaced: 1,
        revenuePlaced: '14.50',
        unitsBySku: { 'SKU-Q': 2 },
      }),
    ]);
  });

  it('answers unknown ids with 404 problem+json', async () => {
    for (const path of ['/orders/nope', '/requests/nope']) {
      const reply = await http(pipeline.url, API + path);
      expect(reply.status).toBe(404);
      expect(reply.contentType).toMatch(/problem\+json/);
    }
  });

  const badQueries: [string, RegExp][] = [
    ['/orders?status=Lost', /status must be one of/],
    ['/orders?status[$ne]=x', /status\[\$ne\] is not a known parameter/],
    ['/orders?status=Paid&status=Placed', /status must be given once/],
    ['/orders?customerId[$gt]=', /is not a known parameter/],
    ['/orders?limit=0', /limit must be at least 1/],
    ['/orders?limit=1000', /limit must be at most 100/],
    ['/orders?limit=ten', /limit must be a whole number/],
    ['/orders?cursor=not-a-cursor', /cursor is not a cursor this API handed out/],
    ['/orders?sort=placedAt', /sort is not a known parameter/],
    ['/reports/sales?from=2026-13-01&to=2026-12-01', /from is not a real calendar date/],
    ['/reports/sales?from=yesterday&to=2026-12-01', /from must be a date like/],
    ['/reports/sales?to=2026-12-01', /from/],
    ['/reports/sales?from=2026-12-02&to=2026-12-01', /from must not be after to/],
    ['/reports/sales?from=2020-01-01&to=2026-12-01', /at most 366 days/],
    ['/reports/sales?from=2026-12-01&to=2026-12-01&currency=XYZ', /currency must be a known ISO 4217/],
    ['/reports/sales?from=2026-12-01&to=2026-12-01&currency[$regex]=.*', /is not a known parameter/],
  ];

  it.each(badQueries)('refuses %s with a 400 problem naming the parameter', async (path, detail) => {
    const reply = await http(pipeline.url, API + path);
    expect(reply.status).toBe(400);
    expect(reply.contentType).toMatch(/^application\/problem\+json/);
    expect((reply.body as { detail: string }).detail).toMatch(detail);
  });

  it('never answers 404 on the Location a 202 gave, and ?wait= holds until the request is processed', async () => {
    const posted = await Promise.all(
      Array.from({ length: 60 }, (_, i) => postJson(pipeline.url, API, place(`q-ryw-${i}`, 'c-ryw', '1.00'))),
    );
    const first = await Promise.all(
      posted.map((reply) => http(pipeline.url, reply.headers.get('location') ?? '/missing')),
    );
    expect(first.map((reply) => reply.status)).toEqual(posted.map(() => 200));
    for (const reply of first) {
      expect(['accepted', 'processed']).toContain((reply.body as { status: string }).status);
    }
    const waited = await Promise.all(
      posted.map((reply) => http(pipeline.url, `${reply.headers.get('location') ?? ''}?wait=10`)),
    );
    expect(waited.map((reply) => (reply.body as { status: string }).status)).toEqual(
      posted.map(() => 'processed'),
    );
  });

  it.each([
    ['?wait=31', /wait must be at most 30/],
    ['?wait=soon', /wait must be a whole number of seconds/],
    ['?wait=1&wait=2', /wait must be given once/],
    ['?hold=1', /hold is not a known parameter/],
  ])('refuses %s on a request status with a 400 problem', async (query, detail) => {
    const reply = await http(pipeline.url, `${API}/requests/nope${query}`);
    expect(reply.status).toBe(400);
    expect((reply.body as { detail: string }).detail).toMatch(detail);
  });

  it('reports a day whose sales pass 2^53 minor units exactly', async () => {
    const maxSafe = String(Number.MAX_SAFE_INTEGER); // JPY has no minor unit: 9007199254740991 yen
    for (const id of ['q-huge-1', 'q-huge-2']) {
      const order = {
        ...place(id, 'c-huge', maxSafe, 'JPY'),
        lines: [{ sku: 'SKU-H', quantity: 1, unitPrice: maxSafe }],
      };
      const reply = await postJson(pipeline.url, API, order);
      await http(pipeline.url, `${reply.headers.get('location') ?? ''}?wait=10`);
    }
    const report = await eventually(async () => {
      const reply = await http(pipeline.url, `${API}/reports/sales?from=${today}&to=${today}&currency=JPY`);
      const body = reply.body as { days: { ordersPlaced: number }[] };
      return reply.status === 200 && body.days[0]?.ordersPlaced === 2 ? body : undefined;
    });
    expect(report).toMatchObject({
      days: [{ currency: 'JPY', revenuePlaced: '18014398509481982' }],
      totals: [{ currency: 'JPY', revenuePlaced: '18014398509481982' }],
    });
  });
});
