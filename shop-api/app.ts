import type { EventStoreDBClient } from '@eventstore/db-client';
import express, { type Express, type RequestHandler } from 'express';
import path from 'node:path';
import type { Registry } from 'prom-client';
import { authenticate, requireScope, type Authenticator } from '../lib/auth/authenticate';
import { histogram } from '../lib/metrics';
import { httpMetrics, inSeries, opsRoutes, type ReadinessCheck } from '../lib/http';
import type { KeyStore } from '../lib/personal-data/key-store';
import type { Logger } from '../lib/logger';
import { httpTracing } from '../lib/tracing';
import { problem, problemErrorHandler, sendProblem } from '../lib/problem';
import { cors, perPrincipalRateLimit, securityHeaders, type RateLimitSettings } from '../lib/security';
import { forgetRoute } from './customers/forget-route';
import { ingestRoute } from './ingest/ingest-route';
import type { JsonLimits } from './ingest/json-limits';
import type { InputPublisher } from './ingest/input-publisher';
import { queryRoutes } from './queries/query-routes';
import type { ReadStore } from './queries/read-store';
import { acceptedRequests } from './requests/accepted-requests';
import { pipelineRoutes } from './pipeline/pipeline-routes';
import type { PipelinePorts } from './pipeline/stream-reads';

export interface ShopApiPorts {
  readonly publisher: InputPublisher;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly maxBodyBytes: number;
  readonly checks: Record<string, ReadinessCheck>;
  /** The read models; without them the gateway runs for ingest only. */
  readonly readStore?: ReadStore;
  /** Customer keys: to open personal fields in answers and to forget a customer. */
  readonly personalData?: { readonly keys: KeyStore; readonly client: EventStoreDBClient };
  /** Upper bound of `?wait=` on a request's status. */
  readonly maxRequestWaitSeconds?: number;
  /** The stores and names behind the pipeline view, request traces and order histories (with `readStore`). */
  readonly pipeline?: PipelinePorts;
  /** Folder of the web UI's static files. */
  readonly staticDir?: string;
  /** Checks the bearer token of every request but `/health` and the UI's files. */
  readonly authenticator: Authenticator;
  /** `/metrics` without a token: only when the gateway listens on a loopback address. */
  readonly metricsOpen?: boolean;
  readonly jsonLimits?: JsonLimits;
  readonly maxEventBytes?: number;
  readonly ingestRateLimit?: RateLimitSettings;
  /** Origins allowed to call the API from a browser (CORS); none by default. */
  readonly corsOrigins?: readonly string[];
  /** False when this process started no tracing: no (no-op) server span per request. On unless told. */
  readonly tracing?: boolean;
}

export const DEFAULT_MAX_REQUEST_WAIT_SECONDS = 30;
export const DEFAULT_INGEST_RATE_LIMIT: RateLimitSettings = { limit: 100, windowMs: 1000 };
/** A 404 names the path it did not find, never more of it than this. */
const MAX_ECHOED_PATH = 200;
/** The UI's files by extension: anything else in its folder (README.md, tsconfig.json) is not served. */
const UI_FILE = /\.(html|js|css|svg|png|ico)$/;

function uiFiles(dir: string): RequestHandler {
  const serve = express.static(dir, { index: 'index.html', dotfiles: 'ignore', fallthrough: true });
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path !== '/' && !UI_FILE.test(path.posix.basename(req.path))) return next();
    serve(req, res, next);
  };
}

export function createShopApi(ports: ShopApiPorts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const signedIn = authenticate(ports.authenticator, ports.logger);
  const admin = [signedIn, requireScope('shop:admin')];
  // Each in one layer: the router walks (and dispatches) a layer per handler, for every request.
  app.use(
    inSeries([
      securityHeaders(),
      httpMetrics(ports.registry),
      opsRoutes(ports.registry, ports.checks, { ready: admin, metrics: ports.metricsOpen ? [] : admin }),
    ]),
  );
  app.use('/shop/api', inSeries([cors(ports.corsOrigins ?? []), signedIn]));
  // After the ops routes: probes and scrapes are not traced.
  if (ports.tracing ?? true) app.use(httpTracing());
  const ingestLatency = histogram(
    ports.registry,
    'shop_ingest_duration_seconds',
    'Time to store one POSTed shop message durably in the event store',
  );
  const accepted = acceptedRequests();
  ingestRoute(app, {
    publisher: ports.publisher,
    logger: ports.logger,
    maxBodyBytes: ports.maxBodyBytes,
    ingestLatency,
    accepted,
    limits: ports.jsonLimits,
    maxEventBytes: ports.maxEventBytes,
    rateLimit: perPrincipalRateLimit(ports.ingestRateLimit ?? DEFAULT_INGEST_RATE_LIMIT),
  });
  if (ports.personalData) {
    app.use('/shop/api/v1/customers', requireScope('shop:admin'));
    app.use(forgetRoute(ports.personalData.keys, ports.personalData.client, ports.logger));
  }
  if (ports.readStore) {
    app.use(
      queryRoutes(ports.readStore, ports.logger, {
        accepted,
        maxWaitSeconds: ports.maxRequestWaitSeconds ?? DEFAULT_MAX_REQUEST_WAIT_SECONDS,
        ...(ports.personalData ? { keys: ports.personalData.keys } : {}),
      }),
    );
  }
  if (ports.readStore && ports.pipeline) {
    app.use(
      pipelineRoutes({
        ports: ports.pipeline,
        store: ports.readStore,
        accepted,
        logger: ports.logger,
        maxWaitSeconds: ports.maxRequestWaitSeconds ?? DEFAULT_MAX_REQUEST_WAIT_SECONDS,
      }),
    );
  }
  if (ports.staticDir) app.use(uiFiles(ports.staticDir));
  app.use((req, res) =>
    sendProblem(
      res,
      problem(404, 'not-found', `No resource at ${req.method} ${req.path.slice(0, MAX_ECHOED_PATH)}.`),
    ),
  );
  app.use(
    problemErrorHandler(
      (error) => ports.logger.error({ err: error }, 'unexpected error'),
      (error) => ports.logger.info({ err: error }, 'client aborted the request'),
    ),
  );
  return app;
}
