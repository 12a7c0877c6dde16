import type { ErrorRequestHandler, Response } from 'express';

/** RFC 9457 problem details: the one error shape at every HTTP edge. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
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

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * Turns what body-parser and handlers throw into problem+json. Unknown errors become a 500 that says nothing
 * about internals; the details go to the log.
 */
export function problemErrorHandler(onUnexpected: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const parserError = (error ?? {}) as BodyParserError;
    switch (parserError.type) {
      case 'entity.parse.failed':
        return sendProblem(res, problem(400, 'invalid-json', 'The request body is not valid JSON.'));
      case 'entity.too.large':
        return sendProblem(
          res,
          problem(
            413,
            'body-too-large',
            `The request body is larger than the limit of ${parserError.limit} bytes.`,
          ),
        );
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return sendProblem(res, problem(415, 'unsupported-encoding', 'The body must be UTF-8 JSON.'));
      default:
        onUnexpected(error);
        sendProblem(res, problem(500, 'internal', 'An unexpected error occurred; it has been logged.'));
    }
  };
}
