import type { ErrorRequestHandler, Response } from 'express';

/** RFC 9457 problem details: the one error shape at every HTTP edge. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_TYPE_BASE = 'https://shop-pipeline.dev/problems/';

export function problem(
  status: number,
  slug: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return { type: PROBLEM_TYPE_BASE + slug, title: TITLES[status] ?? 'Error', status, detail, ...extensions };
}

export function sendProblem(res: Response, body: Problem): void {
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/** Thrown by a middleware that has already decided the answer; the error handler sends it as it is. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ProblemError';
  }
}

interface HttpishError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  limit?: unknown;
  code?: unknown;
  expose?: unknown;
}

/** The client went away or stopped sending: nothing to answer and nothing went wrong on our side. */
export function isClientGone(error: unknown): boolean {
  const { type, code } = (error ?? {}) as HttpishError;
  return type === 'request.aborted' || code === 'ECONNRESET' || code === 'ECONNABORTED';
}

/** What body-parser, the router and zlib throw for the client's bytes, as problem details; else undefined. */
export function clientErrorProblem(error: unknown): Problem | undefined {
  if (error instanceof ProblemError) return error.problem;
  const e = (error ?? {}) as HttpishError;
  switch (e.type) {
    case 'entity.parse.failed':
      return problem(400, 'invalid-json', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return problem(
        413,
        'body-too-large',
        `The request body is larger than the limit of ${String(e.limit)} bytes (MAX_BODY_BYTES).`,
        { limit: 'MAX_BODY_BYTES', max: e.limit },
      );
    case 'encoding.unsupported':
      return problem(
        415,
        'unsupported-content-encoding',
        'Content-Encoding must be identity, gzip, deflate or br.',
      );
    case 'charset.unsupported':
      return problem(415, 'unsupported-charset', 'The body must be UTF-8 JSON.');
    case 'request.size.invalid':
      return problem(400, 'invalid-content-length', 'The body is not as long as Content-Length says.');
  }
  if (typeof e.code === 'string' && /^(Z_|ERR__|ERR_BROTLI|ERR_ZLIB)/.test(e.code)) {
    return problem(
      400,
      'invalid-content-encoding',
      'The body cannot be decoded as its Content-Encoding says.',
    );
  }
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // A client error we have no words of our own for: say only what kind it is, never the internal message.
    return problem(status, 'bad-request', `The request was refused (${TITLES[status] ?? status}).`);
  }
  return undefined;
}

/**
 * Turns what body-parser and handlers throw into problem+json. A client error keeps its own 4xx status; unknown
 * errors become a 500 that says nothing about internals, the details go to the log.
 */
export function problemErrorHandler(
  onUnexpected: (error: unknown) => void,
  onClientGone: (error: unknown) => void = () => undefined,
): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (isClientGone(error)) {
      onClientGone(error);
      return sendProblem(res, problem(400, 'request-aborted', 'The request was aborted by the client.'));
    }
    const known = clientErrorProblem(error);
    if (known) return sendProblem(res, known);
    onUnexpected(error);
    sendProblem(res, problem(500, 'internal', 'An unexpected error occurred; it has been logged.'));
  };
}
