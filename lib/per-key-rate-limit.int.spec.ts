import express, { type RequestHandler } from 'express';
import type { Principal } from './auth/scopes';
import { listen, type Listening } from './http';
import { perPrincipalRateLimit } from './security';

// The per-key ingest limit as a client meets it: fixed windows that start at a key's first request, draft-7
// RateLimit headers on every counted answer, a 429 problem with Retry-After past the limit. Only the clock is
// faked: the window is measured on it, the sockets run for real.

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const LIMIT = 3;
const WINDOW_MS = 10_000;

interface Seen {
  readonly status: number;
  readonly policy: string | null;
  readonly rateLimit: string | null;
  readonly retryAfter: string | null;
  readonly body: unknown;
}

/** Who the request is from, as authentication would have put it in `res.locals`. */
const as =
  (principal?: Principal): RequestHandler =>
  (req, res, next) => {
    if (principal) res.locals.principal = principal;
    next();
  };

const key = (name: string): Principal => ({ kind: 'api-key', name, scopes: new Set(['shop:ingest']) });
const jwt = (name: string): Principal => ({ kind: 'jwt', name, scopes: new Set(['shop:ingest']) });

describe('the per-key rate limit', () => {
  let api: Listening;
  let passed = 0;

  beforeAll(async () => {
    jest.useFakeTimers({
      now: T0,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'clearTimeout',
        'queueMicrotask',
        'setInterval',
        'clearInterval',
        'hrtime',
        'performance',
      ],
    });
    const limit = perPrincipalRateLimit({ limit: LIMIT, windowMs: WINDOW_MS });
    const app = express();
    const handled: RequestHandler = (_req, res) => {
      passed++;
      res.status(204).end();
    };
    app.post('/a', as(key('a')), limit, handled);
    app.post('/b', as(key('b')), limit, handled);
    app.post('/jwt-a', as(jwt('a')), limit, handled);
    app.post('/nobody', as(), limit, handled);
    app.post('/odd-window', as(key('a')), perPrincipalRateLimit({ limit: 1, windowMs: 1500 }), handled);
    api = await listen(app, 0, '127.0.0.1', 'PORT');
  });
  afterAll(async () => {
    await api.close();
    jest.useRealTimers();
  });

  async function post(path: string, at: number): Promise<Seen> {
    jest.setSystemTime(T0 + at);
    const reply = await fetch(`http://127.0.0.1:${api.port}${path}`, { method: 'POST' });
    const text = await reply.text();
    return {
      status: reply.status,
      policy: reply.headers.get('ratelimit-policy'),
      rateLimit: reply.headers.get('ratelimit'),
      retryAfter: reply.headers.get('retry-after'),
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  const ok = (remaining: number, reset: number): Seen => ({
    status: 204,
    policy: `${LIMIT};w=10`,
    rateLimit: `limit=${LIMIT}, remaining=${remaining}, reset=${reset}`,
    retryAfter: null,
    body: undefined,
  });
  const limited = (reset: number): Seen => ({
    status: 429,
    policy: `${LIMIT};w=10`,
    rateLimit: `limit=${LIMIT}, remaining=0, reset=${reset}`,
    retryAfter: String(reset),
    body: {
      type: 'https://shop-pipeline.dev/problems/rate-limited',
      title: 'Too Many Requests',
      status: 429,
      detail: `More than ${LIMIT} requests in ${WINDOW_MS} ms for this key (INGEST_RATE_LIMIT); retry after the time in Retry-After.`,
      limit: 'INGEST_RATE_LIMIT',
      max: LIMIT,
      windowMs: WINDOW_MS,
    },
  });

  it('counts each key in windows that start at its first request, and refuses past the limit', async () => {
    passed = 0;
    const seen: Seen[] = [];
    seen.push(await post('/a', 0));
    seen.push(await post('/a', 1_000));
    seen.push(await post('/a', 2_500));
    seen.push(await post('/a', 2_500));
    seen.push(await post('/b', 2_500));
    seen.push(await post('/a', 9_001));
    seen.push(await post('/a', 9_999));
    // The window ends at T0 + 10 s exactly: a new one starts with that request.
    seen.push(await post('/a', 10_000));
    seen.push(await post('/b', 12_499));
    seen.push(await post('/b', 12_500));
    seen.push(await post('/a', 15_000));
    expect(seen).toEqual([
      ok(2, 10),
      ok(1, 9),
      ok(0, 8),
      limited(8),
      ok(2, 10),
      limited(1),
      limited(1),
      ok(2, 10),
      ok(1, 1),
      ok(2, 10),
      ok(1, 5),
    ]);
    expect(passed).toBe(8);
  });

  it('keeps API keys and JWT subjects of one name apart, and counts requests without a principal together', async () => {
    const at = 100_000;
    expect(await post('/jwt-a', at)).toEqual(ok(2, 10));
    expect(await post('/a', at)).toEqual(ok(2, 10));
    expect(await post('/jwt-a', at)).toEqual(ok(1, 10));
    expect(await post('/nobody', at)).toEqual(ok(2, 10));
    expect(await post('/nobody', at)).toEqual(ok(1, 10));
  });

  it('forgets a key after windows without requests, whatever happened in between', async () => {
    const at = 200_000;
    for (let i = 0; i < 5; i++) await post('/b', at);
    expect(await post('/b', at + 35_000)).toEqual(ok(2, 10));
  });

  it('states a window that is not whole seconds rounded up', async () => {
    const at = 300_000;
    const first = await post('/odd-window', at);
    const second = await post('/odd-window', at + 100);
    expect([first.policy, first.rateLimit]).toEqual(['1;w=2', 'limit=1, remaining=0, reset=2']);
    expect([second.status, second.rateLimit, second.retryAfter]).toEqual([
      429,
      'limit=1, remaining=0, reset=2',
      '2',
    ]);
  });
});
