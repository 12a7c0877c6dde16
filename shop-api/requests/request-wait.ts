import type { RequestDocument, RequestStatus } from '../../contracts/read-models/requests';
import type { ReadStore } from '../queries/read-store';

/** What a waiting client is told at once: anything but `accepted` says what became of the request. */
const ANSWERED: ReadonlySet<RequestStatus> = new Set(['waiting', 'processed', 'rejected', 'parked']);
export const WAIT_POLL_MS = 50;

/**
 * The request's document, looked up again every WAIT_POLL_MS until it has an answer or `waitMs` has passed (or
 * the client went away). Point reads by `_id` on the requests model are cheap; no wait means one read.
 */
export async function waitForRequest(
  store: ReadStore,
  requestId: string,
  waitMs: number,
  gone: AbortSignal,
): Promise<RequestDocument | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const doc = await store.request(requestId);
    if ((doc && ANSWERED.has(doc.status)) || Date.now() >= deadline || gone.aborted) return doc;
    await new Promise((resolve) => setTimeout(resolve, Math.min(WAIT_POLL_MS, deadline - Date.now())));
  }
}
