import { requireScope } from '../../lib/auth/authenticate';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { isUnavailable } from '../../lib/eventstore';
import type { Logger } from '../../lib/logger';
import { isMongoUnavailable } from '../../lib/mongo';
import { problem, sendProblem } from '../../lib/problem';
import { orderHistory } from '../queries/order-history';
import { paramErrors, waitSeconds } from '../queries/query-params';
import type { ReadStore } from '../queries/read-store';
import type { AcceptedRequests } from '../requests/accepted-requests';
import { pipelineStatusSource } from './pipeline-status';
import { traceRequest, type RequestTrace } from './request-trace';
import type { PipelinePorts } from './stream-reads';

const BASE = '/shop/api/v1';
const MAX_ID_LENGTH = 200;
/** How often a held trace is looked at again (each look is a few point reads): often while a request is fresh… */
export const TRACE_POLL_MS = 100;
/** …and less often once it has been held this long (a waiting request may wait for minutes). */
export const TRACE_FAST_FOR_MS = 2000;
export const SLOW_TRACE_POLL_MS = 500;

export interface PipelineRouteOptions {
  readonly ports: PipelinePorts;
  readonly store: ReadStore;
  readonly accepted: AcceptedRequests;
  readonly logger: Logger;
  readonly maxWaitSeconds: number;
}

function traceQuery(maxWaitSeconds: number) {
  const single = z.string({ error: 'must be given once, as a plain value' });
  return z
    .object({
      wait: waitSeconds(maxWaitSeconds),
      known: single.regex(/^[0-9a-f]{1,64}$/, 'must be a version this API handed out').optional(),
    })
    .strict();
}

/**
 * The pipeline made visible: one request's three steps (`/requests/:id/trace`, held with `?wait=N&known=V` until
 * it differs from the version the client has), the whole pipeline's counters (`/pipeline`), and an order's
 * events (`/orders/:id/history`).
 */
export function pipelineRoutes(options: PipelineRouteOptions): Router {
  const { ports, store, accepted, logger } = options;
  const router = express.Router();
  const query = traceQuery(options.maxWaitSeconds);
  const source = pipelineStatusSource(ports);

  const guard =
    (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
      try {
        await handler(req, res);
      } catch (error) {
        if (!isUnavailable(error) && !isMongoUnavailable(error)) throw error;
        logger.warn({ err: error }, 'pipeline view unavailable');
        sendProblem(
          res,
          problem(503, 'pipeline-unavailable', 'The stores cannot be reached right now. Retry later.'),
        );
      }
    };
  const idOf = (req: Request, res: Response): string | undefined => {
    const id = String(req.params.id);
    if (id.length > 0 && id.length <= MAX_ID_LENGTH) return id;
    sendProblem(res, problem(400, 'invalid-id', `An id must be 1-${MAX_ID_LENGTH} characters.`));
    return undefined;
  };

  // The same scopes as the request and order reads they extend: a sender may follow its own request.
  router.get(
    `${BASE}/requests/:id/trace`,
    requireScope('shop:read', 'shop:ingest'),
    guard(async (req, res) => {
      const id = idOf(req, res);
      if (id === undefined) return;
      const parsed = query.safeParse(req.query);
      if (!parsed.success) {
        const errors = paramErrors(parsed.error);
        const detail = errors.map((e) => `${e.parameter} ${e.message}`).join('; ') + '.';
        return sendProblem(res, problem(400, 'invalid-query', detail, { errors }));
      }
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const started = Date.now();
      const deadline = started + parsed.data.wait * 1000;
      let trace: RequestTrace | undefined;
      for (;;) {
        trace = await traceRequest(ports, store, accepted, id);
        const settled = !trace || trace.complete || trace.version !== parsed.data.known;
        if (settled || Date.now() >= deadline || gone.signal.aborted) break;
        const every = Date.now() - started < TRACE_FAST_FOR_MS ? TRACE_POLL_MS : SLOW_TRACE_POLL_MS;
        await new Promise((resolve) => setTimeout(resolve, Math.min(every, deadline - Date.now())));
      }
      if (!trace) return sendProblem(res, problem(404, 'request-not-found', `There is no request ${id}.`));
      res.json(trace);
    }),
  );

  router.get(
    `${BASE}/pipeline`,
    requireScope('shop:read'),
    guard(async (_req, res) => {
      res.json(await source.status());
    }),
  );

  router.get(
    `${BASE}/orders/:id/history`,
    requireScope('shop:read'),
    guard(async (req, res) => {
      const id = idOf(req, res);
      if (id === undefined) return;
      const doc = await store.order(id);
      const events = await orderHistory(ports, id, doc);
      if (events.length === 0) {
        return sendProblem(res, problem(404, 'order-not-found', `There is no order ${id} (yet).`));
      }
      res.json({ orderId: id, events });
    }),
  );
  return router;
}
