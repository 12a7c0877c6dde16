import type { PaymentCommand, RecordPayment, RefundAmount, RefundPayment } from '../commands';
import { NOTHING_TO_DO, accepted, notYet, rejected, type DecideContext, type Decision } from '../decision';
import { describeAmount, isKnownCurrency, parseAmount, type ParsedAmount } from '../../contracts/money/money';
import { deepEqual } from '../../lib/values/deep-equal';
import { refundable, type PaymentState } from './state';

export function decide(command: PaymentCommand, state: PaymentState, context: DecideContext): Decision {
  switch (command.type) {
    case 'RecordPayment':
      return record(command, state, context);
    case 'RefundPayment':
      return refund(command, state, context);
  }
}

/**
 * The payment's own rules: a valid amount in a currency we accept, and one content per payment id. Whether the
 * order may take it is the Order aggregate's decision, made on the order stream before this one is appended.
 */
function record(command: RecordPayment, state: PaymentState, { now }: DecideContext): Decision {
  const { paymentId, orderId, amount, currency, method } = command;
  if (!isKnownCurrency(currency))
    return rejected(`currency ${JSON.stringify(currency)} is not one we accept`);
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    return rejected(`a payment must be a positive amount, got ${describe(amount, currency)}`);
  }
  if (state.recorded !== undefined) {
    const { recordedAt: _recordedAt, paymentId: _paymentId, ...recorded } = state.recorded;
    const same = deepEqual({ orderId, amount, currency, method }, recorded);
    return same
      ? NOTHING_TO_DO
      : rejected(`payment ${paymentId} was already recorded with different content`);
  }
  return accepted([
    { type: 'PaymentRecorded', data: { paymentId, orderId, amount, currency, method, recordedAt: now } },
  ]);
}

function refund(command: RefundPayment, state: PaymentState, { now }: DecideContext): Decision {
  const { paymentId, reason } = command;
  const payment = state.recorded;
  if (payment === undefined) return notYet(`payment ${paymentId} is not known yet`);
  const { currency, orderId } = payment;
  if (command.currency !== undefined && command.currency !== currency) {
    return rejected(
      `refund in ${command.currency} does not match payment ${paymentId}'s currency ${currency}`,
    );
  }
  const parsed = refundMinor(command.amount, currency);
  if (!parsed.ok) return rejected(`refund ${parsed.reason}`);
  const amount = parsed.minor;
  if (amount <= 0) {
    return rejected(`a refund must be a positive amount, got ${describeAmount(amount, currency)}`);
  }
  const { refundId } = command;
  const earlier = state.refunds[refundId];
  if (earlier !== undefined) {
    const same = earlier.amount === amount && earlier.reason === reason;
    return same
      ? NOTHING_TO_DO
      : rejected(`refund ${refundId} of payment ${paymentId} was already made with different content`);
  }
  const left = refundable(state);
  if (amount > left) {
    return rejected(
      `refund of ${describeAmount(amount, currency)} exceeds the refundable ${describeAmount(left, currency)} of payment ${paymentId}`,
    );
  }
  return accepted([
    {
      type: 'PaymentRefunded',
      data: {
        paymentId,
        orderId,
        amount,
        currency,
        reason,
        refundId,
        refundedAt: now,
      },
    },
  ]);
}

/** A refund's amount in minor units of the payment's currency. */
export function refundMinor(amount: RefundAmount, currency: string): ParsedAmount {
  if ('major' in amount) return parseAmount(amount.major, currency);
  if (!Number.isSafeInteger(amount.minor))
    return { ok: false, reason: `amount ${amount.minor} is not whole minor units` };
  return { ok: true, minor: amount.minor };
}

function describe(amount: number, currency: string): string {
  return Number.isSafeInteger(amount) ? describeAmount(amount, currency) : `${amount} minor units`;
}
