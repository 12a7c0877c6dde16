import express, { type Router } from 'express';
import type { Logger } from '../../lib/logger';
import { problem, sendProblem } from '../../lib/problem';
import { isUnavailable } from '../../lib/eventstore';
import type { Histogram } from 'prom-client';
import type { AcceptedRequests } from '../requests/accepted-requests';
import { bodyFingerprint, type InputPublisher } from './input-publisher';
import { readShopData } from './shop-data';

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
}

/** The raw body's fingerprint, taken while parsing and only when an Idempotency-Key needs it. */
const FINGERPRINT = Symbol('bodyFingerprint');
type WithFingerprint = { [FINGERPRINT]?: string };

/** Step 1: validate the routing fields, store the raw message, answer 202 with its requestId. */
export function ingestRoute({
  publisher,
  logger,
  maxBodyBytes,
  ingestLatency,
  accepted,
  now = () => new Date(),
}: IngestDeps): Router {
  const router = express.Router();
  const parseJson = express.json({
    limit: maxBodyBytes,
    strict: false,
    type: () => true,
    verify: (req, _res, raw) => {
      if (req.headers['idempotency-key'] !== undefined)
        (req as WithFingerprint)[FINGERPRINT] = bodyFingerprint(raw);
    },
  });

  router.post(
    INGEST_PATH,
    (req, res, next) => {
      if (!req.is(['application/json', 'application/*+json'])) {
        return sendProblem(
          res,
          problem(
            415,
            'unsupported-media-type',
            'Send the shop data as JSON with Content-Type: application/json.',
          ),
        );
      }
      next();
    },
    parseJson,
    async (req, res) => {
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
        return sendProblem(
          res,
          problem(400, 'invalid-shop-data', checked.detail, { errors: checked.errors }),
        );
      }
      const endTimer = ingestLatency.startTimer();
      try {
        const fingerprint = (req as WithFingerprint)[FINGERPRINT] ?? bodyFingerprint(Buffer.alloc(0));
        const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, fingerprint };
        const published = await publisher.publish(checked.value, idempotency, now());
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
          { correlationId: requestId, applies: checked.value.applies, profile: checked.value.profile },
          'shop data accepted',
        );
        res.status(202).location(`${INGEST_PATH}/requests/${requestId}`).json({ requestId });
      } catch (error) {
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
    },
  );
  return router;
}
