import { START, type EventStoreDBClient, type StreamSubscription } from '@eventstore/db-client';
import type { Logger } from '../../lib/logger';
import {
  parkedStreamName,
  requestIdOf,
  toParkedEntry,
  type GroupNames,
  type ParkedEntry,
} from '../../lib/parked-messages';
import type { ShopDataParked } from '../../contracts/events/requests';
import type { OutcomeRecorder } from './outcome-recorder';
import { firstRecordedAttempt, settledOutcome, type RecordedOutcome } from './request-history';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The processor's own park is recorded before it nacks, so a link whose input already shows one is known. */
function alreadyKnown(history: readonly RecordedOutcome[], inputEventId: string): boolean {
  if (settledOutcome(history, inputEventId)) return true;
  const last = history.filter((outcome) => outcome.data.inputEventId === inputEventId).pop();
  return last?.type === 'ShopDataParked';
}

/** What the processing group records for a park only the server saw (its redelivery limit ran out). */
export function serverParkOutcome(
  entry: ParkedEntry,
  history: readonly RecordedOutcome[],
  retryCount: number,
): ShopDataParked | undefined {
  const target = entry.target;
  if (!target) return undefined;
  const inputEventId = text(target.metadata.replayOf) ?? target.eventId;
  if (alreadyKnown(history, inputEventId)) return undefined;
  const parkedAt = entry.parkedAt.toISOString();
  return {
    type: 'ShopDataParked',
    data: {
      requestId: requestIdOf(target),
      inputEventId,
      applies: text(target.metadata.applies) ?? '',
      profile: text(target.metadata.profile) ?? '',
      reason: entry.serverReason ?? 'parked by the server: its redelivery limit was reached',
      parkedAt,
      retryCount,
      firstAttemptAt: firstRecordedAttempt(history, inputEventId) ?? target.created.toISOString(),
      lastAttemptAt: parkedAt,
    },
  };
}

export interface ServerParksOptions {
  readonly client: EventStoreDBClient;
  readonly outcomes: OutcomeRecorder;
  readonly names: GroupNames;
  readonly logger: Logger;
  /** The group's redelivery limit: how many retries the server made before it parked. */
  readonly retryCount: number;
}

const RESUBSCRIBE_DELAY_MS = 1000;
const MAX_GUARDED_ATTEMPTS = 5;

/**
 * Follows the group's parked-messages stream and records `ShopDataParked` for each park the request's history
 * does not show yet, so readers learn every park from `request-*` and never read the server's internal stream.
 * It reads from the start on every (re)start: the stream holds only what is still parked, and the record is
 * guarded by the request stream's revision, so processors racing on the same link record it once.
 */
export interface ServerParksWatcher {
  /** Parked-stream entries looked at since it started (recorded or found already recorded). */
  examined(): number;
  stop(): Promise<void>;
}

export function watchServerParks(options: ServerParksOptions): ServerParksWatcher {
  const { client, outcomes, logger } = options;
  const log = logger.child({ watcher: 'server-parks' });
  let subscription: StreamSubscription | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let examined = 0;

  async function recordPark(entry: ParkedEntry): Promise<void> {
    if (!entry.target) return;
    const requestId = requestIdOf(entry.target);
    for (let attempt = 1; ; attempt++) {
      const history = await outcomes.history(requestId);
      const outcome = serverParkOutcome(entry, history, options.retryCount);
      if (!outcome) return;
      const expected = history.length === 0 ? 'no_stream' : history[history.length - 1]!.revision;
      const recorded = await outcomes.recordAt(outcome, expected);
      if (recorded || attempt >= MAX_GUARDED_ATTEMPTS) return;
    }
  }

  function subscribe(): void {
    if (stopped) return;
    subscription = client.subscribeToStream(parkedStreamName(options.names), {
      fromRevision: START,
      resolveLinkTos: true,
    });
    subscription.on('error', (error: unknown) => {
      if (stopped) return;
      log.warn({ err: error }, 'parked-stream subscription dropped; resubscribing');
      retry = setTimeout(subscribe, RESUBSCRIBE_DELAY_MS);
    });
    void (async () => {
      for await (const resolved of subscription) {
        const entry = toParkedEntry(resolved);
        if (!entry) continue;
        await recordPark(entry).catch((error: unknown) =>
          log.warn({ err: error, revision: entry.revision }, 'could not record a park the server made'),
        );
        examined++;
      }
    })().catch(() => undefined);
  }

  subscribe();
  return {
    examined: () => examined,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await subscription?.unsubscribe().catch(() => undefined);
    },
  };
}
