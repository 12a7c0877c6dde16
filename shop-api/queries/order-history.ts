import type { OrderDocument } from '../../contracts/read-models/orders';
import { readStreamEvents, type PipelinePorts } from '../pipeline/stream-reads';

/** One event of an order's history as the UI lists it: what happened, when, where, and which request caused it. */
export interface HistoryEvent {
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly at: string;
  readonly position: number | null;
  readonly requestId: string | null;
}

/**
 * The streams an order's state comes from: its own (the ledger every rule spanning the order is decided on), and
 * the payment and shipping streams its read-model document names. Events only, no data: the payloads carry
 * sealed personal fields and the detail view already shows their effect.
 */
export function orderStreams(orderId: string, doc: OrderDocument | null): string[] {
  return [
    `order-${orderId}`,
    ...(doc?.payments ?? []).map((payment) => `payment-${payment.paymentId}`),
    ...(doc?.shipment ? [`shipping-${doc.shipment.shipmentId}`] : []),
  ];
}

/** Every event of those streams, in the order the store recorded them (`$all` position). */
export async function orderHistory(
  ports: Pick<PipelinePorts, 'client'>,
  orderId: string,
  doc: OrderDocument | null,
): Promise<HistoryEvent[]> {
  const streams = await Promise.all(
    orderStreams(orderId, doc).map((stream) => readStreamEvents(ports.client, stream)),
  );
  return streams
    .flat()
    .map((event) => ({
      stream: event.streamId,
      revision: event.revision,
      type: event.type,
      at: event.created,
      position: event.position ?? null,
      requestId: typeof event.metadata.$correlationId === 'string' ? event.metadata.$correlationId : null,
    }))
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.at.localeCompare(b.at));
}
