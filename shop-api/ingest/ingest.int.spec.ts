import { EventStoreDBClient, StreamNotFoundError } from '@eventstore/db-client';
import { startEventStore } from '../../devstack/eventstore';
import { listen, type Listening } from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { createMetricsRegistry } from '../../lib/metrics';
import { http, postJson } from '../../tests/support/http-client';
import { NO_RATE_LIMIT, testAuthenticator } from '../../tests/support/test-keys';
import { createShopApi } from '../app';
import { eventStoreInputPublisher } from './input-publisher';

const INPUT = 'shop-input';
const silent = createLogger('shop-api', { level: 'silent' });
const order = { action: 'place', orderId: 'o-1', lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: '12.50' }] };

async function inputEvents(client: EventStoreDBClient) {
  const events = [];
  try {
    for await (const resolved of client.readStream(INPUT)) events.push(resolved.event!);
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return events;
}

describe('POST /shop/api/v1 stores raw shop data in the input stream', () => {
  let store: Awaited<ReturnType<typeof startEventStore>>;
  let client: EventStoreDBClient;
  let api: Listening;
  let url: string;

  beforeAll(async () => {
    store = await startEventStore({ port: 0 });
    client = EventStoreDBClient.connectionString(store.connectionString);
    const app = createShopApi({
      publisher: eventStoreInputPublisher(client, INPUT),
      logger: silent,
      registry: createMetricsRegistry('shop-api'),
      maxBodyBytes: 2048,
      checks: {},
      authenticator: testAuthenticator(),
      ingestRateLimit: NO_RATE_LIMIT,
    });
    api = await listen(app, 0, '127.0.0.1', 'PORT');
    url = `http://127.0.0.1:${api.port}`;
  });

  afterAll(async () => {
    await api.close();
    await client.dispose();
    await store.close();
  });

  it('answers 202 with a requestId and stores the payload untouched as ShopDataReceived', async () => {
    const before = (await inputEvents(client)).length;
    const reply = await postJson(url, '/shop/api/v1', {
      applies: 'Order',
      source: 'web',
      profile: 'web/v1',
      ...order,
    });
    expect(reply.status).toBe(202);
    const { requestId } = reply.body as { requestId: string };
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.headers.get('location')).toBe(`/shop/api/v1/requests/${requestId}`);

    const events = await inputEvents(client);
    expect(events).toHaveLength(before + 1);
    const stored = events[events.length - 1]!;
    expect(stored.type).toBe('ShopDataReceived');
    expect(stored.id).toBe(requestId);
    expect(stored.data).toEqual(order);
    expect(stored.metadata).toEqual({
      applies: 'Order',
      source: 'web',
      profile: 'web/v1',
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      $correlationId: requestId,
    });
  });

  it('stores a retry with the same Idempotency-Key once and answers the same requestId', async () => {
    const body = { applies: 'Order', source: 'erp', profile: 'erp-export/v1', ORDER_NO: 'o-9' };
    const before = (await inputEvents(client)).length;
    const first = await postJson(url, '/shop/api/v1', body, { 'Idempotency-Key': 'export-2026-11-23-001' });
    const second = await postJson(url, '/shop/api/v1', body, { 'Idempotency-Key': 'export-2026-11-23-001' });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect((await inputEvents(client)).length).toBe(before + 1);
  });

  it('refuses the same Idempotency-Key with a different body with 422 and stores nothing, even when raced', async () => {
    const before = (await inputEvents(client)).length;
    const rounds = Array.from({ length: 60 }, (_, i) => i);
    const replies = await Promise.all(
      rounds.map(async (i) => {
        const key = `reuse-${i}`;
        const bodyOf = (n: number) => ({
          applies: 'Order',
          source: 'erp',
          profile: 'erp-export/v1',
          ORDER_NO: `o-${n}`,
        });
        return Promise.all([
          postJson(url, '/shop/api/v1', bodyOf(1), { 'Idempotency-Key': key }),
          postJson(url, '/shop/api/v1', bodyOf(2), { 'Idempotency-Key': key }),
        ]);
      }),
    );
    for (const pair of replies) {
      expect(pair.map((r) => r.status).sort()).toEqual([202, 422]);
      const refused = pair.find((r) => r.status === 422)!;
      expect(refused.contentType).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 422, title: expect.any(String) });
      expect((refused.body as { detail: string }).detail).toMatch(
        /Idempotency-Key "reuse-\d+" was already used/,
      );
    }
    expect((await inputEvents(client)).length).toBe(before + rounds.length);
  });

  const badRequests: [string, { body: string; type?: string }, number, RegExp][] = [
    ['not JSON', { body: '{"applies": "Order",' }, 400, /not valid JSON/],
    ['a JSON array', { body: '[1,2]' }, 400, /must be a JSON object/],
    ['a JSON string', { body: '"hello"' }, 400, /must be a JSON object/],
    ['null', { body: 'null' }, 400, /must be a JSON object/],
    ['an empty object', { body: '{}' }, 400, /must not be empty/],
    ['a missing profile', { body: '{"applies":"Order","source":"web"}' }, 400, /profile is required/],
    [
      'a non-string source',
      { body: '{"applies":"Order","source":7,"profile":"web/v1"}' },
      400,
      /source must be a string/,
    ],
    [
      'a form post',
      { body: 'applies=Order', type: 'application/x-www-form-urlencoded' },
      415,
      /application\/json/,
    ],
    [
      'a body over the limit',
      { body: JSON.stringify({ applies: 'Order', source: 'web', profile: 'web/v1', pad: 'x'.repeat(4096) }) },
      413,
      /larger than the limit of 2048 bytes/,
    ],
  ];

  it.each(badRequests)(
    'refuses %s with problem+json and stores nothing',
    async (_name, request, status, detail) => {
      const before = (await inputEvents(client)).length;
      const reply = await http(url, '/shop/api/v1', {
        method: 'POST',
        body: request.body,
        headers: { 'content-type': request.type ?? 'application/json' },
      });
      expect(reply.status).toBe(status);
      expect(reply.contentType).toMatch(/^application\/problem\+json/);
      const problem = reply.body as { type: string; title: string; status: number; detail: string };
      expect(problem.status).toBe(status);
      expect(problem.title).toEqual(expect.any(String));
      expect(problem.type).toMatch(/^https:\/\//);
      expect(problem.detail).toMatch(detail);
      expect((await inputEvents(client)).length).toBe(before);
    },
  );

  it('lists every bad routing field at once', async () => {
    const reply = await postJson(url, '/shop/api/v1', { applies: '', source: ['web'], foo: 1 });
    expect(reply.status).toBe(400);
    expect((reply.body as { errors: unknown }).errors).toEqual([
      { field: 'applies', message: 'must not be empty' },
      { field: 'source', message: 'must be a string' },
      { field: 'profile', message: 'is required' },
    ]);
  });

  it('refuses a malformed Idempotency-Key', async () => {
    const reply = await postJson(
      url,
      '/shop/api/v1',
      { applies: 'Order', source: 'web', profile: 'web/v1' },
      {
        'Idempotency-Key': 'has spaces in it',
      },
    );
    expect(reply.status).toBe(400);
    expect(reply.contentType).toMatch(/problem\+json/);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const reply = await http(url, '/nope');
    expect(reply.status).toBe(404);
    expect(reply.contentType).toMatch(/problem\+json/);
  });
});
