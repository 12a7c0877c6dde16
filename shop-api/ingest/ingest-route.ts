import type { IRouter, RequestHandler, Response } from 'express';
import { MaxAppendSizeExceededError } from '@eventstore/db-client';
import type { Histogram } from 'prom-client';
import { principalOf, requireScope } from '../../lib/auth/authenticate';
import type { Logger } from '../../lib/logger';
import { problem, sendProblem } from '../../lib/problem';
import { isUnavailable } from '../../lib/eventstore';
import { inSeries } from '../../lib/http';
import type { AcceptedRequests } from '../requests/accepted-requests';
import { FINGERPRINT, jsonBodyReader, type WithFingerprint } from './body-reader';
import { bodyFingerprint, type InputPublisher } from './input-publisher';
import { DEFAULT_JSON_LIMITS, type JsonLimits } from './json-limits';
import { readShopData, type ShopData } from './shop-data';

export const INGEST_PATH = '/shop/api/v1';
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]+$/;

export interface IngestDeps {
  readonly publisher: InputPublisher;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly ingestLatency: Histogram;
  readonly accepted: AcceptedRequests;
  readonly now?: () => Date;
  readonly limits?: JsonLimits;
  /** The largest event the store takes (a real EventStoreDB: 1 MiB per append, with some room for framing). */
  readonly maxEventBytes?: number;
  /** Runs after authentication, before the body is read: the per-key rate limit. */
  readonly rateLimit?: RequestHandler;
}

export const DEFAULT_MAX_EVENT_BYTES = 1_040_384;
/** What the metadata stored with every message adds, at most (routing fields are bounded by the gateway). */
const METADATA_BYTES = 1024;

/** The size of the payload as it will be stored (its JSON): measured once, for the 413 and the append batches. */
function payloadBytes(data: ShopData): number {
  return Buffer.byteLength(JSON.stringify(data.payload));
}

function tooLarge(max: number): ReturnType<typeof problem> {
  return problem(
    413,
    'event-too-large',
    `The message would be stored as an event larger than the store takes (${max} bytes, MAX_EVENT_BYTES); nothing was stored.`,
    { limit: 'MAX_EVENT_BYTES', max },
  );
}

/**
 * The 202 as `res.status().location().json()` sends it, written directly: the requestId is a UUID, so the
 * Location needs no encoding and the body no JSON escaping beyond what JSON.stringify does.
 */
function sendAccepted(res: Response, requestId: string): void {
  const body = JSON.stringify({ requestId });
  res.statusCode = 202;
  res.setHeader('Location', `${INGEST_PATH}/requests/${requestId}`);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * Step 1: validate the routing fields, store the raw message, answer 202 with its requestId. The route goes on
 * `router` itself (the app's, in the gateway) rather than in a router of its own that each request would enter.
 */
export function ingestRoute(
  router: IRouter,
  {
    publisher,
    logger,
    maxBodyBytes,
    ingestLatency,
    accepted,
    now = () => new Date(),
    limits = DEFAULT_JSON_LIMITS,
    maxEventBytes = DEFAULT_MAX_EVENT_BYTES,
    rateLimit = (_req, _res, next) => next(),
  }: IngestDeps,
): void {
  const accept: RequestHandler = async (req, res) => {
    const idempotencyKey = req.get('Idempotency-Key');
    if (
      idempotencyKey !== undefined &&
      (idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH || !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey))
    ) {
      return sendProblem(
        res,
        problem(
          400,
          'invalid-idempotency-key',
          `Idempotency-Key must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters.`,
        ),
      );
    }
    const checked = readShopData(req.body);
    if (!checked.ok) {
      return sendProblem(res, problem(400, 'invalid-shop-data', checked.detail, { errors: checked.errors }));
    }
    // The stored event's size, so a message the store would refuse is a 413 before anything is claimed.
    const bytes = payloadBytes(checked.value);
    if (bytes + METADATA_BYTES > maxEventBytes) return sendProblem(res, tooLarge(maxEventBytes));
    const endTimer = ingestLatency.startTimer();
    try {
      // The fingerprint only matters with a key: without one no body is hashed at all.
      const idempotency =
        idempotencyKey === undefined
          ? undefined
          : {
              key: idempotencyKey,
              fingerprint: (req as WithFingerprint)[FINGERPRINT] ?? bodyFingerprint(Buffer.alloc(0)),
            };
      const published = await publisher.publish(checked.value, idempotency, now(), bytes);
      endTimer();
      if (!published.ok) {
        logger.info({ correlationId: published.requestId }, 'idempotency key reused with another body');
        return sendProblem(
          res,
          problem(
            422,
            'idempotency-key-reused',
            `Idempotency-Key ${JSON.stringify(idempotencyKey)} was already used for a request with a different body; nothing was stored.`,
            { idempotencyKey, requestId: published.requestId },
          ),
        );
      }
      const { requestId } = published;
      accepted.remember(requestId, published.metadata);
      logger.info(
        {
          correlationId: requestId,
          applies: checked.value.applies,
          profile: checked.value.profile,
          principal: principalOf(res)?.name,
        },
        'shop data accepted',
      );
      sendAccepted(res, requestId);
    } catch (error) {
      if (error instanceof MaxAppendSizeExceededError) {
        return sendProblem(res, tooLarge(error.maxAppendSize));
      }
      if (!isUnavailable(error)) throw error;
      logger.warn({ err: error }, 'event store unavailable; shop data not stored');
      sendProblem(
        res,
        problem(
          503,
          'store-unavailable',
          'The event store is unreachable: the data was NOT stored. Retry later.',
        ),
      );
    }
  };
  // One route layer for the whole chain: the router would walk (and dispatch) a layer per handler.
  router.post(
    INGEST_PATH,
    inSeries([requireScope('shop:ingest'), rateLimit, ...jsonBodyReader(maxBodyBytes, limits), accept]),
  );
  router.all(INGEST_PATH, (req, res) => {
    res.set('Allow', 'POST');
    sendProblem(
      res,
      problem(405, 'method-not-allowed', `${req.method} is not allowed here; POST shop data.`),
    );
  });
}
