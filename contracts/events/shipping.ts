import { z } from 'zod';
import { id, timestamp, type EventOf } from './event-shape';

/** Events of the Shipping aggregate, stream `shipping-<shipmentId>`. */
export const SHIPPING_STREAM_PREFIX = 'shipping-';

export const orderShippedData = z.object({
  shipmentId: id,
  orderId: id,
  carrier: z.string(),
  trackingNumber: z.string(),
  shippedAt: timestamp,
});
export type OrderShipped = EventOf<'OrderShipped', typeof orderShippedData>;

export const shipmentDeliveredData = z.object({ shipmentId: id, orderId: id, deliveredAt: timestamp });
export type ShipmentDelivered = EventOf<'ShipmentDelivered', typeof shipmentDeliveredData>;

export type ShippingEvent = OrderShipped | ShipmentDelivered;
