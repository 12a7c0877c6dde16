import { v5 as uuidv5 } from 'uuid';
import {
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { appendEvents } from '../../lib/eventstore';
import { CURRENT_SCHEMA_VERSION } from '../../contracts/events/domain';
import { REQUEST_STREAM_PREFIX, type RequestOutcomeEvent } from '../../contracts/events/requests';
import { EVENT_ID_NAMESPACE } from './command-handler';
import { readRequestHistory, type RecordedOutcome } from './request-history';

/** Records what became of an input message on `request-<requestId>`; one outcome per input event id. */
export interface OutcomeRecorder {
  record(outcome: RequestOutcomeEvent): Promise<void>;
  /** Records it only if the request stream is still at `expected`; false when another writer came first. */
  recordAt(outcome: RequestOutcomeEvent, expected: bigint | 'no_stream'): Promise<boolean>;
  /** What is recorded for the request so far, oldest first. */
  history(requestId: string): Promise<readonly RecordedOutcome[]>;
}

/**
 * The same input settles to the same outcome id, so a redelivery records nothing new; a waiting message records
 * each reason once, and a park once per attempt that parks it (a replayed message may be parked again).
 */
export function outcomeEventId(outcome: RequestOutcomeEvent): string {
  const { inputEventId } = outcome.data;
  switch (outcome.type) {
    case 'ShopDataWaiting':
      return uuidv5(`${inputEventId}/waiting/${outcome.data.reason}`, EVENT_ID_NAMESPACE);
    case 'ShopDataParked':
      return uuidv5(`${inputEventId}/parked/${outcome.data.parkedAt}`, EVENT_ID_NAMESPACE);
    default:
      return uuidv5(`${inputEventId}/outcome`, EVENT_ID_NAMESPACE);
  }
}

function append(client: EventStoreDBClient, outcome: RequestOutcomeEvent, expected: AppendExpectedRevision) {
  const { requestId, inputEventId } = outcome.data;
  return appendEvents(
    client,
    REQUEST_STREAM_PREFIX + requestId,
    [
      {
        id: outcomeEventId(outcome),
        type: outcome.type,
        data: { ...outcome.data },
        metadata: {
          $correlationId: requestId,
          $causationId: inputEventId,
          schemaVersion: CURRENT_SCHEMA_VERSION,
        },
      },
    ],
    expected,
  );
}

export function eventStoreOutcomeRecorder(client: EventStoreDBClient): OutcomeRecorder {
  return {
    history: (requestId) => readRequestHistory(client, requestId),
    async record(outcome) {
      await append(client, outcome, 'any');
    },
    async recordAt(outcome, expected) {
      try {
        await append(client, outcome, expected);
        return true;
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) return false;
        throw error;
      }
    },
  };
}
