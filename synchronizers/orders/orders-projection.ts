import { orderCancelledData, orderPlacedData } from '../../contracts/events/orders';
import { paymentRecordedData, paymentRefundedData } from '../../contracts/events/payments';
import { orderShippedData, shipmentDeliveredData } from '../../contracts/events/shipping';
import { parseEventPart, requiredId } from '../event-data';
import type { ProjectedEvent, Projection } from '../projection';
import {
  ORDERS_COLLECTION,
  ORDERS_EVENT_TYPES,
  type OrderDocument,
} from '../../contracts/read-models/orders';
import { orderDocument } from './order-document';

const isOrdersEvent = (type: string): boolean => (ORDERS_EVENT_TYPES as readonly string[]).includes(type);

/*
 * Every event but OrderPlaced needs the order's document. Processing only records a payment or a shipment for
 * an order it has seen placed (otherwise it retries and parks), so in `$all` order OrderPlaced always comes
 * first; an event for an order with no document is ignored.
 */
function applyOrderEvent(doc: OrderDocument | undefined, event: ProjectedEvent): OrderDocument | undefined {
  switch (event.type) {
    case 'OrderPlaced': {
      // A second OrderPlaced for one order is the aggregate's to prevent; the first one stands.
      if (doc) return doc;
      const data = parseEventPart(orderPlacedData, event.data, event);
      return orderDocument({
        _id: data.orderId,
        customer: data.customer,
        lines: data.lines,
        currency: data.currency,
        total: data.total,
        payments: [],
        refunds: [],
        shipment: null,
        placedAt: data.placedAt,
        updatedAt: data.placedAt,
        _position: event.position,
      });
    }
    case 'OrderCancelled': {
      const data = parseEventPart(orderCancelledData, event.data, event);
      if (!doc || doc.shipment || doc.cancelledAt !== undefined) return doc;
      return orderDocument({
        ...doc,
        cancelledAt: data.cancelledAt,
        cancelReason: data.reason,
        updatedAt: data.cancelledAt,
      });
    }
    case 'PaymentRecorded': {
      const data = parseEventPart(paymentRecordedData, event.data, event);
      if (!doc) return doc;
      const payment = {
        paymentId: data.paymentId,
        amount: data.amount,
        method: data.method,
        recordedAt: data.recordedAt,
      };
      // One entry per payment id, kept in place: the Payment aggregate records a payment once.
      const known = doc.payments.some((existing) => existing.paymentId === data.paymentId);
      const payments = known
        ? doc.payments.map((existing) => (existing.paymentId === data.paymentId ? payment : existing))
        : [...doc.payments, payment];
      return orderDocument({ ...doc, payments, updatedAt: data.recordedAt });
    }
    case 'PaymentRefunded': {
      const data = parseEventPart(paymentRefundedData, event.data, event);
      if (!doc) return doc;
      const refund = {
        paymentId: data.paymentId,
        amount: data.amount,
        reason: data.reason,
        refundedAt: data.refundedAt,
      };
      return orderDocument({ ...doc, refunds: [...doc.refunds, refund], updatedAt: data.refundedAt });
    }
    case 'OrderShipped': {
      const data = parseEventPart(orderShippedData, event.data, event);
      // One shipment per order (processing rejects a second one); the first stands.
      if (!doc || doc.shipment) return doc;
      const shipment = {
        shipmentId: data.shipmentId,
        carrier: data.carrier,
        trackingNumber: data.trackingNumber,
        shippedAt: data.shippedAt,
      };
      return orderDocument({ ...doc, shipment, updatedAt: data.shippedAt });
    }
    case 'ShipmentDelivered': {
      const data = parseEventPart(shipmentDeliveredData, event.data, event);
      const shipped = doc?.shipment;
      if (!shipped || shipped.shipmentId !== data.shipmentId || shipped.deliveredAt !== undefined) return doc;
      const shipment = { ...shipped, deliveredAt: data.deliveredAt };
      return orderDocument({ ...doc, shipment, updatedAt: data.deliveredAt });
    }
    default:
      return doc;
  }
}

/** The `orders` read model: one document per order, listed by status or customer, newest first. */
export const ordersProjection: Projection<OrderDocument> = {
  name: ORDERS_COLLECTION,
  eventTypes: ORDERS_EVENT_TYPES,
  keysOf(event) {
    return isOrdersEvent(event.type) ? [requiredId(event.data, 'orderId', event)] : [];
  },
  apply: applyOrderEvent,
  indexes: [
    { key: { placedAt: -1, _id: -1 }, name: 'placedAt_id' },
    { key: { status: 1, placedAt: -1, _id: -1 }, name: 'status_placedAt_id' },
    { key: { 'customer.id': 1, placedAt: -1, _id: -1 }, name: 'customerId_placedAt_id' },
  ],
};
