import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { orderPayload } from './payloads';

const APPEND_BATCH = 100;
const APPENDS_IN_FLIGHT = 4;

/** One gateway-shaped `ShopDataReceived` input message placing order `orderId`. */
function inputEvent(orderId: string, receivedAt: string) {
  const { applies, source, profile, ...payload } = orderPayload(orderId);
  const requestId = randomUUID();
  return jsonEvent({
    id: requestId,
    type: 'ShopDataReceived',
    data: payload,
    metadata: { applies, source, profile, receivedAt, $correlationId: requestId },
  });
}

/** Appends `count` order placements to the input stream in batches, as many gateways would have. */
export async function prefillInput(
  esdbUrl: string,
  stream: string,
  count: number,
  run: string,
): Promise<void> {
  const client = EventStoreDBClient.connectionString(esdbUrl);
  try {
    const receivedAt = new Date().toISOString();
    let next = 0;
    const writer = async () => {
      while (next < count) {
        const from = next;
        next = Math.min(count, next + APPEND_BATCH);
        const events = [];
        for (let i = from; i < next; i++) events.push(inputEvent(`o-${run}-${i}`, receivedAt));
        await client.appendToStream(stream, events);
      }
    };
    await Promise.all(Array.from({ length: APPENDS_IN_FLIGHT }, writer));
  } finally {
    await client.dispose();
  }
}
