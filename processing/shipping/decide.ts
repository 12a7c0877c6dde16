import type { ConfirmDelivery, ShipOrder, ShippingCommand } from '../commands';
import { NOTHING_TO_DO, accepted, notYet, rejected, type DecideContext, type Decision } from '../decision';
import { deepEqual } from '../../lib/values/deep-equal';
import type { ShippingState } from './state';

export function decide(command: ShippingCommand, state: ShippingState, context: DecideContext): Decision {
  switch (command.type) {
    case 'ShipOrder':
      return ship(command, state, context);
    case 'ConfirmDelivery':
      return deliver(command, state, context);
  }
}

/**
 * The shipment's own rule: one content per shipment id. Whether the order may ship (paid, not cancelled, not
 * shipped already) is the Order aggregate's decision, made on the order stream before this one is appended.
 */
function ship(command: ShipOrder, state: ShippingState, { now }: DecideContext): Decision {
  const { shipmentId, orderId, carrier, trackingNumber } = command;
  if (state.shipped !== undefined) {
    const { shippedAt: _shippedAt, shipmentId: _shipmentId, ...shipped } = state.shipped;
    const same = deepEqual({ orderId, carrier, trackingNumber }, shipped);
    return same
      ? NOTHING_TO_DO
      : rejected(`shipment ${shipmentId} was already dispatched with different content`);
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
