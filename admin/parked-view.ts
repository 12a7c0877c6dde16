import type { EventStoreDBClient } from '@eventstore/db-client';
import { readParkedEntries, requestIdOf, type GroupNames, type ParkedEntry } from '../lib/parked-messages';
import {
  latestPark,
  readRequestHistory,
  settledOutcome,
  type RecordedOutcome,
} from '../processing/operations';
import { fields, plural, table } from './format';
import { SERVER_DEADLINE_MS } from './outcome';

/**
 * A parked message as an operator sees it: the server's entry joined with what the processor recorded on the
 * request's stream (the full reason and the attempts), and whether the request has settled since (it was
 * skipped, or a replayed copy went through) — such an entry leaves the parked stream with the next replay that
 * reaches it, and the processors acknowledge it without handling it again.
 */
export interface ParkedMessage {
  readonly entry: ParkedEntry;
  readonly requestId: string;
  readonly eventId: string;
  readonly type: string;
  readonly reason: string;
  readonly retryCount: number | undefined;
  readonly firstAttemptAt: string | undefined;
  readonly lastAttemptAt: string | undefined;
  /** `parked`, or what settled it since: `processed`, `rejected`, `skipped by <who>`. */
  readonly state: string;
  readonly history: readonly RecordedOutcome[];
}

const UNKNOWN = '?';

/** EventStoreDB records a client's nack as "Client explicitly NAK'ed message.\n<reason>": keep it on one row. */
export function oneLine(reason: string): string {
  return reason.replace(/\s*\n\s*/g, ' ').trim();
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

export function stateOf(settled: RecordedOutcome | undefined): string {
  if (!settled) return 'parked';
  if (settled.type === 'ShopDataProcessed') return 'processed';
  const by = str(settled.data.skippedBy);
  return by === undefined ? 'rejected' : `skipped by ${by}`;
}

export function toParkedMessage(entry: ParkedEntry, history: readonly RecordedOutcome[]): ParkedMessage {
  const target = entry.target;
  const eventId = target ? (str(target.metadata.replayOf) ?? target.eventId) : UNKNOWN;
  const park = latestPark(history, eventId);
  const serverReason = entry.serverReason === undefined ? undefined : oneLine(entry.serverReason);
  return {
    entry,
    requestId: target ? requestIdOf(target) : UNKNOWN,
    eventId,
    type: target?.type ?? '(linked event no longer exists)',
    reason: str(park?.data.reason) ?? serverReason ?? 'unknown',
    retryCount: num(park?.data.retryCount),
    firstAttemptAt: str(park?.data.firstAttemptAt),
    lastAttemptAt: str(park?.data.lastAttemptAt) ?? entry.parkedAt.toISOString(),
    state: stateOf(settledOutcome(history, eventId)),
    history,
  };
}

/** The first `limit` parked messages, each with its request's history. */
export async function readParked(
  client: EventStoreDBClient,
  names: GroupNames,
  limit: number,
): Promise<ParkedMessage[]> {
  const entries = await readParkedEntries(client, names, limit, SERVER_DEADLINE_MS);
  return Promise.all(
    entries.map(async (entry) => {
      const history = entry.target
        ? await readRequestHistory(client, requestIdOf(entry.target), SERVER_DEADLINE_MS)
        : [];
      return toParkedMessage(entry, history);
    }),
  );
}

export function formatParked(parked: readonly ParkedMessage[], limit: number): string {
  if (parked.length === 0) return 'No parked messages.';
  const rows = parked.map((m) => [
    m.requestId,
    m.eventId,
    m.state,
    m.entry.parkedAt.toISOString(),
    m.retryCount === undefined ? '-' : String(m.retryCount),
    m.firstAttemptAt ?? '-',
    m.lastAttemptAt ?? '-',
    m.reason,
  ]);
  const header = ['requestId', 'event id', 'state', 'parked at', 'retries', 'first attempt', 'last attempt'];
  const listing = table([...header, 'reason'], rows);
  const more = parked.length === limit ? `\n(showing the first ${limit}; use --limit to see more)` : '';
  const settled = parked.filter((m) => m.state !== 'parked').length;
  const note =
    settled === 0
      ? ''
      : `\n${plural(settled, 'entry')} settled since (skipped or replayed): ` +
        'they leave the parked stream with the next replay that reaches them, without being handled again.';
  return `${plural(parked.length, 'parked message')}:\n${listing}${more}${note}`;
}

/** The time the outcome itself carries (the processor's clock), else the event's. */
function recordedAt(outcome: RecordedOutcome): string {
  const { data } = outcome;
  const at = data.processedAt ?? data.rejectedAt ?? data.waitingAt ?? data.parkedAt;
  return typeof at === 'string' ? at : outcome.created.toISOString();
}

const json = (value: unknown) => JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');

/** `parked show`: the raw message, what the server and the processor recorded, and the request's history. */
export function formatParkedMessage(m: ParkedMessage): string {
  const target = m.entry.target;
  const summary = fields([
    ['requestId', m.requestId],
    ['input event', `${m.eventId} (${m.type}) at ${target ? `${target.streamId}@${target.revision}` : '?'}`],
    ['received at', str(target?.metadata.receivedAt) ?? target?.created.toISOString() ?? '?'],
    ['state', m.state],
    ['parked at', `${m.entry.parkedAt.toISOString()} (parked stream revision ${m.entry.revision})`],
    ['retries', m.retryCount === undefined ? 'not recorded' : String(m.retryCount)],
    ['first attempt', m.firstAttemptAt ?? 'not recorded'],
    ['last attempt', m.lastAttemptAt ?? 'not recorded'],
    ['reason', m.reason],
    ['server says', m.entry.serverReason === undefined ? '-' : oneLine(m.entry.serverReason)],
  ]);
  const history = table(
    ['recorded at', 'outcome', 'detail'],
    m.history.map((o) => [
      recordedAt(o),
      o.type,
      str(o.data.reason) ?? (Array.isArray(o.data.resultIds) ? o.data.resultIds.join(', ') : ''),
    ]),
  );
  return [
    summary,
    `\nmetadata:\n  ${json(target?.metadata ?? {})}`,
    `\npayload:\n  ${json(target?.data ?? null)}`,
    `\nhistory of request-${m.requestId}:\n${m.history.length === 0 ? '(nothing recorded)' : history}`,
  ].join('\n');
}
