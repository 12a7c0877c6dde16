import type {
  CancelOrder,
  ConfirmDelivery,
  PlaceOrder,
  RecordPayment,
  RefundPayment,
  ShipOrder,
} from '../commands';
import { parseAmount } from '../../contracts/money/money';
import type {
  Customer,
  OrderCancelled,
  OrderLine,
  OrderPlaced,
  PaymentApplied,
  RefundApplied,
  ShipmentRegistered,
} from '../../contracts/events/orders';
import type { PaymentRecorded, PaymentRefunded } from '../../contracts/events/payments';
import type { OrderShipped, ShipmentDelivered } from '../../contracts/events/shipping';

/** The clock every domain spec runs at. */
export const NOW = '2025-03-01T10:00:00.000Z';
export const EARLIER = '2025-03-01T09:00:00.000Z';

export const ada: Customer = { id: 'c-1', name: 'Ada', email: 'ada@example.com' };

/** Minor units of a major-unit amount, for readable specs: `money('12.50')` is 1250 (EUR by default). */
export function money(major: string, currency = 'EUR'): number {
  const parsed = parseAmount(major, currency);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.minor;
}

export function line(sku: string, quantity: number, unitPrice: string, currency = 'EUR'): OrderLine {
  return { sku, quantity, unitPrice: money(unitPrice, currency) };
}

/** Two of SKU-1 at 12.50 EUR: a 25.00 EUR order. */
export const TWO_AT_12_50 = [line('SKU-1', 2, '12.50')];

type OrderContent = Partial<Omit<PlaceOrder, 'type'>>;

export function placeOrder(content: OrderContent = {}): PlaceOrder {
  return {
    type: 'PlaceOrder',
    orderId: 'o-1',
    customer: ada,
    lines: TWO_AT_12_50,
    currency: 'EUR',
    ...content,
  };
}

export function orderPlaced(content: OrderContent = {}, placedAt = EARLIER): OrderPlaced {
  const { type: _type, ...order } = placeOrder(content);
  const total = order.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  return { type: 'OrderPlaced', data: { ...order, total, placedAt } };
}

export function cancelOrder(orderId = 'o-1', reason = 'changed my mind'): CancelOrder {
  return { type: 'CancelOrder', orderId, reason };
}

export function orderCancelled(orderId = 'o-1', total = money('25.00'), currency = 'EUR'): OrderCancelled {
  return {
    type: 'OrderCancelled',
    data: { orderId, reason: 'changed my mind', currency, total, cancelledAt: EARLIER },
  };
}

interface PaymentContent {
  readonly paymentId?: string;
  readonly orderId?: string;
  readonly amount: string;
  readonly currency?: string;
  readonly method?: string;
}

export function recordPayment({
  paymentId = 'p-1',
  orderId = 'o-1',
  amount,
  currency = 'EUR',
  method = 'card',
}: PaymentContent): RecordPayment {
  return { type: 'RecordPayment', paymentId, orderId, amount: money(amount, currency), currency, method };
}

export function paymentRecorded(content: PaymentContent, recordedAt = EARLIER): PaymentRecorded {
  const { type: _type, ...payment } = recordPayment(content);
  return { type: 'PaymentRecorded', data: { ...payment, recordedAt } };
}

export function paymentApplied(content: PaymentContent, appliedAt = EARLIER): PaymentApplied {
  const { paymentId, orderId, amount, currency } = recordPayment(content);
  return { type: 'PaymentApplied', data: { orderId, paymentId, amount, currency, appliedAt } };
}

/** A payment as the history holds it once handled: applied to its order, then recorded on its own stream. */
export function paid(content: PaymentContent, at = EARLIER): [PaymentApplied, PaymentRecorded] {
  return [paymentApplied(content, at), paymentRecorded(content, at)];
}

export function refundPayment(
  paymentId: string,
  amount: string,
  currency = 'EUR',
  refundId = 'r-1',
): RefundPayment {
  return {
    type: 'RefundPayment',
    paymentId,
    amount: { minor: money(amount, currency) },
    reason: 'damaged',
    refundId,
  };
}

interface RefundContent extends PaymentContent {
  readonly refundId?: string;
  readonly reason?: string;
}

export function refundApplied(
  {
    paymentId = 'p-1',
    orderId = 'o-1',
    amount,
    currency = 'EUR',
    refundId = 'r-1',
    reason = 'damaged',
  }: RefundContent,
  appliedAt = EARLIER,
): RefundApplied {
  const minor = money(amount, currency);
  return {
    type: 'RefundApplied',
    data: { orderId, paymentId, refundId, amount: minor, currency, reason, appliedAt },
  };
}

/** The same refund as the payment's own stream records it. */
export function paymentRefunded(content: RefundContent, refundedAt = EARLIER): PaymentRefunded {
  const { appliedAt: _appliedAt, ...refund } = refundApplied(content).data;
  return { type: 'PaymentRefunded', data: { ...refund, refundedAt } };
}

/** A refund as the history holds it once handled: applied on the order, then on the payment's stream. */
export function refunded(content: RefundContent, at = EARLIER): [RefundApplied, PaymentRefunded] {
  return [refundApplied(content, at), paymentRefunded(content, at)];
}

export function shipOrder(shipmentId = 's-1', orderId = 'o-1'): ShipOrder {
  return { type: 'ShipOrder', shipmentId, orderId, carrier: 'DHL', trackingNumber: 'JD0001' };
}

export function orderShipped(shipmentId = 's-1', orderId = 'o-1', shippedAt = EARLIER): OrderShipped {
  const { type: _type, ...dispatch } = shipOrder(shipmentId, orderId);
  return { type: 'OrderShipped', data: { ...dispatch, shippedAt } };
}

export function shipmentRegistered(
  shipmentId = 's-1',
  orderId = 'o-1',
  registeredAt = EARLIER,
): ShipmentRegistered {
  const {
    type: _type,
    shipmentId: id,
    orderId: order,
    carrier,
    trackingNumber,
  } = shipOrder(shipmentId, orderId);
  return {
    type: 'ShipmentRegistered',
    data: { orderId: order, shipmentId: id, carrier, trackingNumber, registeredAt },
  };
}

/** A shipment as the history holds it once handled: registered on the order, then dispatched. */
export function shipped(
  shipmentId = 's-1',
  orderId = 'o-1',
  at = EARLIER,
): [ShipmentRegistered, OrderShipped] {
  return [shipmentRegistered(shipmentId, orderId, at), orderShipped(shipmentId, orderId, at)];
}

export function confirmDelivery(shipmentId = 's-1'): ConfirmDelivery {
  return { type: 'ConfirmDelivery', shipmentId };
}

export function shipmentDelivered(
  shipmentId = 's-1',
  orderId = 'o-1',
  deliveredAt = EARLIER,
): ShipmentDelivered {
  return { type: 'ShipmentDelivered', data: { shipmentId, orderId, deliveredAt } };
}
