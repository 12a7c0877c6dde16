import { createShopApi } from '../../shop-api/app';
import { eventStoreInputPublisher } from '../../shop-api/ingest/input-publisher';
import { listen, type Listening } from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { createMetricsRegistry } from '../../lib/metrics';
import { UI_DIR } from '../browser/support/browser';
import { http, postJson } from '../support/http-client';
import { TEST_KEYS, testAuthenticator } from '../support/test-keys';
import { openTestEventStore, type TestEventStore } from '../support/test-servers';

const API = '/shop/api/v1';
const ALLOWED = 'https://shop.example.com';
const body = { applies: 'Order', source: 'erp', profile: 'erp-export/v1', ORDER_NO: 'o-1' };

describe('what the gateway exposes', () => {
  let eventstore: TestEventStore;
  let api: Listening;
  let url: string;

  beforeAll(async () => {
    eventstore = await openTestEventStore();
    const app = createShopApi({
      publisher: eventStoreInputPublisher(eventstore.client, 'shop-input'),
      logger: createLogger('test', { level: 'silent' }),
      registry: createMetricsRegistry('shop-api'),
      maxBodyBytes: 4096,
      checks: {},
      staticDir: UI_DIR,
      authenticator: testAuthenticator(),
      ingestRateLimit: { limit: 3, windowMs: 60_000 },
      corsOrigins: [ALLOWED],
      metricsOpen: true,
    });
    api = await listen(app, 0, '127.0.0.1', 'PORT');
    url = `http://127.0.0.1:${api.port}`;
  });
  afterAll(async () => {
    await api.close();
    await eventstore.close();
  });

  it('sends security headers on the UI, the API and errors, and no X-Powered-By', async () => {
    for (const path of ['/', '/app.js', `${API}/orders/none`, '/nope']) {
      const reply = await http(url, path);
      const csp = reply.headers.get('content-security-policy') ?? '';
      expect({ path, csp }).toEqual({ path, csp: expect.stringContaining("default-src 'self'") });
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('x-frame-options')).toBe('DENY');
      expect(reply.headers.get('x-powered-by')).toBeNull();
    }
  });

  it("serves the UI's pages and scripts without a token, but not its README or tsconfig", async () => {
    expect((await http(url, '/', { token: null })).status).toBe(200);
    expect((await http(url, '/api-client.js', { token: null })).status).toBe(200);
    for (const path of ['/README.md', '/tsconfig.json', '/.eslintrc', '/../package.json']) {
      expect({ path, status: (await http(url, path, { token: null })).status }).toEqual({
        path,
        status: 404,
      });
    }
  });

  it('keeps CORS closed except for the configured origins', async () => {
    const stranger = await http(url, `${API}/orders`, { headers: { origin: 'https://evil.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await http(url, API, {
      method: 'OPTIONS',
      token: null,
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const strangerPreflight = await http(url, API, {
      method: 'OPTIONS',
      token: null,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(strangerPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves /metrics without a token when it listens on loopback only', async () => {
    expect((await http(url, '/metrics', { token: null })).status).toBe(200);
    expect((await http(url, '/ready', { token: null })).status).toBe(401);
  });

  it('limits ingest per key: 429 problem+json with Retry-After, other keys unaffected', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await postJson(url, API, body, {}, TEST_KEYS.ingest)).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const limited = await postJson(url, API, body, {}, TEST_KEYS.ingest);
    expect(limited.contentType).toMatch(/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, limit: 'INGEST_RATE_LIMIT' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await postJson(url, API, body, {}, TEST_KEYS.all)).status).toBe(202);
  });
});
