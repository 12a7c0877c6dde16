import type { ConfirmDelivery, ShipOrder, ShippingCommand } from '../commands';
import { NOTHING_TO_DO, accepted, notYet, rejected, type DecideContext, type Decision } from '../decision';
import { factsFor, isFullyPaid } from '../facts/order-facts';
import { describeAmount, formatAmount } from '../money/money';
import { sameContent } from '../same-content';
import type { ShippingState } from './state';

export function decide(command: ShippingCommand, state: ShippingState, context: DecideContext): Decision {
  switch (command.type) {
    case 'ShipOrder':
      return ship(command, state, context);
    case 'ConfirmDelivery':
      return deliver(command, state, context);
  }
}

function ship(command: ShipOrder, state: ShippingState, { now, facts }: DecideContext): Decision {
  const { shipmentId, orderId, carrier, trackingNumber } = command;
  if (state.shipped !== undefined) {
    const { shippedAt: _shippedAt, shipmentId: _shipmentId, ...shipped } = state.shipped;
    const same = sameContent({ orderId, carrier, trackingNumber }, shipped);
    return same
      ? NOTHING_TO_DO
      : rejected(`shipment ${shipmentId} was already dispatched with different content`);
  }
  const order = factsFor(facts, orderId);
  if (order === undefined || !order.placed || order.currency === undefined) {
    return notYet(`order ${orderId} is not known yet`);
  }
  if (order.cancelled) return rejected(`order ${orderId} is cancelled and cannot ship`);
  if (order.shipped && order.shipmentId !== shipmentId) {
    return rejected(`order ${orderId} has already shipped with shipment ${order.shipmentId ?? '?'}`);
  }
  if (!isFullyPaid(order)) {
    const paid = formatAmount(order.paid, order.currency);
    const total = describeAmount(order.total, order.currency);
    return notYet(`order ${orderId} is not fully paid yet (paid ${paid} of ${total})`);
  }
  return accepted([
    { type: 'OrderShipped', data: { shipmentId, orderId, carrier, trackingNumber, shippedAt: now } },
  ]);
}

function deliver({ shipmentId }: ConfirmDelivery, state: ShippingState, { now }: DecideContext): Decision {
  if (state.shipped === undefined) return notYet(`shipment ${shipmentId} is not known yet`);
  if (state.delivered) return NOTHING_TO_DO;
  const { orderId } = state.shipped;
  return accepted([{ type: 'ShipmentDelivered', data: { shipmentId, orderId, deliveredAt: now } }]);
}
