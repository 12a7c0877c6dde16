import { given } from '../testing/given-when-then';
import {
  line,
  NOW,
  orderCancelled,
  orderPlaced,
  paid,
  refunded,
  shipOrder,
  shipped,
} from '../testing/shop-fixtures';

const paidOrder = [orderPlaced(), ...paid({ amount: '25.00' })];

describe('shipping an order', () => {
  it('ships a placed, fully paid order: registered on the order first, then dispatched', () => {
    given(paidOrder)
      .when(shipOrder('s-1', 'o-1'))
      .thenEvents([
        {
          type: 'ShipmentRegistered',
          data: {
            orderId: 'o-1',
            shipmentId: 's-1',
            carrier: 'DHL',
            trackingNumber: 'JD0001',
            registeredAt: NOW,
          },
        },
        {
          type: 'OrderShipped',
          data: {
            shipmentId: 's-1',
            orderId: 'o-1',
            carrier: 'DHL',
            trackingNumber: 'JD0001',
            shippedAt: NOW,
          },
        },
      ]);
  });

  it('ships an order paid in several payments', () => {
    given([
      orderPlaced(),
      ...paid({ paymentId: 'p-1', amount: '10.00' }),
      ...paid({ paymentId: 'p-2', amount: '15.00' }),
    ])
      .when(shipOrder())
      .thenEvents([...shipped('s-1', 'o-1', NOW)]);
  });

  it('ships an order that costs nothing without a payment', () => {
    given([orderPlaced({ lines: [line('GIFT', 1, '0.00')] })])
      .when(shipOrder())
      .thenEvents([...shipped('s-1', 'o-1', NOW)]);
  });

  it('waits while the order is not fully paid', () => {
    given([orderPlaced()])
      .when(shipOrder())
      .thenNotYet('order o-1 is not fully paid yet (paid 0.00 of 25.00 EUR)');
    given([orderPlaced(), ...paid({ amount: '20.00' })])
      .when(shipOrder())
      .thenNotYet('order o-1 is not fully paid yet (paid 20.00 of 25.00 EUR)');
  });

  it('waits again when a refund leaves the order short', () => {
    given([...paidOrder, ...refunded({ amount: '1.00' })])
      .when(shipOrder())
      .thenNotYet('order o-1 is not fully paid yet (paid 24.00 of 25.00 EUR)');
  });

  it('waits when the order is not known yet', () => {
    given([]).when(shipOrder('s-1', 'o-404')).thenNotYet('order o-404 is not known yet');
  });

  it('refuses to ship a cancelled order', () => {
    given([...paidOrder, orderCancelled()])
      .when(shipOrder())
      .thenRejected('order o-1 is cancelled and cannot ship');
    given([orderPlaced(), orderCancelled()])
      .when(shipOrder())
      .thenRejected('order o-1 is cancelled and cannot ship');
  });

  it('refuses a second shipment of an order already shipped', () => {
    given([...paidOrder, ...shipped('s-1')])
      .when(shipOrder('s-2'))
      .thenRejected('order o-1 has already shipped with shipment s-1');
  });

  it('does nothing when the same shipment is sent again', () => {
    given([...paidOrder, ...shipped('s-1')])
      .when(shipOrder('s-1'))
      .thenNothing();
  });

  it('refuses the same shipment id with different content', () => {
    given([...paidOrder, ...shipped('s-1')])
      .when({ ...shipOrder('s-1'), trackingNumber: 'OTHER' })
      .thenRejected('shipment s-1 was already dispatched with different content');
  });
});
