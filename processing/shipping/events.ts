/** Events of the Shipping aggregate, stream `shipping-<shipmentId>`. */
export interface OrderShipped {
  readonly type: 'OrderShipped';
  readonly data: {
    readonly shipmentId: string;
    readonly orderId: string;
    readonly carrier: string;
    readonly trackingNumber: string;
    readonly shippedAt: string;
  };
}

export interface ShipmentDelivered {
  readonly type: 'ShipmentDelivered';
  readonly data: { readonly shipmentId: string; readonly orderId: string; readonly deliveredAt: string };
}

export type ShippingEvent = OrderShipped | ShipmentDelivered;
export const SHIPPING_STREAM_PREFIX = 'shipping-';
