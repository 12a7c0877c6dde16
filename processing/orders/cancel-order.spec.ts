import { given } from '../testing/given-when-then';
import {
  cancelOrder,
  money,
  NOW,
  orderCancelled,
  orderPlaced,
  paid,
  refundApplied,
  refunded,
  shipmentDelivered,
  shipped,
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

  it('cancels a paid order that has not shipped yet, deciding the refund of what is left of each payment', () => {
    given([
      orderPlaced(),
      ...paid({ paymentId: 'p-2', amount: '15.00' }),
      ...paid({ paymentId: 'p-1', amount: '10.00' }),
      ...refunded({ paymentId: 'p-1', amount: '4.00' }),
    ])
      .when(cancelOrder())
      .thenEvents([
        { ...orderCancelled(), data: { ...orderCancelled().data, cancelledAt: NOW } },
        refundApplied(
          {
            paymentId: 'p-1',
            amount: '6.00',
            refundId: 'cancel-o-1',
            reason: 'order o-1 was cancelled: changed my mind',
          },
          NOW,
        ),
        refundApplied(
          {
            paymentId: 'p-2',
            amount: '15.00',
            refundId: 'cancel-o-1',
            reason: 'order o-1 was cancelled: changed my mind',
          },
          NOW,
        ),
      ]);
  });

  it('refunds nothing on cancel when the payments were refunded already', () => {
    given([orderPlaced(), ...paid({ amount: '25.00' }), ...refunded({ amount: '25.00' })])
      .when(cancelOrder())
      .thenEvents([{ ...orderCancelled(), data: { ...orderCancelled().data, cancelledAt: NOW } }]);
  });

  it('does nothing when the order is already cancelled', () => {
    given([orderPlaced(), orderCancelled()]).when(cancelOrder('o-1', 'again')).thenNothing();
  });

  it('refuses to cancel once the order has shipped', () => {
    given([orderPlaced(), ...paid({ amount: '25.00' }), ...shipped()])
      .when(cancelOrder())
      .thenRejected('order o-1 has already shipped and can no longer be cancelled');
  });

  it('refuses to cancel a delivered order: it shipped', () => {
    given([orderPlaced(), ...paid({ amount: '25.00' }), ...shipped(), shipmentDelivered()])
      .when(cancelOrder())
      .thenRejected('order o-1 has already shipped and can no longer be cancelled');
  });

  it('waits for an order it does not know yet (the cancel may have overtaken the order)', () => {
    given([]).when(cancelOrder('o-7')).thenNotYet('order o-7 is not known yet');
  });
});
