import { given } from '../testing/given-when-then';
import {
  NOW,
  cancelOrder,
  money,
  orderCancelled,
  orderPlaced,
  orderShipped,
  paymentRecorded,
  shipmentDelivered,
} from '../testing/shop-fixtures';

describe('cancelling an order', () => {
  it('cancels a placed order, carrying its currency and total', () => {
    given([orderPlaced()])
      .when(cancelOrder('o-1', 'found it cheaper'))
      .thenEvents([
        {
          type: 'OrderCancelled',
          data: {
            orderId: 'o-1',
            reason: 'found it cheaper',
            currency: 'EUR',
            total: money('25.00'),
            cancelledAt: NOW,
          },
        },
      ]);
  });

  it('cancels a paid order that has not shipped yet', () => {
    given([orderPlaced(), paymentRecorded({ amount: '25.00' })])
      .when(cancelOrder())
      .thenEvents([{ ...orderCancelled(), data: { ...orderCancelled().data, cancelledAt: NOW } }]);
  });

  it('does nothing when the order is already cancelled', () => {
    given([orderPlaced(), orderCancelled()]).when(cancelOrder('o-1', 'again')).thenNothing();
  });

  it('refuses to cancel once the order has shipped', () => {
    given([orderPlaced(), paymentRecorded({ amount: '25.00' }), orderShipped()])
      .when(cancelOrder())
      .thenRejected('order o-1 has already shipped and can no longer be cancelled');
  });

  it('refuses to cancel a delivered order', () => {
    given([orderPlaced(), paymentRecorded({ amount: '25.00' }), orderShipped(), shipmentDelivered()])
      .when(cancelOrder())
      .thenRejected('order o-1 has been delivered and can no longer be cancelled');
  });

  it('waits for an order it does not know yet (the cancel may have overtaken the order)', () => {
    given([]).when(cancelOrder('o-7')).thenNotYet('order o-7 is not known yet');
  });
});
