import type { RefundPayment } from '../commands';
import { given } from '../testing/given-when-then';
import {
  line,
  money,
  NOW,
  orderCancelled,
  orderPlaced,
  paid,
  refunded,
  refundPayment,
} from '../testing/shop-fixtures';

const paid25 = [orderPlaced(), ...paid({ amount: '25.00' })];

function refundOfMajor(major: string, currency?: string): RefundPayment {
  return {
    type: 'RefundPayment',
    paymentId: 'p-1',
    amount: { major },
    reason: 'damaged',
    refundId: 'r-1',
    ...(currency ? { currency } : {}),
  };
}

describe('refunding a payment', () => {
  it('refunds part of a payment: first on its order, then on the payment, in the payment currency', () => {
    given(paid25)
      .when(refundPayment('p-1', '5.00'))
      .thenEvents([
        {
          type: 'RefundApplied',
          data: {
            orderId: 'o-1',
            paymentId: 'p-1',
            refundId: 'r-1',
            amount: money('5.00'),
            currency: 'EUR',
            reason: 'damaged',
            appliedAt: NOW,
          },
        },
        {
          type: 'PaymentRefunded',
          data: {
            paymentId: 'p-1',
            orderId: 'o-1',
            amount: money('5.00'),
            currency: 'EUR',
            reason: 'damaged',
            refundId: 'r-1',
            refundedAt: NOW,
          },
        },
      ]);
  });

  it('refunds the whole payment, also after the order was cancelled', () => {
    given([...paid25, orderCancelled()])
      .when(refundPayment('p-1', '25.00'))
      .thenEvents(refunded({ amount: '25.00' }, NOW));
  });

  it('refuses a refund above what was paid', () => {
    given(paid25)
      .when(refundPayment('p-1', '25.01'))
      .thenRejected('refund of 25.01 EUR exceeds the refundable 25.00 EUR of payment p-1');
  });

  it('refuses a refund above what is left after earlier refunds', () => {
    given([...paid25, ...refunded({ amount: '20.00', refundId: 'r-0' })])
      .when(refundPayment('p-1', '5.01'))
      .thenRejected('refund of 5.01 EUR exceeds the refundable 5.00 EUR of payment p-1');
    given([...paid25, ...refunded({ amount: '20.00', refundId: 'r-0' })])
      .when(refundPayment('p-1', '5.00'))
      .thenEvents(refunded({ amount: '5.00' }, NOW));
  });

  it('refuses a refund that is not positive', () => {
    given(paid25)
      .when(refundPayment('p-1', '0.00'))
      .thenRejected('a refund must be a positive amount, got 0.00 EUR');
    given(paid25)
      .when(refundPayment('p-1', '-1.00'))
      .thenRejected('a refund must be a positive amount, got -1.00 EUR');
  });

  it('converts a major-unit refund with the payment currency', () => {
    given(paid25)
      .when(refundOfMajor('7.5'))
      .thenEvents(refunded({ amount: '7.50' }, NOW));
    const yen = [
      orderPlaced({ currency: 'JPY', lines: [line('SKU-1', 1, '1000', 'JPY')] }),
      ...paid({ amount: '1000', currency: 'JPY' }),
    ];
    given(yen)
      .when(refundOfMajor('300'))
      .thenEvents(refunded({ amount: '300', currency: 'JPY' }, NOW));
    given(yen)
      .when(refundOfMajor('300.5'))
      .thenRejected('refund amount "300.5" has too many decimals: JPY allows no decimals');
  });

  it('refuses a refund in another currency than the payment', () => {
    given(paid25)
      .when(refundOfMajor('5.00', 'USD'))
      .thenRejected("refund in USD does not match payment p-1's currency EUR");
  });

  it('does nothing when the same named refund comes again (a redelivered message)', () => {
    const named = refundPayment('p-1', '5.00', 'EUR', 'r-1');
    const done = refunded({ amount: '5.00', refundId: 'r-1' });
    given(paid25)
      .when(named)
      .thenEvents(refunded({ amount: '5.00', refundId: 'r-1' }, NOW));
    given([...paid25, ...done])
      .when(named)
      .thenNothing();
    given([...paid25, ...done])
      .when({ ...named, amount: { minor: 600 } })
      .thenRejected('refund r-1 of payment p-1 was already made with different content');
    given([...paid25, ...done])
      .when({ ...named, refundId: 'r-2' })
      .thenEvents(refunded({ amount: '5.00', refundId: 'r-2' }, NOW));
  });

  it('completes a refund its order already took but the payment did not record yet (a crash between)', () => {
    given([...paid25, refunded({ amount: '5.00' })[0]])
      .when(refundPayment('p-1', '5.00'))
      .thenEvents([refunded({ amount: '5.00' }, NOW)[1]]);
  });

  it('refuses a refund above what the order still holds of the payment', () => {
    given([...paid25, refunded({ amount: '20.00', refundId: 'r-0' })[0]])
      .when(refundPayment('p-1', '5.01'))
      .thenRejected('refund of 5.01 EUR exceeds the refundable 5.00 EUR of payment p-1');
  });

  it('waits for a payment it does not know yet', () => {
    given([orderPlaced()]).when(refundPayment('p-9', '1.00')).thenNotYet('payment p-9 is not known yet');
  });
});
