import { FORWARDS, START, type EventStoreDBClient } from '@eventstore/db-client';
import { collectRead } from '../../lib/eventstore';
import { REQUEST_STREAM_PREFIX } from '../../contracts/events/requests';

/** One outcome recorded on `request-<requestId>`, as read back. */
export interface RecordedOutcome {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly created: Date;
  readonly revision: bigint;
}

/** A request stream holds a handful of outcomes; this bounds a read of one gone wrong. */
const MAX_OUTCOMES = 1000;

export function readRequestHistory(
  client: EventStoreDBClient,
  requestId: string,
  deadline?: number,
): Promise<RecordedOutcome[]> {
  const read = client.readStream(REQUEST_STREAM_PREFIX + requestId, {
    direction: FORWARDS,
    fromRevision: START,
    maxCount: MAX_OUTCOMES,
    deadline,
  });
  return collectRead<RecordedOutcome>(read, ({ event }) => {
    if (!event) return undefined;
    const data = event.data;
    return {
      type: event.type,
      data: isRecord(data) ? data : {},
      created: event.created,
      revision: event.revision,
    };
  });
}

function isRecord(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && !(data instanceof Uint8Array);
}

const SETTLED_TYPES = new Set(['ShopDataProcessed', 'ShopDataRejected']);

const about = (inputEventId: string) => (outcome: RecordedOutcome) =>
  outcome.data.inputEventId === inputEventId;

/** The outcome that settled this input (processed, or rejected by a rule or an operator), if any. */
export function settledOutcome(
  history: readonly RecordedOutcome[],
  inputEventId: string,
): RecordedOutcome | undefined {
  return history.find((outcome) => SETTLED_TYPES.has(outcome.type) && about(inputEventId)(outcome));
}

/** Whether the request stream tells anything of this input (it waited, was parked, or settled). */
export function hasOwnHistory(history: readonly RecordedOutcome[], inputEventId: string): boolean {
  return history.some(about(inputEventId));
}

/** The latest park of this input, with the processor's full reason and attempts. */
export function latestPark(
  history: readonly RecordedOutcome[],
  inputEventId: string,
): RecordedOutcome | undefined {
  return history.filter((o) => o.type === 'ShopDataParked' && about(inputEventId)(o)).pop();
}

/** The earliest attempt the history records for this input: its first wait, or a park's first attempt. */
export function firstRecordedAttempt(
  history: readonly RecordedOutcome[],
  inputEventId: string,
): string | undefined {
  const times = history.filter(about(inputEventId)).flatMap((outcome) => {
    const at = outcome.type === 'ShopDataWaiting' ? outcome.data.waitingAt : outcome.data.firstAttemptAt;
    return typeof at === 'string' && outcome.type !== 'ShopDataProcessed' ? [at] : [];
  });
  return times.sort()[0];
}
