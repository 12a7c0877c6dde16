import type { RefundPayment } from '../commands';
import { given } from '../testing/given-when-then';
import {
  NOW,
  line,
  money,
  orderCancelled,
  orderPlaced,
  paymentRecorded,
  paymentRefunded,
  refundPayment,
} from '../testing/shop-fixtures';

const paid25 = [orderPlaced(), paymentRecorded({ amount: '25.00' })];

function refundOfMajor(major: string, currency?: string): RefundPayment {
  return {
    type: 'RefundPayment',
    paymentId: 'p-1',
    amount: { major },
    reason: 'damaged',
    ...(currency ? { currency } : {}),
  };
}

describe('refunding a payment', () => {
  it('refunds part of a payment, in the payment currency and for its order', () => {
    given(paid25)
      .when(refundPayment('p-1', '5.00'))
      .thenEvents([
        {
          type: 'PaymentRefunded',
          data: {
            paymentId: 'p-1',
            orderId: 'o-1',
            amount: money('5.00'),
            currency: 'EUR',
            reason: 'damaged',
            refundedAt: NOW,
          },
        },
      ]);
  });

  it('refunds the whole payment, also after the order was cancelled', () => {
    given([...paid25, orderCancelled()])
      .when(refundPayment('p-1', '25.00'))
      .thenEvents([paymentRefunded({ amount: '25.00' }, NOW)]);
  });

  it('refuses a refund above what was paid', () => {
    given(paid25)
      .when(refundPayment('p-1', '25.01'))
      .thenRejected('refund of 25.01 EUR exceeds the refundable 25.00 EUR of payment p-1');
  });

  it('refuses a refund above what is left after earlier refunds', () => {
    given([...paid25, paymentRefunded({ amount: '20.00' })])
      .when(refundPayment('p-1', '5.01'))
      .thenRejected('refund of 5.01 EUR exceeds the refundable 5.00 EUR of payment p-1');
    given([...paid25, paymentRefunded({ amount: '20.00' })])
      .when(refundPayment('p-1', '5.00'))
      .thenEvents([paymentRefunded({ amount: '5.00' }, NOW)]);
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
      .thenEvents([paymentRefunded({ amount: '7.50' }, NOW)]);
    const yen = [
      orderPlaced({ currency: 'JPY', lines: [line('SKU-1', 1, '1000', 'JPY')] }),
      paymentRecorded({ amount: '1000', currency: 'JPY' }),
    ];
    given(yen)
      .when(refundOfMajor('300'))
      .thenEvents([paymentRefunded({ amount: '300', currency: 'JPY' }, NOW)]);
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
    const named = { ...refundPayment('p-1', '5.00'), refundId: 'r-1' };
    const refunded = {
      ...paymentRefunded({ amount: '5.00' }),
      data: { ...paymentRefunded({ amount: '5.00' }).data, refundId: 'r-1' },
    };
    given(paid25)
      .when(named)
      .thenEvents([{ ...refunded, data: { ...refunded.data, refundedAt: NOW } }]);
    given([...paid25, refunded])
      .when(named)
      .thenNothing();
    given([...paid25, refunded])
      .when({ ...named, amount: { minor: 600 } })
      .thenRejected('refund r-1 of payment p-1 was already made with different content');
    given([...paid25, refunded])
      .when({ ...named, refundId: 'r-2' })
      .thenEvents([{ ...refunded, data: { ...refunded.data, refundId: 'r-2', refundedAt: NOW } }]);
  });

  it('refunds again for an unnamed refund: nothing tells a repeat from a second refund', () => {
    given([...paid25, paymentRefunded({ amount: '5.00' })])
      .when(refundPayment('p-1', '5.00'))
      .thenEvents([paymentRefunded({ amount: '5.00' }, NOW)]);
  });

  it('waits for a payment it does not know yet', () => {
    given([orderPlaced()]).when(refundPayment('p-9', '1.00')).thenNotYet('payment p-9 is not known yet');
  });
});
