import type {
  ApplyRefund,
  CancelOrder,
  OrderCommand,
  PlaceOrder,
  RecordPayment,
  ShipOrder,
} from '../commands';
import { NOTHING_TO_DO, accepted, notYet, rejected, type DecideContext, type Decision } from '../decision';
import { describeAmount, formatAmount, isKnownCurrency } from '../../contracts/money/money';
import { deepEqual } from '../../lib/values/deep-equal';
import { cancellationRefundId, type OrderLine, type RefundApplied } from '../../contracts/events/orders';
import { netPaid, outstanding, type OrderState, type PlacedOrder } from './state';

/**
 * The Order aggregate decides every rule that spans the order: what it may still be paid, what may be refunded,
 * whether it may ship or be cancelled. Each decision is appended with the revision it read, so two racing
 * payments, or a cancel racing a shipment, cannot both pass.
 */
export function decide(command: OrderCommand, state: OrderState, context: DecideContext): Decision {
  switch (command.type) {
    case 'PlaceOrder':
      return place(command, state, context);
    case 'CancelOrder':
      return cancel(command, state, context);
    case 'RecordPayment':
      return applyPayment(command, state, context);
    case 'ApplyRefund':
      return applyRefund(command, state, context);
    case 'ShipOrder':
      return registerShipment(command, state, context);
  }
}

function place(command: PlaceOrder, state: OrderState, { now }: DecideContext): Decision {
  const problem = orderProblem(command);
  if (problem !== undefined) return rejected(problem);
  const { orderId, customer, lines, currency, shippingAddress } = command;
  if (state.placed !== undefined) {
    const same = deepEqual(
      { customer, lines, currency, shippingAddress },
      {
        customer: state.placed.customer,
        lines: state.placed.lines,
        currency: state.placed.currency,
        shippingAddress: state.placed.shippingAddress,
      },
    );
    return same ? NOTHING_TO_DO : rejected(`order ${orderId} was already placed with different content`);
  }
  const total = orderTotal(lines);
  if (!Number.isSafeInteger(total)) return rejected(`the total of order ${orderId} is too large`);
  return accepted([
    {
      type: 'OrderPlaced',
      data: {
        orderId,
        customer,
        lines,
        currency,
        total,
        ...(shippingAddress === undefined ? {} : { shippingAddress }),
        placedAt: now,
      },
    },
  ]);
}

/** Cancelling a paid order decides its refunds in the same append: every payment gets back what is left of it. */
function cancel(command: CancelOrder, state: OrderState, { now }: DecideContext): Decision {
  const { orderId, reason } = command;
  if (state.placed === undefined) return notYet(`order ${orderId} is not known yet`);
  if (state.cancelled) return NOTHING_TO_DO;
  if (state.shipment !== undefined) {
    return rejected(`order ${orderId} has already shipped and can no longer be cancelled`);
  }
  const { currency, total } = state.placed;
  const why = reason === '' ? `order ${orderId} was cancelled` : `order ${orderId} was cancelled: ${reason}`;
  const refunds: RefundApplied[] = Object.entries(state.payments)
    .filter(([, payment]) => payment.amount - payment.refunded > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([paymentId, payment]) => ({
      type: 'RefundApplied',
      data: {
        orderId,
        paymentId,
        refundId: cancellationRefundId(orderId),
        amount: payment.amount - payment.refunded,
        currency,
        reason: why,
        appliedAt: now,
      },
    }));
  return accepted([
    { type: 'OrderCancelled', data: { orderId, reason, currency, total, cancelledAt: now } },
    ...refunds,
  ]);
}

function applyPayment(command: RecordPayment, state: OrderState, { now }: DecideContext): Decision {
  const { paymentId, orderId, amount, currency } = command;
  const order = state.placed;
  if (order === undefined) return notYet(`order ${orderId} is not known yet`);
  const known = state.payments[paymentId];
  if (known !== undefined) {
    return known.amount === amount && known.currency === currency
      ? NOTHING_TO_DO
      : rejected(`payment ${paymentId} was already recorded with different content`);
  }
  if (state.cancelled) return rejected(`order ${orderId} is cancelled and takes no payments`);
  if (currency !== order.currency) {
    return rejected(`payment in ${currency} does not match order ${orderId}'s currency ${order.currency}`);
  }
  const open = outstanding(state);
  if (amount > open) {
    return rejected(
      `payment of ${describeAmount(amount, currency)} exceeds the outstanding ${describeAmount(Math.max(open, 0), currency)}`,
    );
  }
  return accepted([
    { type: 'PaymentApplied', data: { orderId, paymentId, amount, currency, appliedAt: now } },
  ]);
}

function applyRefund(command: ApplyRefund, state: OrderState, { now }: DecideContext): Decision {
  const { orderId, paymentId, refundId, amount, currency, reason } = command;
  const payment = state.payments[paymentId];
  if (payment === undefined) return notYet(`payment ${paymentId} is not applied to order ${orderId} yet`);
  const earlier = payment.refunds[refundId];
  if (earlier !== undefined) {
    return earlier.amount === amount && earlier.reason === reason
      ? NOTHING_TO_DO
      : rejected(`refund ${refundId} of payment ${paymentId} was already made with different content`);
  }
  const left = payment.amount - payment.refunded;
  if (amount > left) {
    return rejected(
      `refund of ${describeAmount(amount, currency)} exceeds the refundable ${describeAmount(left, currency)} of payment ${paymentId}`,
    );
  }
  return accepted([
    {
      type: 'RefundApplied',
      data: { orderId, paymentId, refundId, amount, currency, reason, appliedAt: now },
    },
  ]);
}

function registerShipment(command: ShipOrder, state: OrderState, { now }: DecideContext): Decision {
  const { shipmentId, orderId, carrier, trackingNumber } = command;
  const order = state.placed;
  if (order === undefined) return notYet(`order ${orderId} is not known yet`);
  const registered = state.shipment;
  if (registered !== undefined) {
    if (registered.shipmentId !== shipmentId) {
      return rejected(`order ${orderId} has already shipped with shipment ${registered.shipmentId}`);
    }
    const same = registered.carrier === carrier && registered.trackingNumber === trackingNumber;
    return same
      ? NOTHING_TO_DO
      : rejected(`shipment ${shipmentId} was already dispatched with different content`);
  }
  if (state.cancelled) return rejected(`order ${orderId} is cancelled and cannot ship`);
  if (!isFullyPaid(order, state)) {
    const paid = formatAmount(netPaid(state), order.currency);
    const total = describeAmount(order.total, order.currency);
    return notYet(`order ${orderId} is not fully paid yet (paid ${paid} of ${total})`);
  }
  return accepted([
    {
      type: 'ShipmentRegistered',
      data: { orderId, shipmentId, carrier, trackingNumber, registeredAt: now },
    },
  ]);
}

function isFullyPaid(order: PlacedOrder, state: OrderState): boolean {
  return netPaid(state) >= order.total;
}

/** The first broken rule of an order's content, in words, or undefined when it is a valid order. */
function orderProblem({ lines, currency }: PlaceOrder): string | undefined {
  if (lines.length === 0) return 'an order needs at least one line';
  for (const [index, line] of lines.entries()) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      return `lines[${index}].quantity must be a positive integer, got ${line.quantity}`;
    }
    if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
      return `lines[${index}].unitPrice must be a non-negative whole number of minor units, got ${line.unitPrice}`;
    }
  }
  if (!isKnownCurrency(currency)) return `currency ${JSON.stringify(currency)} is not one we accept`;
  return undefined;
}

export function orderTotal(lines: readonly OrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
}
