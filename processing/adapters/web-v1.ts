import { z } from 'zod';
import type { RefundAmount } from '../commands';
import { parseAmount } from '../../contracts/money/money';
import { adapted, parsePayload, unmappable, type AdaptResult, type Adapter } from './adapt-result';
import {
  amount,
  countryCode,
  currency,
  email,
  id,
  MAX_ORDER_LINES,
  optionalText,
  quantity,
  text,
} from './payload-fields';

/** The `web/v1` profile: what the shop's web UI sends (DESIGN §5). Amounts are major-unit decimals. */
export const WEB_V1 = 'web/v1';

/** The sender may leave out the id of a new order; it then derives from the gateway's requestId. */
export function derivedOrderId(requestId: string): string {
  return `o-${requestId}`;
}

const action = <T extends readonly [string, ...string[]]>(actions: T) =>
  z.object({
    action: z.enum(actions, { error: `must be one of ${actions.map((a) => JSON.stringify(a)).join(', ')}` }),
  });

const placeSchema = z.object({
  orderId: id.optional(),
  customer: z.object({ id, name: text, email: email.optional() }),
  lines: z
    .array(z.object({ sku: id, quantity, unitPrice: amount }))
    .min(1, { error: 'must hold at least one line' })
    .max(MAX_ORDER_LINES, { error: `must hold at most ${MAX_ORDER_LINES} lines` }),
  currency,
  shippingAddress: z
    .object({ line1: text, line2: optionalText, city: text, postcode: text, country: countryCode })
    .optional(),
});

const cancelSchema = z.object({ orderId: id, reason: optionalText });

const paySchema = z.object({ paymentId: id, orderId: id, amount, currency, method: text });

const refundSchema = z.object({
  paymentId: id,
  refundId: id.optional(),
  amount,
  reason: optionalText,
  currency: currency.optional(),
});

const shipSchema = z.object({ shipmentId: id, orderId: id, carrier: text, trackingNumber: text });

const deliverSchema = z.object({ shipmentId: id });

// Built once: a schema per message was a tenth of a processor's CPU (bench profile, issue #19).
const orderAction = action(['place', 'cancel']);
const paymentAction = action(['pay', 'refund']);
const shippingAction = action(['ship', 'deliver']);

export const webV1Order: Adapter = (payload, requestId) => {
  const chosen = parsePayload(orderAction, payload);
  if (!chosen.ok) return unmappable(chosen.reason);
  return chosen.value.action === 'place' ? place(payload, requestId) : cancel(payload);
};

export const webV1Payment: Adapter = (payload, requestId) => {
  const chosen = parsePayload(paymentAction, payload);
  if (!chosen.ok) return unmappable(chosen.reason);
  return chosen.value.action === 'pay' ? pay(payload) : refund(payload, requestId);
};

export const webV1Shipping: Adapter = (payload) => {
  const chosen = parsePayload(shippingAction, payload);
  if (!chosen.ok) return unmappable(chosen.reason);
  return chosen.value.action === 'ship' ? ship(payload) : deliver(payload);
};

function place(payload: unknown, requestId: string): AdaptResult {
  const parsed = parsePayload(placeSchema, payload);
  if (!parsed.ok) return unmappable(parsed.reason);
  const order = parsed.value;
  const lines = [];
  for (const [index, line] of order.lines.entries()) {
    const price = parseAmount(line.unitPrice, order.currency);
    if (!price.ok) return unmappable(`lines[${index}].unitPrice ${price.reason.replace(/^amount /, '')}`);
    if (price.minor < 0) return unmappable(`lines[${index}].unitPrice must not be negative`);
    lines.push({ sku: line.sku, quantity: line.quantity, unitPrice: price.minor });
  }
  const { id: customerId, name, email: customerEmail } = order.customer;
  return adapted({
    type: 'PlaceOrder',
    orderId: order.orderId ?? derivedOrderId(requestId),
    customer: { id: customerId, name, ...(customerEmail === undefined ? {} : { email: customerEmail }) },
    lines,
    currency: order.currency,
    ...(order.shippingAddress === undefined
      ? {}
      : { shippingAddress: withoutUndefined(order.shippingAddress) }),
  });
}

function cancel(payload: unknown): AdaptResult {
  const parsed = parsePayload(cancelSchema, payload);
  if (!parsed.ok) return unmappable(parsed.reason);
  return adapted({ type: 'CancelOrder', orderId: parsed.value.orderId, reason: parsed.value.reason ?? '' });
}

function pay(payload: unknown): AdaptResult {
  const parsed = parsePayload(paySchema, payload);
  if (!parsed.ok) return unmappable(parsed.reason);
  const { paymentId, orderId, currency: paidIn, method } = parsed.value;
  const paid = parseAmount(parsed.value.amount, paidIn);
  if (!paid.ok) return unmappable(paid.reason);
  return adapted({ type: 'RecordPayment', paymentId, orderId, amount: paid.minor, currency: paidIn, method });
}

/** A refund the sender did not name is named after its request, so a redelivery of it refunds nothing more. */
export function derivedRefundId(requestId: string): string {
  return `r-${requestId}`;
}

function refund(payload: unknown, requestId: string): AdaptResult {
  const parsed = parsePayload(refundSchema, payload);
  if (!parsed.ok) return unmappable(parsed.reason);
  const { paymentId, refundId, reason, currency: refundIn } = parsed.value;
  const refundAmount = refundAmountOf(parsed.value.amount, refundIn);
  if (!refundAmount.ok) return unmappable(refundAmount.reason);
  return adapted({
    type: 'RefundPayment',
    paymentId,
    amount: refundAmount.amount,
    reason: reason ?? '',
    ...(refundIn === undefined ? {} : { currency: refundIn }),
    refundId: refundId ?? derivedRefundId(requestId),
  });
}

const DECIMAL_SYNTAX = /^-?\d+(\.\d+)?$/;

/** Without a currency the decimal is checked for syntax here and converted by the Payment aggregate. */
function refundAmountOf(
  value: string | number,
  currencyCode: string | undefined,
): { ok: true; amount: RefundAmount } | { ok: false; reason: string } {
  if (currencyCode !== undefined) {
    const parsed = parseAmount(value, currencyCode);
    return parsed.ok ? { ok: true, amount: { minor: parsed.minor } } : parsed;
  }
  const major = String(value).trim();
  if (!DECIMAL_SYNTAX.test(major)) {
    return { ok: false, reason: `amount ${JSON.stringify(value)} is not a decimal number like "12.50"` };
  }
  return { ok: true, amount: { major } };
}

function ship(payload: unknown): AdaptResult {
  const parsed = parsePayload(shipSchema, payload);
  if (!parsed.ok) return unmappable(parsed.reason);
  return adapted({ type: 'ShipOrder', ...parsed.value });
}

function deliver(payload: unknown): AdaptResult {
  const parsed = parsePayload(deliverSchema, payload);
  if (!parsed.ok) return unmappable(parsed.reason);
  return adapted({ type: 'ConfirmDelivery', shipmentId: parsed.value.shipmentId });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
