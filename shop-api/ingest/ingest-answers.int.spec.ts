import { request } from 'node:http';
import { createShopApi } from '../app';
import { listen, type Listening } from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { createMetricsRegistry } from '../../lib/metrics';
import { TEST_KEYS, testAuthenticator } from '../../tests/support/test-keys';
import { COUNTED, EXPECTED, LIMIT, REQUEST_ID, type Answer } from './ingest-answers.expected';
import type { InputPublisher } from './input-publisher';

// Every answer of the ingest route and its neighbours, status, headers and body, for each way a request can end:
// what a client sees must not change when the route's plumbing does.

const body = JSON.stringify({ applies: 'Order', source: 'erp', profile: 'erp-export/v1', ORDER_NO: 'o-1' });

class Unavailable extends Error {
  readonly code = 14;
}

/** Answers by the body's ORDER_NO: `boom` fails unexpectedly, `down` as if the store were unreachable. */
const publisher: InputPublisher = {
  publish(data) {
    const orderNo = data.payload.ORDER_NO;
    if (orderNo === 'boom') return Promise.reject(new Error('unexpected'));
    if (orderNo === 'down') return Promise.reject(new Unavailable('14 UNAVAILABLE: no connection'));
    if (orderNo === 'reused')
      return Promise.resolve({ ok: false, reason: 'key-reused', requestId: REQUEST_ID });
    return Promise.resolve({
      ok: true,
      requestId: REQUEST_ID,
      metadata: {
        applies: data.applies,
        source: data.source,
        profile: data.profile,
        receivedAt: '2026-01-01T00:00:00.000Z',
        $correlationId: REQUEST_ID,
      },
    });
  },
};

/** Headers that depend on the moment: their shape is checked, their value left out. */
const MOMENTARY = new Set(['date', 'keep-alive']);

function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  payload?: string | Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const seen: Record<string, string> = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!.toLowerCase();
          const value = res.rawHeaders[i + 1]!;
          // The reset is whole seconds left of the window: one second either way is the clock, not the code.
          seen[name] = MOMENTARY.has(name) ? '…' : value.replace(/reset=\d+/, 'reset=N');
        }
        let parsed: unknown = text;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: seen, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const JSON_TYPE = { 'content-type': 'application/json' };

describe('the answers of POST /shop/api/v1, header by header', () => {
  let api: Listening;
  const answers: Record<string, Answer> = {};

  beforeAll(async () => {
    const app = createShopApi({
      publisher,
      logger: createLogger('test', { level: 'silent' }),
      registry: createMetricsRegistry('shop-api'),
      maxBodyBytes: 4096,
      checks: {},
      authenticator: testAuthenticator(),
      ingestRateLimit: { limit: LIMIT, windowMs: 60_000 },
      tracing: false,
      metricsOpen: true,
    });
    api = await listen(app, 0, '127.0.0.1', 'PORT');
    const post = (headers: Record<string, string>, payload?: string | Buffer) =>
      send(api.port, 'POST', '/shop/api/v1', headers, payload);
    // In this order, one request at a time: the key `all` spends its whole limit, `ingest` all of it but none.
    const all = bearer(TEST_KEYS.all);
    answers.accepted = await post({ ...JSON_TYPE, ...all }, body);
    answers.unsupportedMediaType = await post({ 'content-type': 'text/plain', ...all }, body);
    answers.badJson = await post({ ...JSON_TYPE, ...all }, '{"applies":');
    answers.badUtf8 = await post({ ...JSON_TYPE, ...all }, Buffer.from([0x7b, 0xff, 0x7d]));
    answers.unexpected = await post({ ...JSON_TYPE, ...all }, body.replace('o-1', 'boom'));
    answers.badCharset = await post({ 'content-type': 'application/json; charset=utf-16', ...all }, body);
    answers.rateLimited = await post({ ...JSON_TYPE, ...all }, body);
    answers.noToken = await post(JSON_TYPE, body);
    answers.badToken = await post({ ...JSON_TYPE, authorization: 'Bearer shk_nope' }, body);
    answers.notBearer = await post({ ...JSON_TYPE, authorization: 'Basic abc' }, body);
    answers.wrongScope = await post({ ...JSON_TYPE, ...bearer(TEST_KEYS.read) }, body);
    const ingest = bearer(TEST_KEYS.ingest);
    answers.badIdempotencyKey = await post({ ...JSON_TYPE, ...ingest, 'idempotency-key': 'a b' }, body);
    answers.invalidShopData = await post({ ...JSON_TYPE, ...ingest }, '{"applies":"Order"}');
    answers.keyReused = await post(
      { ...JSON_TYPE, ...ingest, 'idempotency-key': 'k-1' },
      body.replace('o-1', 'reused'),
    );
    answers.storeDown = await post({ ...JSON_TYPE, ...ingest }, body.replace('o-1', 'down'));
    answers.trailingSlash = await send(api.port, 'POST', '/shop/api/v1/', { ...JSON_TYPE, ...ingest }, body);
    answers.query = await send(api.port, 'POST', '/shop/api/v1?x=1', { ...JSON_TYPE, ...ingest }, body);
    answers.get = await send(api.port, 'GET', '/shop/api/v1', all);
    answers.options = await send(api.port, 'OPTIONS', '/shop/api/v1', all);
    answers.unknown = await send(api.port, 'POST', '/shop/api/v2', { ...JSON_TYPE, ...all }, body);
    answers.postHealth = await send(api.port, 'POST', '/health', {});
    answers.headHealth = await send(api.port, 'HEAD', '/health', {});
    answers.optionsHealth = await send(api.port, 'OPTIONS', '/health', {});
    answers.getHealth = await send(api.port, 'GET', '/health', {});
  });
  afterAll(() => api.close());

  it('counts every answer under the same route label', async () => {
    const metrics = await send(api.port, 'GET', '/metrics', {});
    const counted = String(metrics.body)
      .split('\n')
      .filter((line) => line.startsWith('http_requests_total{'));
    expect(counted.sort()).toEqual([...COUNTED].sort());
  });

  it('answers as it always did', () => {
    expect(answers).toEqual(EXPECTED);
  });
});
