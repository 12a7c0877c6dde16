import type { CancelOrder, OrderCommand, PlaceOrder } from '../commands';
import { NOTHING_TO_DO, accepted, notYet, rejected, type DecideContext, type Decision } from '../decision';
import { factsFor } from '../facts/order-facts';
import { isKnownCurrency } from '../money/money';
import { sameContent } from '../same-content';
import type { OrderLine } from './events';
import type { OrderState } from './state';

export function decide(command: OrderCommand, state: OrderState, context: DecideContext): Decision {
  switch (command.type) {
    case 'PlaceOrder':
      return place(command, state, context);
    case 'CancelOrder':
      return cancel(command, state, context);
  }
}

function place(command: PlaceOrder, state: OrderState, { now }: DecideContext): Decision {
  const problem = orderProblem(command);
  if (problem !== undefined) return rejected(problem);
  const { orderId, customer, lines, currency, shippingAddress } = command;
  if (state.placed !== undefined) {
    const same = sameContent(
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

function cancel(command: CancelOrder, state: OrderState, { now, facts }: DecideContext): Decision {
  const { orderId, reason } = command;
  if (state.placed === undefined) return notYet(`order ${orderId} is not known yet`);
  if (state.cancelled) return NOTHING_TO_DO;
  const known = factsFor(facts, orderId);
  if (known?.delivered) return rejected(`order ${orderId} has been delivered and can no longer be cancelled`);
  if (known?.shipped) return rejected(`order ${orderId} has already shipped and can no longer be cancelled`);
  const { currency, total } = state.placed;
  return accepted([{ type: 'OrderCancelled', data: { orderId, reason, currency, total, cancelledAt: now } }]);
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
