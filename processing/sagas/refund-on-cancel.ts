import type { RefundPayment } from '../commands';
import type { DomainEvent } from '../../contracts/events/domain';
import { cancellationRefundId } from '../../contracts/events/orders';

/** A domain event with the id it was stored under: the reactor's commands derive their ids from it. */
export interface IdentifiedEvent {
  readonly eventId: string;
  readonly event: DomainEvent;
}

export interface ReactorCommand {
  /** The event the command answers; the events it appends derive their ids from it, so it acts once. */
  readonly causationId: string;
  readonly command: RefundPayment;
}

/**
 * A cancellation decides its refunds on the order stream (RefundApplied, refundId `cancel-<orderId>`, in the same
 * append as OrderCancelled). This reactor carries each of them to its payment's stream as a RefundPayment, which
 * the order then finds already applied. Pure: the host feeds it the cancelled order's stream.
 */
export function refundsForCancelledOrder(
  orderId: string,
  orderStream: readonly IdentifiedEvent[],
): ReactorCommand[] {
  const refundId = cancellationRefundId(orderId);
  return orderStream.flatMap(({ eventId, event }) =>
    event.type === 'RefundApplied' && event.data.refundId === refundId
      ? [
          {
            causationId: eventId,
            command: {
              type: 'RefundPayment',
              paymentId: event.data.paymentId,
              amount: { minor: event.data.amount },
              currency: event.data.currency,
              reason: event.data.reason,
              refundId,
            },
          },
        ]
      : [],
  );
}
