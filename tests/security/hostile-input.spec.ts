import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { countEventsByType } from '../support/event-counts';
import { http, type HttpReply } from '../support/http-client';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { TEST_API_KEY } from '../support/test-keys';

// What the issue 14 fuzz run found answering 500, storing bad bytes or killing the gateway, one case each.
const API = '/shop/api/v1';
const MAX_BODY_BYTES = 1024 * 1024;
const routing = { applies: 'Order', source: 'fuzz', profile: 'web/v1' };

function nested(depth: number): string {
  return `{"applies":"Order","source":"fuzz","profile":"web/v1","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** A JSON body of exactly `bytes` bytes, in strings short enough for MAX_JSON_STRING_LENGTH. */
function bodyOfSize(bytes: number): string {
  const chunk = 50_000;
  const chunks = Math.ceil(bytes / chunk);
  const frame = JSON.stringify({ ...routing, pad: new Array(chunks).fill('') }).length;
  const fill = bytes - frame;
  const pad = Array.from({ length: chunks }, (_, i) =>
    'x'.repeat(Math.max(0, Math.min(chunk, fill - i * chunk))),
  );
  const body = JSON.stringify({ ...routing, pad });
  if (body.length !== bytes) throw new Error(`built ${body.length} bytes, not ${bytes}`);
  return body;
}

function post(
  pipeline: Pipeline,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
) {
  return http(pipeline.url, API, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Sends raw bytes on a socket and answers what came back. */
function raw(pipeline: Pipeline, bytes: string, waitMs = 2000): Promise<string> {
  const { port } = new URL(pipeline.url);
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    setTimeout(() => socket.destroy(), waitMs).unref();
  });
}

function expectProblem(reply: HttpReply, status: number, type?: RegExp) {
  expect({ status: reply.status, contentType: reply.contentType }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  if (type) expect((reply.body as { type: string }).type).toMatch(type);
}

describe('hostile input at the gateway is a 4xx problem, stores nothing and leaves the gateway up', () => {
  let pipeline: Pipeline;
  let stored: () => Promise<number>;

  beforeAll(async () => {
    pipeline = await startPipeline({
      processors: 0,
      synchronizers: false,
      httpTimeouts: { headersTimeoutMs: 1000, requestTimeoutMs: 1500 },
    });
    stored = async () => (await countEventsByType(pipeline.client)).ShopDataReceived ?? 0;
  });
  afterAll(() => pipeline.stop());

  afterEach(async () => {
    expect((await http(pipeline.url, '/health')).status).toBe(200);
    expect(await stored()).toBe(0);
  });

  it('refuses nesting 5,000 deep (which overflowed the store client and killed the gateway) naming the limit', async () => {
    for (const depth of [33, 5000, 100_000]) {
      const reply = await post(pipeline, nested(depth));
      expectProblem(reply, 400, /json-limit-exceeded/);
      expect(reply.body).toMatchObject({ limit: 'MAX_JSON_DEPTH', max: 32 });
    }
  });

  it('refuses huge arrays, strings and field counts naming each limit', async () => {
    const cases: [unknown, string][] = [
      [{ ...routing, lines: new Array(10_001).fill(0) }, 'MAX_JSON_ARRAY_LENGTH'],
      [{ ...routing, unitPrice: '9'.repeat(100_001) }, 'MAX_JSON_STRING_LENGTH'],
      [
        { ...routing, ...Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`f${i}`, i])) },
        'MAX_JSON_OBJECT_KEYS',
      ],
    ];
    for (const [body, limit] of cases) {
      const reply = await post(pipeline, JSON.stringify(body));
      expectProblem(reply, 413, /json-limit-exceeded/);
      expect(reply.body).toMatchObject({ limit });
    }
  });

  it('answers 413 for a body of exactly MAX_BODY_BYTES, whose event the store would refuse', async () => {
    expectProblem(await post(pipeline, bodyOfSize(MAX_BODY_BYTES)), 413, /event-too-large/);
    expectProblem(await post(pipeline, bodyOfSize(MAX_BODY_BYTES + 1)), 413, /body-too-large/);
  });

  it('answers 400 for garbage under a Content-Encoding and 415 for an unknown one', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      expectProblem(await post(pipeline, 'not compressed at all', { 'content-encoding': encoding }), 400);
    }
    expectProblem(await post(pipeline, '{}', { 'content-encoding': 'zstd-9000' }), 415);
    // a gzip bomb is bounded by MAX_BODY_BYTES after inflating
    const bomb = new Uint8Array(gzipSync(Buffer.from(bodyOfSize(8 * MAX_BODY_BYTES))));
    expectProblem(await post(pipeline, bomb, { 'content-encoding': 'gzip' }), 413);
  });

  it('accepts UTF-8 only: other charsets are 415, invalid UTF-8 bytes are 400', async () => {
    for (const charset of ['utf-16le', 'utf-16be', 'utf-32le', 'utf-7', 'iso-8859-1']) {
      const reply = await post(pipeline, JSON.stringify(routing), {
        'content-type': `application/json; charset=${charset}`,
      });
      expectProblem(reply, 415, /unsupported-charset/);
    }
    const invalid = Buffer.concat([
      Buffer.from('{"applies":"Order","source":"fuzz","profile":"web/v1","n":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ]);
    expectProblem(await post(pipeline, new Uint8Array(invalid)), 400, /invalid-utf8/);
  });

  it('answers 400 for malformed percent-encoding in ids and 405 for other methods', async () => {
    for (const path of [`${API}/orders/%ZZ`, `${API}/requests/%E0%A4%A`, `${API}/orders/%`]) {
      expectProblem(await http(pipeline.url, path), 400);
    }
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const reply = await http(pipeline.url, API, { method });
      expectProblem(reply, 405);
      expect(reply.headers.get('allow')).toBe('POST');
    }
    expectProblem(await http(pipeline.url, `${API}/orders`, { method: 'POST', body: '{}' }), 405);
  });

  it("answers Node's own client errors (bad HTTP, huge headers, slow bodies) as problem+json", async () => {
    const bad = await raw(pipeline, 'GARBAGE / HTTP/1.1\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400 /);
    expect(bad).toContain('application/problem+json');
    const huge = await raw(
      pipeline,
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    const started = Date.now();
    const slow = await raw(
      pipeline,
      `POST ${API} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_API_KEY}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"applies":',
      6000,
    );
    expect(slow).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(5000);
    // The timeout bounds receiving a request, not answering it: a long poll outlives it.
    const held = await http(pipeline.url, `${API}/requests/00000000-0000-4000-8000-000000000000?wait=2`);
    expect(held.status).toBe(404);
  });
});
