import { z } from 'zod';
import { currency, id, minorUnits, timestamp, type EventOf } from './event-shape';

/** Events of the Payment aggregate, stream `payment-<paymentId>`. Amounts are integer minor units. */
export const PAYMENT_STREAM_PREFIX = 'payment-';

export const paymentRecordedData = z.object({
  paymentId: id,
  orderId: id,
  amount: minorUnits,
  currency,
  method: z.string(),
  recordedAt: timestamp,
});
export type PaymentRecorded = EventOf<'PaymentRecorded', typeof paymentRecordedData>;

export const paymentRefundedData = z.object({
  paymentId: id,
  orderId: id,
  amount: minorUnits,
  currency,
  reason: z.string(),
  /**
   * Optional, added after the first contract: names the refund so a repeat of the same refund changes nothing.
   * Absent on refunds recorded without one; readers may ignore it.
   */
  refundId: z.string().optional(),
  refundedAt: timestamp,
});
export type PaymentRefunded = EventOf<'PaymentRefunded', typeof paymentRefundedData>;

export type PaymentEvent = PaymentRecorded | PaymentRefunded;
