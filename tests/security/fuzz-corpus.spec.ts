import { request } from 'node:http';
import { connect } from 'node:net';
import { countEventsByType } from '../support/event-counts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { TEST_API_KEY } from '../support/test-keys';
import {
  openTestEventStore,
  openTestMongo,
  type TestEventStore,
  type TestMongo,
} from '../support/test-servers';
import { bodyEdge, FAMILIES, random, type FuzzCase } from './fuzz-families';

/**
 * A generated corpus of hostile requests (seeded, so every run sends the same bytes) against the gateway as its own
 * process, over real HTTP. Invariants: no answer is a 5xx, the process stays up, and nothing is stored for a 4xx
 * (the input stream holds exactly one message per 202).
 */
const SEED = 14;
const CASES_PER_FAMILY = 12;
const MAX_BODY_BYTES = 65_536;
const REQUEST_TIMEOUT_MS = 1000;

function send(base: URL, fuzz: FuzzCase): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: base.port,
        method: fuzz.method,
        path: fuzz.path,
        headers: { authorization: `Bearer ${TEST_API_KEY}`, ...fuzz.headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    // a reset connection (the gateway died) counts as status 0, which the invariant refuses
    req.on('error', () => resolve(0));
    req.end(fuzz.body);
  });
}

/** A body announced but dripped a byte at a time: the gateway must answer 408 and free the socket. */
function drip(base: URL): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(Number(base.port), '127.0.0.1', () => {
      socket.write(
        `POST /shop/api/v1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_API_KEY}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
      );
    });
    const timer = setInterval(() => socket.writable && socket.write(' '), 200);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => {
      clearInterval(timer);
      resolve(answer);
    });
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), 10_000).unref();
  });
}

describe('generated corpus of hostile requests against the shop-api process', () => {
  let eventstore: TestEventStore;
  let mongo: TestMongo;
  let api: ServiceProcess;
  let base: URL;

  beforeAll(async () => {
    [eventstore, mongo] = await Promise.all([openTestEventStore(), openTestMongo()]);
    api = startServiceProcess('shop-api/main.ts', {
      PORT: '0',
      ESDB_CONNECTION_STRING: eventstore.connectionString,
      MONGO_URL: mongo.url,
      MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HEADERS_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      INGEST_RATE_LIMIT: '100000',
    });
    const listening = await api.waitForLog('shop-api listening');
    base = new URL(`http://127.0.0.1:${String(listening.port)}`);
  }, 60_000);
  afterAll(async () => {
    await api.stop();
    await mongo.close();
    await eventstore.close();
  });

  it('answers every case below 500, stays up, and stores only what it accepted', async () => {
    const r = random(SEED);
    const corpus = [...FAMILIES, bodyEdge(MAX_BODY_BYTES)].flatMap((family) =>
      Array.from({ length: CASES_PER_FAMILY }, () => family(r)),
    );
    const answers: { family: string; path: string; status: number }[] = [];
    for (const fuzz of corpus)
      answers.push({ family: fuzz.family, path: fuzz.path.slice(0, 80), status: await send(base, fuzz) });
    const slow = await Promise.all([drip(base), drip(base), drip(base)]);

    expect(answers.filter((a) => a.status >= 500 || a.status === 0)).toEqual([]);
    for (const answer of slow) expect(answer).toMatch(/^HTTP\/1\.1 408 [^]*application\/problem\+json/);
    expect(api.child.exitCode).toBeNull();
    expect(await send(base, { family: 'health', method: 'GET', path: '/health', headers: {} })).toBe(200);
    const accepted = answers.filter((a) => a.status === 202).length;
    expect(accepted).toBeLessThan(corpus.length / 10);
    expect((await countEventsByType(eventstore.client)).ShopDataReceived ?? 0).toBe(accepted);
  }, 60_000);
});
