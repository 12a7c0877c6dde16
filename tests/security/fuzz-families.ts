import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

/** A seeded generator (mulberry32): the same seed gives the same corpus on every run. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  return { next, int, pick, bytes };
}
export type Random = ReturnType<typeof random>;

/** One hostile request: raw bytes and headers, exactly as sent. */
export interface FuzzCase {
  readonly family: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

const API = '/shop/api/v1';
const routing = '"applies":"Order","source":"fuzz","profile":"web/v1"';
const json = { 'content-type': 'application/json' };
const post = (family: string, body: Buffer | string, headers: Record<string, string> = json): FuzzCase => ({
  family,
  method: 'POST',
  path: API,
  headers,
  body: Buffer.from(body),
});

function nesting(r: Random): FuzzCase {
  const depth = r.int(33, 20_000);
  const [open, close] = r.pick([
    ['[', ']'],
    ['{"a":', '}'],
  ]);
  return post('deep nesting', `{${routing},"x":${open.repeat(depth)}1${close.repeat(depth)}}`);
}

function hugeArray(r: Random): FuzzCase {
  return post(
    'huge arrays',
    `{${routing},"lines":[${new Array(r.int(10_001, 60_000)).fill('0').join(',')}]}`,
  );
}

function hugeString(r: Random): FuzzCase {
  return post('huge strings', `{${routing},"name":"${'y'.repeat(r.int(100_001, 400_000))}"}`);
}

function manyFields(r: Random): FuzzCase {
  const fields = Array.from({ length: r.int(1001, 20_000) }, (_, i) => `"f${i}":${i}`).join(',');
  return post('field counts', `{${routing},${fields}}`);
}

/** `%` followed by nothing, one hex digit or non-hex characters, in path ids and query values. */
function percent(r: Random): FuzzCase {
  const bad = r.pick(['%', '%Z', '%ZZ', '%E0%A4%A', '%C3%', '%%%', '%G1', '%ed%a0%80', '%00%']);
  const path = r.pick([
    `${API}/orders/${bad}`,
    `${API}/requests/x${bad}`,
    `${API}/orders?status=${bad}`,
    `${API}/orders?cursor=${bad}`,
    `${API}/reports/sales?from=${bad}&to=2026-01-01`,
    `/${bad}`,
  ]);
  return { family: 'bad percent-encoding', method: 'GET', path, headers: {} };
}

function encodingGarbage(r: Random): FuzzCase {
  const encoding = r.pick([
    'gzip',
    'deflate',
    'br',
    'x-gzip',
    'compress',
    'gzip, gzip',
    'identity, br',
    'zz',
  ]);
  const valid = Buffer.from(`{${routing},"n":1}`);
  const body = r.pick([
    r.bytes(r.int(1, 2000)),
    gzipSync(valid).subarray(0, r.int(1, 20)),
    Buffer.concat([deflateSync(valid), r.bytes(8)]),
    brotliCompressSync(valid).subarray(3),
  ]);
  return post('Content-Encoding garbage', body, { ...json, 'content-encoding': encoding });
}

function charset(r: Random): FuzzCase {
  const name = r.pick([
    'utf-16le',
    'utf-16be',
    'utf-16',
    'utf-32le',
    'utf-32be',
    'utf-7',
    'latin1',
    'bogus',
    '',
  ]);
  const text = `{${routing},"name":"Zoë +AGEAYgBj-"}`;
  const body = name.startsWith('utf-16') ? Buffer.from(text, 'utf16le') : Buffer.from(text);
  return post('charsets', body, { 'content-type': `application/json; charset=${name}` });
}

function invalidUtf8(r: Random): FuzzCase {
  const bad = r.pick([
    [0xff],
    [0xc3, 0x28],
    [0xe2, 0x82],
    [0xed, 0xa0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xc0, 0xaf],
  ]);
  return post(
    'invalid UTF-8',
    Buffer.concat([Buffer.from(`{${routing},"name":"a`), Buffer.from(bad), Buffer.from('b"}')]),
  );
}

/** Bodies of MAX_BODY_BYTES ± 2 bytes (MAX_BODY_BYTES below the string limit, so one string fills them). */
export function bodyEdge(maxBodyBytes: number) {
  return (r: Random): FuzzCase => {
    const size = maxBodyBytes + r.int(-2, 2);
    const frame = `{${routing},"pad":""}`.length;
    return post('MAX_BODY_BYTES edges', `{${routing},"pad":"${'x'.repeat(size - frame)}"}`);
  };
}

function garbage(r: Random): FuzzCase {
  return post(
    'random bytes',
    r.bytes(r.int(0, 4000)),
    r.pick([json, { 'content-type': 'application/x+json' }]),
  );
}

function hostileQuery(r: Random): FuzzCase {
  const query = r.pick([
    'status[$gt]=',
    'status=Placed&status=Paid',
    'limit=1e9',
    'limit=-1',
    `customerId=${'c'.repeat(r.int(201, 5000))}`,
    'cursor=eyJ9',
    `cursor=${Buffer.from(JSON.stringify([{ $gt: '' }, 'x'])).toString('base64url')}`,
    '__proto__[x]=1',
    `${'a'.repeat(r.int(1, 100))}=1`,
  ]);
  const path = r.pick([
    `${API}/orders?${query}`,
    `${API}/reports/sales?from=2026-01-01&to=2026-01-02&${query}`,
  ]);
  return { family: 'hostile queries', method: 'GET', path, headers: {} };
}

export const FAMILIES: readonly ((r: Random) => FuzzCase)[] = [
  nesting,
  hugeArray,
  hugeString,
  manyFields,
  percent,
  encodingGarbage,
  charset,
  invalidUtf8,
  garbage,
  hostileQuery,
];
