import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { histogram } from '../lib/metrics';
import { httpMetrics, opsRoutes, type ReadinessCheck } from '../lib/http';
import type { Logger } from '../lib/logger';
import { httpTracing } from '../lib/tracing';
import { problem, problemErrorHandler, sendProblem } from '../lib/problem';
import { ingestRoute } from './ingest/ingest-route';
import type { InputPublisher } from './ingest/input-publisher';
import { queryRoutes } from './queries/query-routes';
import type { ReadStore } from './queries/read-store';
import { acceptedRequests } from './requests/accepted-requests';

export interface ShopApiPorts {
  readonly publisher: InputPublisher;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly maxBodyBytes: number;
  readonly checks: Record<string, ReadinessCheck>;
  /** The read models; without them the gateway runs for ingest only. */
  readonly readStore?: ReadStore;
  /** Upper bound of `?wait=` on a request's status. */
  readonly maxRequestWaitSeconds?: number;
  /** Folder of the web UI's static files. */
  readonly staticDir?: string;
}

export const DEFAULT_MAX_REQUEST_WAIT_SECONDS = 30;

export function createShopApi(ports: ShopApiPorts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(httpMetrics(ports.registry));
  app.use(opsRoutes(ports.registry, ports.checks));
  // After the ops routes: probes and scrapes are not traced.
  app.use(httpTracing());
  const ingestLatency = histogram(
    ports.registry,
    'shop_ingest_duration_seconds',
    'Time to store one POSTed shop message durably in the event store',
  );
  const accepted = acceptedRequests();
  app.use(
    ingestRoute({
      publisher: ports.publisher,
      logger: ports.logger,
      maxBodyBytes: ports.maxBodyBytes,
      ingestLatency,
      accepted,
    }),
  );
  if (ports.readStore) {
    app.use(
      queryRoutes(ports.readStore, ports.logger, {
        accepted,
        maxWaitSeconds: ports.maxRequestWaitSeconds ?? DEFAULT_MAX_REQUEST_WAIT_SECONDS,
      }),
    );
  }
  if (ports.staticDir) app.use(express.static(ports.staticDir, { index: 'index.html' }));
  app.use((req, res) =>
    sendProblem(res, problem(404, 'not-found', `No resource at ${req.method} ${req.path}.`)),
  );
  app.use(problemErrorHandler((error) => ports.logger.error({ err: error }, 'unexpected error')));
  return app;
}
