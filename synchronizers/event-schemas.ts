import { z } from 'zod';
import { MalformedEventError } from './event-data';
import type { OrderCancelled, OrderPlaced } from '../processing/orders/events';
import type { PaymentRecorded, PaymentRefunded } from '../processing/payments/events';
import type {
  ShopDataProcessed,
  ShopDataRejected,
  ShopDataReceivedMetadata,
  ShopDataWaiting,
} from '../processing/requests/events';
import type { OrderShipped, ShipmentDelivered } from '../processing/shipping/events';
import type { ProjectedEvent } from './projection';
import type { ShopDataParked } from './shop-data-parked';

/*
 * Runtime checks of the published event contracts. Each schema is typed against the contract it reads, so a
 * contract change that the projections do not follow fails the type check here.
 */
const timestamp = z.iso.datetime({ offset: true });
const minorUnits = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const id = z.string().min(1);

/** A personal value as processing seals it (see processing/personal-data/sealed.ts), or plain in older events. */
const sealed = z.object({
  $sealed: z.literal('AES-256-GCM'),
  kid: z.string(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
const personalText = z.union([z.string(), sealed]);

export const orderPlacedData: z.ZodType<OrderPlaced['data']> = z.object({
  orderId: id,
  customer: z.object({ id, name: personalText, email: personalText.optional() }),
  lines: z.array(z.object({ sku: id, quantity: z.number().int().positive(), unitPrice: minorUnits })),
  currency: z.string().length(3),
  total: minorUnits,
  placedAt: timestamp,
});

export const orderCancelledData: z.ZodType<OrderCancelled['data']> = z.object({
  orderId: id,
  reason: z.string(),
  currency: z.string().length(3),
  total: minorUnits,
  cancelledAt: timestamp,
});

export const paymentRecordedData: z.ZodType<PaymentRecorded['data']> = z.object({
  paymentId: id,
  orderId: id,
  amount: minorUnits,
  currency: z.string().length(3),
  method: z.string(),
  recordedAt: timestamp,
});

export const paymentRefundedData: z.ZodType<PaymentRefunded['data']> = z.object({
  paymentId: id,
  orderId: id,
  amount: minorUnits,
  currency: z.string().length(3),
  reason: z.string(),
  refundedAt: timestamp,
});

export const orderShippedData: z.ZodType<OrderShipped['data']> = z.object({
  shipmentId: id,
  orderId: id,
  carrier: z.string(),
  trackingNumber: z.string(),
  shippedAt: timestamp,
});

export const shipmentDeliveredData: z.ZodType<ShipmentDelivered['data']> = z.object({
  shipmentId: id,
  orderId: id,
  deliveredAt: timestamp,
});

export const shopDataReceivedMetadata: z.ZodType<ShopDataReceivedMetadata> = z.object({
  applies: z.string(),
  source: z.string(),
  profile: z.string(),
  receivedAt: timestamp,
  $correlationId: id,
});

export const shopDataProcessedData: z.ZodType<ShopDataProcessed['data']> = z.object({
  requestId: id,
  inputEventId: id,
  applies: z.string(),
  profile: z.string(),
  resultIds: z.array(z.string()),
  eventCount: z.number().int().nonnegative(),
  processedAt: timestamp,
});

export const shopDataRejectedData: z.ZodType<ShopDataRejected['data']> = z.object({
  requestId: id,
  inputEventId: id,
  applies: z.string(),
  profile: z.string(),
  reason: z.string(),
  rejectedAt: timestamp,
  skippedBy: z.string().optional(),
});

export const shopDataWaitingData: z.ZodType<ShopDataWaiting['data']> = z.object({
  requestId: id,
  inputEventId: id,
  applies: z.string(),
  profile: z.string(),
  reason: z.string(),
  waitingAt: timestamp,
});

export const shopDataParkedData: z.ZodType<ShopDataParked['data']> = z.object({
  requestId: id,
  inputEventId: id,
  reason: z.string().optional(),
  parkedAt: timestamp.optional(),
  retryCount: z.number().int().nonnegative().optional(),
  firstAttemptAt: timestamp.optional(),
  lastAttemptAt: timestamp.optional(),
});

/** The id of the document an event is about; an event of the model's types without it breaks its contract. */
export function requiredId(value: unknown, field: string, event: ProjectedEvent): string {
  const found: unknown =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
  if (typeof found === 'string' && found.length > 0) return found;
  throw new MalformedEventError(event.eventId, event.type, `${field} is missing or not a non-empty string`);
}
