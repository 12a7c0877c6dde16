import { http, postJson, type HttpReply } from '../support/http-client';
import { eventually } from '../../lib/eventually';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../support/test-issuer';
import { TEST_KEYS } from '../support/test-keys';

const API = '/shop/api/v1';
const placed = {
  applies: 'Order',
  source: 'web',
  profile: 'web/v1',
  action: 'place',
  orderId: 'o-pii',
  customer: { id: 'c-ada', name: 'Ada Lovelace', email: 'ada@example.com' },
  lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '5.00' }],
  currency: 'EUR',
};

function expectRefused(reply: HttpReply, status: 401 | 403, error?: string) {
  expect(reply.status).toBe(status);
  expect(reply.contentType).toMatch(/^application\/problem\+json/);
  const challenge = reply.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer realm="shop-pipeline"/);
  if (error) expect(challenge).toContain(`error="${error}"`);
}

describe('authentication and scopes', () => {
  let pipeline: Pipeline;
  let issuer: TestIssuer;
  let requestId: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    pipeline = await startPipeline({
      oidc: { issuer: issuer.issuer, audience: TEST_AUDIENCE, jwksUrl: undefined },
    });
    const reply = await postJson(pipeline.url, API, placed, {}, TEST_KEYS.ingest);
    expect(reply.status).toBe(202);
    requestId = (reply.body as { requestId: string }).requestId;
    await eventually(async () => {
      const order = await http(pipeline.url, `${API}/orders/o-pii`);
      return order.status === 200 ? true : undefined;
    });
  });
  afterAll(async () => {
    await pipeline.stop();
    await issuer.close();
  });

  it('answers 401 with a Bearer challenge without a token, except /health', async () => {
    expectRefused(await postJson(pipeline.url, API, placed, {}, null), 401);
    for (const path of [
      `${API}/orders`,
      `${API}/orders/o-pii`,
      `${API}/requests/${requestId}`,
      '/ready',
      '/metrics',
      `${API}/nope`,
    ]) {
      expectRefused(await http(pipeline.url, path, { token: null }), 401);
    }
    expect((await http(pipeline.url, '/health', { token: null })).status).toBe(200);
  });

  it('refuses unknown keys and malformed headers', async () => {
    expectRefused(
      await http(pipeline.url, `${API}/orders`, { token: `shk_${'A'.repeat(43)}` }),
      401,
      'invalid_token',
    );
    expectRefused(await http(pipeline.url, `${API}/orders`, { token: 'not-a-token' }), 401, 'invalid_token');
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', `Bearer ${TEST_KEYS.all} extra`]) {
      expectRefused(await http(pipeline.url, `${API}/orders`, { headers: { authorization } }), 401);
    }
  });

  it('enforces each scope: shop:ingest posts, shop:read queries, shop:admin reads /ready and /metrics', async () => {
    expectRefused(await postJson(pipeline.url, API, placed, {}, TEST_KEYS.read), 403, 'insufficient_scope');
    expectRefused(await postJson(pipeline.url, API, placed, {}, TEST_KEYS.admin), 403, 'insufficient_scope');
    expectRefused(
      await http(pipeline.url, `${API}/orders`, { token: TEST_KEYS.ingest }),
      403,
      'insufficient_scope',
    );
    expectRefused(
      await http(pipeline.url, `${API}/reports/sales?from=2026-01-01&to=2026-01-02`, {
        token: TEST_KEYS.admin,
      }),
      403,
    );
    expect(
      (await http(pipeline.url, `${API}/requests/${requestId}`, { token: TEST_KEYS.ingest })).status,
    ).toBe(200);
    expect((await http(pipeline.url, `${API}/orders/o-pii`, { token: TEST_KEYS.read })).status).toBe(200);
    for (const path of ['/ready', '/metrics']) {
      expectRefused(await http(pipeline.url, path, { token: TEST_KEYS.read }), 403, 'insufficient_scope');
      expect((await http(pipeline.url, path, { token: TEST_KEYS.admin })).status).toBe(200);
    }
  });

  it("masks the customer's name and e-mail without shop:pii", async () => {
    const masked = { id: 'c-ada', name: 'A*** L***', email: 'a***@***.com' };
    const one = await http(pipeline.url, `${API}/orders/o-pii`, { token: TEST_KEYS.read });
    expect((one.body as { customer: unknown }).customer).toEqual(masked);
    const list = await http(pipeline.url, `${API}/orders?customerId=c-ada`, { token: TEST_KEYS.read });
    expect((list.body as { items: { customer: unknown }[] }).items.map((o) => o.customer)).toEqual([masked]);
    expect(JSON.stringify(list.body)).not.toMatch(/Ada|Lovelace|example/);
    const unmasked = await http(pipeline.url, `${API}/orders/o-pii`, { token: TEST_KEYS.readPii });
    expect((unmasked.body as { customer: unknown }).customer).toEqual(placed.customer);
  });

  it("accepts the issuer's JWTs with their scopes", async () => {
    const reader = await issuer.sign({ sub: 'analyst', scope: 'shop:read shop:pii' });
    const one = await http(pipeline.url, `${API}/orders/o-pii`, { token: reader });
    expect(one.status).toBe(200);
    expect((one.body as { customer: unknown }).customer).toEqual(placed.customer);
    expectRefused(await postJson(pipeline.url, API, placed, {}, reader), 403, 'insufficient_scope');
    const sender = await issuer.sign({ sub: 'erp', scp: ['shop:ingest'] });
    expect((await postJson(pipeline.url, API, { ...placed, orderId: 'o-jwt' }, {}, sender)).status).toBe(202);
  });

  it('refuses expired, forged, wrong-audience, wrong-issuer and unsigned JWTs', async () => {
    const claims = { sub: 'mallory', scope: 'shop:read' };
    const tokens = {
      expired: await issuer.sign(claims, { expiresIn: Math.floor(Date.now() / 1000) - 120 }),
      forged: await issuer.sign(claims, { forged: true }),
      wrongAudience: await issuer.sign(claims, { audience: 'another-api' }),
      wrongIssuer: await issuer.sign(claims, { issuer: 'https://evil.example' }),
    };
    const [header, payload] = tokens.forged.split('.');
    const unsigned = [
      `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`,
      `${header}.${Buffer.from(JSON.stringify({ ...claims, scope: 'shop:read shop:ingest shop:admin' })).toString('base64url')}.${tokens.forged.split('.')[2]}`,
    ];
    for (const token of [...Object.values(tokens), ...unsigned]) {
      expectRefused(await http(pipeline.url, `${API}/orders`, { token }), 401, 'invalid_token');
    }
    const expired = await http(pipeline.url, `${API}/orders`, { token: tokens.expired });
    expect((expired.body as { detail: string }).detail).toMatch(/expired/);
  });
});

describe('an unreachable issuer', () => {
  it('is a 503 for JWTs, while API keys keep working', async () => {
    const issuer = await startTestIssuer();
    const token = await issuer.sign({ sub: 'x', scope: 'shop:read' });
    await issuer.close();
    const pipeline = await startPipeline({
      processors: 0,
      synchronizers: false,
      oidc: { issuer: issuer.issuer, audience: TEST_AUDIENCE, jwksUrl: undefined },
    });
    try {
      const reply = await http(pipeline.url, `${API}/orders`, { token });
      expect(reply.status).toBe(503);
      expect(reply.contentType).toMatch(/problem\+json/);
      expect((await http(pipeline.url, `${API}/requests/nope`)).status).not.toBe(503);
    } finally {
      await pipeline.stop();
    }
  });
});
