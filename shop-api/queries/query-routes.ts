import express, { type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { hasScope, requireScope } from '../../lib/auth/authenticate';
import type { Logger } from '../../lib/logger';
import { isMongoUnavailable } from '../../lib/mongo';
import { problem, sendProblem } from '../../lib/problem';
import {
  encodeCursor,
  orderListQuery,
  paramErrors,
  requestStatusQuery,
  salesReportQuery,
} from './query-params';
import type { KeyStore } from '../../lib/personal-data/key-store';
import type { OrderDocument } from '../../contracts/read-models/orders';
import { customerRevealer } from '../customers/reveal';
import type { AcceptedRequests } from '../requests/accepted-requests';
import { waitForRequest } from '../requests/request-wait';
import { maskCustomer } from './pii-mask';
import type { ReadStore } from './read-store';
import {
  acceptedRequestResponse,
  orderResponse,
  requestResponse,
  salesDayResponse,
  salesTotals,
} from './responses';

const BASE = '/shop/api/v1';
const MAX_ID_LENGTH = 200;

function parseQuery<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const parsed = schema.safeParse(req.query);
  if (parsed.success) return parsed.data;
  const errors = paramErrors(parsed.error);
  const detail = errors.map((e) => `${e.parameter} ${e.message}`).join('; ') + '.';
  sendProblem(res, problem(400, 'invalid-query', detail, { errors }));
  return undefined;
}

function validId(id: string, res: Response): boolean {
  if (id.length > 0 && id.length <= MAX_ID_LENGTH) return true;
  sendProblem(res, problem(400, 'invalid-id', `An id must be 1-${MAX_ID_LENGTH} characters.`));
  return false;
}

/** Reads of the read models. MongoDB being down is a 503 for these routes only; ingest keeps working. */
const NO_KEYS: KeyStore = {
  keyFor: () => Promise.reject(new Error('no key store')),
  find: () => Promise.resolve(undefined),
  forget: () => Promise.resolve({ outcome: 'unknown' }),
};

export interface RequestStatusOptions {
  readonly accepted: AcceptedRequests;
  /** Upper bound of `?wait=` in seconds. */
  readonly maxWaitSeconds: number;
  /** Opens customers' sealed fields; without it they are answered as `erased`. */
  readonly keys?: KeyStore;
}

export function queryRoutes(store: ReadStore, logger: Logger, options: RequestStatusOptions): Router {
  const router = express.Router();
  const statusQuery = requestStatusQuery(options.maxWaitSeconds);
  const reveal = customerRevealer(options.keys ?? NO_KEYS);
  const answer = async (doc: OrderDocument, res: Response) => {
    const customer = await reveal(doc.customer);
    return orderResponse(doc, hasScope(res, 'shop:pii') ? customer : maskCustomer(customer));
  };

  const guard =
    (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
      try {
        await handler(req, res);
      } catch (error) {
        if (!isMongoUnavailable(error)) throw error;
        logger.warn({ err: error }, 'read models unavailable');
        sendProblem(
          res,
          problem(
            503,
            'read-models-unavailable',
            'The read models cannot be reached right now. Retry later.',
          ),
        );
      }
    };

  const read = requireScope('shop:read');
  router.get(
    `${BASE}/orders/:id`,
    read,
    guard(async (req, res) => {
      const id = String(req.params.id);
      if (!validId(id, res)) return;
      const doc = await store.order(id);
      if (!doc) return sendProblem(res, problem(404, 'order-not-found', `There is no order ${id} (yet).`));
      res.json(await answer(doc, res));
    }),
  );

  router.get(
    `${BASE}/orders`,
    read,
    guard(async (req, res) => {
      const query = parseQuery(orderListQuery, req, res);
      if (!query) return;
      const page = await store.orders(query);
      const last = page.items[page.items.length - 1];
      res.json({
        items: await Promise.all(page.items.map((doc) => answer(doc, res))),
        nextCursor: page.more && last ? encodeCursor({ placedAt: last.placedAt, id: last._id }) : null,
      });
    }),
  );

  // A sender follows the Location of its 202 with the key it posted with: shop:ingest is enough here.
  router.get(
    `${BASE}/requests/:id`,
    requireScope('shop:read', 'shop:ingest'),
    guard(async (req, res) => {
      const id = String(req.params.id);
      if (!validId(id, res)) return;
      const query = parseQuery(statusQuery, req, res);
      if (!query) return;
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const doc = await waitForRequest(store, id, query.wait * 1000, gone.signal);
      if (doc) return void res.json(requestResponse(doc));
      const accepted = options.accepted.find(id);
      if (accepted) return void res.json(acceptedRequestResponse(id, accepted));
      sendProblem(res, problem(404, 'request-not-found', `There is no request ${id}.`));
    }),
  );

  router.get(
    `${BASE}/reports/sales`,
    read,
    guard(async (req, res) => {
      const query = parseQuery(salesReportQuery, req, res);
      if (!query) return;
      const days = await store.salesDays(query);
      res.json({
        from: query.from,
        to: query.to,
        currency: query.currency ?? null,
        days: days.map(salesDayResponse),
        totals: salesTotals(days),
      });
    }),
  );
  router.all(
    [`${BASE}/orders/:id`, `${BASE}/orders`, `${BASE}/requests/:id`, `${BASE}/reports/sales`],
    (req, res) => {
      res.set('Allow', 'GET, HEAD');
      sendProblem(res, problem(405, 'method-not-allowed', `${req.method} is not allowed here; use GET.`));
    },
  );
  return router;
}
