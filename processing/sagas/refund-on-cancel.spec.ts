import { createFactsStore, evolveFacts, factsFor } from '../facts/order-facts';
import type { DomainEvent } from '../events';
import { orderCancelled, orderPlaced, paymentRecorded, paymentRefunded } from '../testing/shop-fixtures';
import { refundsForCancelledOrder } from './refund-on-cancel';

function factsAfter(history: readonly DomainEvent[]) {
  const store = createFactsStore();
  for (const event of history) evolveFacts(store, event);
  return factsFor(store, 'o-1');
}

describe('refunding the payments of a cancelled order', () => {
  it('refunds every payment what is left of it', () => {
    const facts = factsAfter([
      orderPlaced(),
      paymentRecorded({ paymentId: 'p-2', amount: '15.00' }),
      paymentRecorded({ paymentId: 'p-1', amount: '10.00' }),
      paymentRefunded({ paymentId: 'p-1', amount: '4.00' }),
    ]);
    expect(refundsForCancelledOrder(orderCancelled(), facts)).toEqual([
      {
        type: 'RefundPayment',
        paymentId: 'p-1',
        amount: { minor: 600 },
        reason: 'order o-1 was cancelled: changed my mind',
        refundId: 'cancel-o-1',
      },
      {
        type: 'RefundPayment',
        paymentId: 'p-2',
        amount: { minor: 1500 },
        reason: 'order o-1 was cancelled: changed my mind',
        refundId: 'cancel-o-1',
      },
    ]);
  });

  it('skips payments already refunded in full', () => {
    const facts = factsAfter([
      orderPlaced(),
      paymentRecorded({ paymentId: 'p-1', amount: '10.00' }),
      paymentRefunded({ paymentId: 'p-1', amount: '10.00' }),
    ]);
    expect(refundsForCancelledOrder(orderCancelled(), facts)).toEqual([]);
  });

  it('refunds nothing for an unpaid order or an order it knows nothing about', () => {
    expect(refundsForCancelledOrder(orderCancelled(), factsAfter([orderPlaced()]))).toEqual([]);
    expect(refundsForCancelledOrder(orderCancelled(), undefined)).toEqual([]);
  });

  it('says the order was cancelled when no reason was given', () => {
    const facts = factsAfter([orderPlaced(), paymentRecorded({ amount: '25.00' })]);
    const cancelled = { ...orderCancelled(), data: { ...orderCancelled().data, reason: '' } };
    expect(refundsForCancelledOrder(cancelled, facts)[0]?.reason).toBe('order o-1 was cancelled');
  });
});
