import express, { type Express, type RequestHandler } from 'express';
import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Registry } from 'prom-client';
import { counter, histogram } from './metrics';
import { problem, problemErrorHandler, sendProblem } from './problem';
import { securityHeaders } from './security';
import { CLOSE_STEP_TIMEOUT_MS } from './shutdown';

export interface Check {
  readonly ok: boolean;
  readonly detail?: string;
}
export type ReadinessCheck = () => Promise<Check>;

/**
 * Handlers run one after another as one router layer: the router walks a layer per handler, each a dispatch per
 * request. As in the router, a handler's throw or rejected promise goes to `next`, and so does anything a handler
 * passes on (an error, 'route', 'router'), skipping the handlers after it.
 */
export function inSeries(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (passed?: unknown): void => {
      if (passed) return next(passed);
      const handler = handlers[index++];
      if (handler === undefined) return next();
      try {
        const returned: unknown = handler(req, res, step);
        if (returned instanceof Promise) {
          returned.then(undefined, (error: unknown) => next(error || new Error('Rejected promise')));
        }
      } catch (error) {
        next(error);
      }
    };
    step();
  };
}

/** Counts requests by route and status and times them; the route is the pattern, never the raw URL. */
export function httpMetrics(registry: Registry): RequestHandler {
  const requests = counter(registry, 'http_requests_total', 'HTTP requests by method, route and status', [
    'method',
    'route',
    'status',
  ]);
  const duration = histogram(registry, 'http_request_duration_seconds', 'HTTP request latency', [
    'method',
    'route',
  ]);
  return (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${req.baseUrl}${routePath}` : 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  };
}

/** What stands before `/ready` and `/metrics` (authentication and the shop:admin scope); `/health` is open. */
export interface OpsGuards {
  readonly ready: readonly RequestHandler[];
  readonly metrics: readonly RequestHandler[];
}

/** What the ops routes answer: GET, HEAD as GET, OPTIONS with the router's Allow. */
const OPS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `/health` (the process answers), `/ready` (every dependency check passes) and `/metrics`. A request in any other
 * method passes by without entering the router, which it would only leave unanswered (a turn of the loop later).
 */
export function opsRoutes(
  registry: Registry,
  checks: Record<string, ReadinessCheck>,
  guards: OpsGuards,
): RequestHandler {
  const router = express.Router();
  router.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/ready', ...guards.ready, async (_req, res) => {
    const results: Record<string, Check> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        results[name] = await check().catch((error: unknown) => ({ ok: false, detail: String(error) }));
      }),
    );
    const ready = Object.values(results).every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  router.get('/metrics', ...guards.metrics, async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return (req, res, next) => (OPS_METHODS.has(req.method) ? router(req, res, next) : next());
}

/** In-flight requests get this long once close() began: well within a close step's bound (CLOSE_STEP_TIMEOUT_MS). */
export const CLOSE_GRACE_MS = CLOSE_STEP_TIMEOUT_MS / 2;

export interface Listening {
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(`Port ${port} is already in use: stop the process using it or set ${variable} to a free port`);
    this.name = 'PortInUseError';
  }
}

/** How long a client may take to send its headers, and its whole request: slow senders cannot hold sockets. */
export interface HttpTimeouts {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };

/** Node's own answers to bytes that are not a request it can route, as problem+json instead of a bare status. */
function clientErrorStatus(error: NodeJS.ErrnoException): number {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    default:
      return 400;
  }
}

function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const status = clientErrorStatus(error);
  const detail =
    status === 408
      ? 'The request was not received in time.'
      : status === 431
        ? 'The request headers are too large.'
        : 'The request is not valid HTTP.';
  const body = JSON.stringify(problem(status, status === 408 ? 'request-timeout' : 'bad-http', detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Starts listening; a busy port is a PortInUseError naming the variable that moves it. */
export function listen(
  app: Express,
  port: number,
  host: string,
  portVariable: string,
  timeouts: HttpTimeouts = DEFAULT_HTTP_TIMEOUTS,
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = createServer(
      {
        headersTimeout: timeouts.headersTimeoutMs,
        requestTimeout: timeouts.requestTimeoutMs,
        // Node checks the two timeouts this often (30 s by default): a timeout is only as exact as this.
        connectionsCheckingInterval: Math.max(
          100,
          Math.min(1000, timeouts.headersTimeoutMs / 4, timeouts.requestTimeoutMs / 4),
        ),
      },
      app,
    );
    server.on('clientError', answerClientError);
    server.listen(port, host);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, portVariable) : error),
    );
    server.once('listening', () => {
      // Keep-alive connections that go idle after close() began would hold it open: in-flight requests get a
      // grace period to finish, then every connection is closed.
      const close = () =>
        new Promise<void>((done) => {
          server.close(() => done());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
        });
      resolve({ port: (server.address() as AddressInfo).port, server, close });
    });
  });
}

/** A small HTTP server with only the ops routes, for services that serve nothing else. */
export function opsApp(
  registry: Registry,
  checks: Record<string, ReadinessCheck>,
  guards: OpsGuards,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(httpMetrics(registry));
  app.use(opsRoutes(registry, checks, guards));
  app.use((req, res) =>
    sendProblem(res, problem(404, 'not-found', `No resource at ${req.method} ${req.path}.`)),
  );
  app.use(problemErrorHandler(() => undefined));
  return app;
}
