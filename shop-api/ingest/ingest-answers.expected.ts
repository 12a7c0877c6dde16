/** What the ingest route and its neighbours answered before their plumbing was changed (ingest-answers.int.spec.ts). */
export const REQUEST_ID = '00000000-0000-4000-8000-000000000001';
export const LIMIT = 6;

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** helmet's headers, as every answer carries them. */
const SECURITY = {
  'content-security-policy':
    "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';font-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const KEEP_ALIVE = { date: '…', connection: 'keep-alive', 'keep-alive': '…' };

const PROBLEMS = 'https://shop-pipeline.dev/problems/';
const limited = (remaining: number) => ({
  'ratelimit-policy': `${LIMIT};w=60`,
  ratelimit: `limit=${LIMIT}, remaining=${remaining}, reset=N`,
});
const json = (length: number) => ({
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(length),
});
const problemJson = (length: number) => ({
  'content-type': 'application/problem+json; charset=utf-8',
  'content-length': String(length),
});
const problemBody = (type: string, title: string, status: number, detail: string, extra = {}) => ({
  type: PROBLEMS + type,
  title,
  status,
  detail,
  ...extra,
});
/** An answer under /shop/api: helmet's headers, Vary: Origin (CORS), keep-alive. */
const onApi = (status: number, headers: Record<string, string>, body: unknown): Answer => ({
  status,
  headers: { ...SECURITY, vary: 'Origin', ...headers, ...KEEP_ALIVE },
  body,
});

export const EXPECTED: Record<string, Answer> = {
  accepted: onApi(
    202,
    { location: `/shop/api/v1/requests/${REQUEST_ID}`, ...limited(5), ...json(52) },
    { requestId: REQUEST_ID },
  ),
  unsupportedMediaType: onApi(
    415,
    { ...limited(4), ...problemJson(189) },
    problemBody(
      'unsupported-media-type',
      'Unsupported Media Type',
      415,
      'Send the shop data as JSON with Content-Type: application/json.',
    ),
  ),
  badJson: onApi(
    400,
    { ...limited(3), ...problemJson(140) },
    problemBody('invalid-json', 'Bad Request', 400, 'The request body is not valid JSON.'),
  ),
  badUtf8: onApi(
    400,
    { ...limited(2), ...problemJson(153) },
    problemBody('invalid-utf8', 'Bad Request', 400, 'The body is not valid UTF-8; nothing was stored.'),
  ),
  unexpected: onApi(
    500,
    { ...limited(1), ...problemJson(160) },
    problemBody(
      'internal',
      'Internal Server Error',
      500,
      'An unexpected error occurred; it has been logged.',
    ),
  ),
  badCharset: onApi(
    415,
    { ...limited(0), ...problemJson(194) },
    problemBody(
      'unsupported-charset',
      'Unsupported Media Type',
      415,
      'JSON must be UTF-8 (RFC 8259): leave out charset or send charset=utf-8.',
    ),
  ),
  rateLimited: onApi(
    429,
    { 'retry-after': '60', ...limited(0), ...problemJson(267) },
    problemBody(
      'rate-limited',
      'Too Many Requests',
      429,
      'More than 6 requests in 60000 ms for this key (INGEST_RATE_LIMIT); retry after the time in Retry-After.',
      { limit: 'INGEST_RATE_LIMIT', max: 6, windowMs: 60000 },
    ),
  ),
  noToken: onApi(
    401,
    { 'www-authenticate': 'Bearer realm="shop-pipeline"', ...problemJson(181) },
    problemBody(
      'unauthenticated',
      'Unauthorized',
      401,
      'Send a token as "Authorization: Bearer <token>" (an API key or a JWT).',
    ),
  ),
  badToken: onApi(
    401,
    { 'www-authenticate': 'Bearer realm="shop-pipeline", error="invalid_token"', ...problemJson(132) },
    problemBody('invalid-token', 'Unauthorized', 401, 'The API key is not valid.'),
  ),
  notBearer: onApi(
    401,
    { 'www-authenticate': 'Bearer realm="shop-pipeline", error="invalid_request"', ...problemJson(166) },
    problemBody(
      'invalid-authorization',
      'Unauthorized',
      401,
      'The Authorization header is not "Bearer <token>".',
    ),
  ),
  wrongScope: onApi(
    403,
    {
      'www-authenticate': 'Bearer realm="shop-pipeline", error="insufficient_scope", scope="shop:ingest"',
      ...problemJson(198),
    },
    problemBody(
      'insufficient-scope',
      'Forbidden',
      403,
      'This needs the scope shop:ingest, which the token lacks.',
      { requiredScopes: ['shop:ingest'] },
    ),
  ),
  badIdempotencyKey: onApi(
    400,
    { ...limited(5), ...problemJson(171) },
    problemBody(
      'invalid-idempotency-key',
      'Bad Request',
      400,
      'Idempotency-Key must be 1-255 visible ASCII characters.',
    ),
  ),
  invalidShopData: onApi(
    400,
    { ...limited(4), ...problemJson(248) },
    problemBody('invalid-shop-data', 'Bad Request', 400, 'source is required; profile is required.', {
      errors: [
        { field: 'source', message: 'is required' },
        { field: 'profile', message: 'is required' },
      ],
    }),
  ),
  keyReused: onApi(
    422,
    { ...limited(3), ...problemJson(296) },
    problemBody(
      'idempotency-key-reused',
      'Unprocessable Content',
      422,
      'Idempotency-Key "k-1" was already used for a request with a different body; nothing was stored.',
      { idempotencyKey: 'k-1', requestId: REQUEST_ID },
    ),
  ),
  storeDown: onApi(
    503,
    { ...limited(2), ...problemJson(187) },
    problemBody(
      'store-unavailable',
      'Service Unavailable',
      503,
      'The event store is unreachable: the data was NOT stored. Retry later.',
    ),
  ),
  trailingSlash: onApi(
    202,
    { location: `/shop/api/v1/requests/${REQUEST_ID}`, ...limited(1), ...json(52) },
    { requestId: REQUEST_ID },
  ),
  query: onApi(
    202,
    { location: `/shop/api/v1/requests/${REQUEST_ID}`, ...limited(0), ...json(52) },
    { requestId: REQUEST_ID },
  ),
  get: onApi(
    405,
    { allow: 'POST', ...problemJson(158) },
    problemBody('method-not-allowed', 'Method Not Allowed', 405, 'GET is not allowed here; POST shop data.'),
  ),
  options: onApi(
    405,
    { allow: 'POST', ...problemJson(162) },
    problemBody(
      'method-not-allowed',
      'Method Not Allowed',
      405,
      'OPTIONS is not allowed here; POST shop data.',
    ),
  ),
  unknown: onApi(
    404,
    { ...problemJson(133) },
    problemBody('not-found', 'Not Found', 404, 'No resource at POST /shop/api/v2.'),
  ),
  postHealth: {
    status: 404,
    headers: { ...SECURITY, ...problemJson(128), ...KEEP_ALIVE },
    body: {
      type: 'https://shop-pipeline.dev/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No resource at POST /health.',
    },
  },
  headHealth: { status: 200, headers: { ...SECURITY, ...json(15), ...KEEP_ALIVE }, body: undefined },
  optionsHealth: {
    status: 200,
    headers: {
      ...SECURITY,
      allow: 'GET, HEAD',
      'content-length': '9',
      'content-type': 'text/plain',
      ...KEEP_ALIVE,
    },
    body: 'GET, HEAD',
  },
  getHealth: { status: 200, headers: { ...SECURITY, ...json(15), ...KEEP_ALIVE }, body: { status: 'ok' } },
};

export const COUNTED = [
  'http_requests_total{method="POST",route="/shop/api/v1",status="202",service="shop-api"} 3',
  'http_requests_total{method="POST",route="/shop/api/v1",status="415",service="shop-api"} 2',
  'http_requests_total{method="POST",route="/shop/api/v1",status="400",service="shop-api"} 4',
  'http_requests_total{method="POST",route="/shop/api/v1",status="500",service="shop-api"} 1',
  'http_requests_total{method="POST",route="/shop/api/v1",status="429",service="shop-api"} 1',
  'http_requests_total{method="POST",route="unmatched",status="401",service="shop-api"} 3',
  'http_requests_total{method="POST",route="/shop/api/v1",status="403",service="shop-api"} 1',
  'http_requests_total{method="POST",route="/shop/api/v1",status="422",service="shop-api"} 1',
  'http_requests_total{method="POST",route="/shop/api/v1",status="503",service="shop-api"} 1',
  'http_requests_total{method="GET",route="/shop/api/v1",status="405",service="shop-api"} 1',
  'http_requests_total{method="OPTIONS",route="/shop/api/v1",status="405",service="shop-api"} 1',
  'http_requests_total{method="POST",route="unmatched",status="404",service="shop-api"} 2',
  'http_requests_total{method="HEAD",route="/health",status="200",service="shop-api"} 1',
  'http_requests_total{method="OPTIONS",route="unmatched",status="200",service="shop-api"} 1',
  'http_requests_total{method="GET",route="/health",status="200",service="shop-api"} 1',
];
