import express, { type Router } from 'express';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { isUnavailable } from '../../lib/eventstore';
import type { Logger } from '../../lib/logger';
import { isMongoUnavailable } from '../../lib/mongo';
import { forgetCustomer } from '../../lib/personal-data/forget';
import type { KeyStore } from '../../lib/personal-data/key-store';
import { problem, sendProblem } from '../../lib/problem';

const MAX_ID_LENGTH = 200;

/** `DELETE /shop/api/v1/customers/{customerId}/personal-data`: forget a customer (204), unknown is 404. */
export function forgetRoute(keys: KeyStore, client: EventStoreDBClient, logger: Logger): Router {
  const router = express.Router();
  router.delete('/shop/api/v1/customers/:customerId/personal-data', async (req, res) => {
    const customerId = String(req.params.customerId);
    if (customerId.length === 0 || customerId.length > MAX_ID_LENGTH) {
      return sendProblem(
        res,
        problem(400, 'invalid-id', `A customer id must be 1-${MAX_ID_LENGTH} characters.`),
      );
    }
    try {
      const outcome = await forgetCustomer(keys, client, customerId, new Date());
      if (outcome === 'unknown') {
        return sendProblem(res, problem(404, 'customer-not-found', `There is no customer ${customerId}.`));
      }
      logger.info({ customerId }, 'customer forgotten');
      res.status(204).end();
    } catch (error) {
      if (!isUnavailable(error) && !isMongoUnavailable(error)) throw error;
      logger.warn({ err: error, customerId }, 'could not forget a customer');
      sendProblem(
        res,
        problem(
          503,
          'store-unavailable',
          'The customer could not be forgotten completely right now; retry the request.',
        ),
      );
    }
  });
  return router;
}
