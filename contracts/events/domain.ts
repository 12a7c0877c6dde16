import type { z } from 'zod';
import {
  orderCancelledData,
  orderPlacedData,
  paymentAppliedData,
  refundAppliedData,
  shipmentRegisteredData,
  type OrderEvent,
} from './orders';
import { paymentRecordedData, paymentRefundedData, type PaymentEvent } from './payments';
import { orderShippedData, shipmentDeliveredData, type ShippingEvent } from './shipping';

/** Every domain event processing appends: the published language the synchronizers read. */
export type DomainEvent = OrderEvent | PaymentEvent | ShippingEvent;
export type DomainEventType = DomainEvent['type'];

/** The schema of each domain event's data, at CURRENT_SCHEMA_VERSION. */
export const DOMAIN_EVENT_SCHEMAS: { readonly [T in DomainEventType]: z.ZodType } = {
  OrderPlaced: orderPlacedData,
  OrderCancelled: orderCancelledData,
  PaymentApplied: paymentAppliedData,
  RefundApplied: refundAppliedData,
  ShipmentRegistered: shipmentRegisteredData,
  PaymentRecorded: paymentRecordedData,
  PaymentRefunded: paymentRefundedData,
  OrderShipped: orderShippedData,
  ShipmentDelivered: shipmentDeliveredData,
};

export function isDomainEventType(type: string): type is DomainEventType {
  return Object.hasOwn(DOMAIN_EVENT_SCHEMAS, type);
}

/** Schema version written into every domain event's metadata; bump it with an upcaster when a shape changes. */
export const CURRENT_SCHEMA_VERSION = 1;

/** Metadata on every event processing appends. */
export interface DomainEventMetadata {
  readonly $correlationId: string;
  readonly $causationId: string;
  readonly schemaVersion: number;
  /**
   * On the last event a message's plan appends: the message is processed, with what `ShopDataProcessed` would say
   * (see `contracts/events/requests.ts`). The domain events tell the outcome, so no separate append is made.
   */
  readonly settles?: Readonly<Record<string, unknown>>;
}
