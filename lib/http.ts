import express, { type Express, type RequestHandler, type Router } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { counter, histogram } from './metrics';
import { CLOSE_STEP_TIMEOUT_MS } from './shutdown';

export interface Check {
  readonly ok: boolean;
  readonly detail?: string;
}
export type ReadinessCheck = () => Promise<Check>;

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

/** `/health` (the process answers), `/ready` (every dependency check passes) and `/metrics`. */
export function opsRoutes(registry: Registry, checks: Record<string, ReadinessCheck>): Router {
  const router = express.Router();
  router.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/ready', async (_req, res) => {
    const results: Record<string, Check> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        results[name] = await check().catch((error: unknown) => ({ ok: false, detail: String(error) }));
      }),
    );
    const ready = Object.values(results).every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
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

/** Starts listening; a busy port is a PortInUseError naming the variable that moves it. */
export function listen(app: Express, port: number, host: string, portVariable: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
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
export function opsApp(registry: Registry, checks: Record<string, ReadinessCheck>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(httpMetrics(registry));
  app.use(opsRoutes(registry, checks));
  return app;
}
