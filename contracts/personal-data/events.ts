import { z } from 'zod';
import { id, timestamp, type EventOf } from '../events/event-shape';

/** Appended to `customer-<customerId>` when a customer is forgotten: the key `kid` is gone for good. */
export const CUSTOMER_STREAM_PREFIX = 'customer-';

export const customerForgottenData = z.object({ customerId: id, kid: z.string(), forgottenAt: timestamp });
export type CustomerForgotten = EventOf<'CustomerForgotten', typeof customerForgottenData>;
