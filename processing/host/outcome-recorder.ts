import { v5 as uuidv5 } from 'uuid';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { appendEvents } from '../../lib/eventstore';
import { CURRENT_SCHEMA_VERSION } from '../events';
import { REQUEST_STREAM_PREFIX, type RequestOutcomeEvent } from '../requests/events';
import { EVENT_ID_NAMESPACE } from './command-handler';

/** Records what became of an input message on `request-<requestId>`; one outcome per input event id. */
export interface OutcomeRecorder {
  record(outcome: RequestOutcomeEvent): Promise<void>;
}

export function eventStoreOutcomeRecorder(client: EventStoreDBClient): OutcomeRecorder {
  return {
    async record(outcome) {
      const { requestId, inputEventId } = outcome.data;
      await appendEvents(
        client,
        REQUEST_STREAM_PREFIX + requestId,
        [
          {
            // The same input settles to the same outcome id, so a redelivery records nothing new.
            id: uuidv5(`${inputEventId}/outcome`, EVENT_ID_NAMESPACE),
            type: outcome.type,
            data: { ...outcome.data },
            metadata: {
              $correlationId: requestId,
              $causationId: inputEventId,
              schemaVersion: CURRENT_SCHEMA_VERSION,
            },
          },
        ],
        'any',
      );
    },
  };
}
