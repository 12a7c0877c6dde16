import { TEST_API_KEY } from './test-keys';

/** Plain HTTP against a service under test; real sockets, Node's fetch. */
export interface HttpReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly contentType: string;
}

export interface HttpInit {
  readonly method?: string;
  readonly body?: string | Uint8Array<ArrayBuffer>;
  readonly headers?: Record<string, string>;
  /** The bearer token sent; the test key with every scope unless given, none when null. */
  readonly token?: string | null;
}

/** Headers with `Authorization: Bearer <token>` added, unless the caller set one of its own or asked for none. */
export function withToken(headers: Record<string, string> = {}, token: string | null = TEST_API_KEY) {
  const own = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
  return own || token === null ? headers : { ...headers, authorization: `Bearer ${token}` };
}

export async function http(baseUrl: string, path: string, init: HttpInit = {}): Promise<HttpReply> {
  const { token, ...rest } = init;
  const response = await fetch(baseUrl + path, { ...rest, headers: withToken(init.headers, token) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return {
    status: response.status,
    headers: response.headers,
    body,
    contentType: response.headers.get('content-type') ?? '',
  };
}

export function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  token?: string | null,
) {
  return http(baseUrl, path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
    token,
  });
}
