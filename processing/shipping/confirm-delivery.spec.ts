import { given } from '../testing/given-when-then';
import {
  confirmDelivery,
  NOW,
  orderPlaced,
  paid,
  shipmentDelivered,
  shipped,
} from '../testing/shop-fixtures';

const dispatched = [orderPlaced(), ...paid({ amount: '25.00' }), ...shipped('s-1', 'o-1')];

describe('confirming a delivery', () => {
  it('delivers a dispatched shipment, naming its order', () => {
    given(dispatched)
      .when(confirmDelivery('s-1'))
      .thenEvents([
        { type: 'ShipmentDelivered', data: { shipmentId: 's-1', orderId: 'o-1', deliveredAt: NOW } },
      ]);
  });

  it('does nothing when the delivery is confirmed twice', () => {
    given([...dispatched, shipmentDelivered('s-1')])
      .when(confirmDelivery('s-1'))
      .thenNothing();
  });

  it('waits for a shipment it does not know yet: delivery only after dispatch', () => {
    given([orderPlaced(), ...paid({ amount: '25.00' })])
      .when(confirmDelivery('s-1'))
      .thenNotYet('shipment s-1 is not known yet');
  });
});
