import { userInfo } from 'node:os';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { readParkedEntries, requestIdOf, type GroupNames } from '../lib/parked-messages';
import { eventStoreOutcomeRecorder, readRequestHistory, settledOutcome } from '../processing/operations';
import { done, failed, SERVER_DEADLINE_MS, type CommandOutcome } from './outcome';
import {
  formatParked,
  formatParkedMessage,
  readParked,
  toParkedMessage,
  type ParkedMessage,
} from './parked-view';

/** How far `show`, `skip` and `replay --request` look into the parked stream for the message named. */
export const PARKED_SCAN_LIMIT = 10_000;
/** How many entries a flush of the settled head of the parked stream looks at. */
const FLUSH_SCAN_LIMIT = 500;

export async function parkedList(
  client: EventStoreDBClient,
  names: GroupNames,
  limit: number,
): Promise<CommandOutcome> {
  return done(formatParked(await readParked(client, names, limit), limit));
}

/** The parked message with this requestId or input event id, with its request's history. */
export async function findParked(
  client: EventStoreDBClient,
  names: GroupNames,
  id: string,
): Promise<ParkedMessage | undefined> {
  const entries = await readParkedEntries(client, names, PARKED_SCAN_LIMIT, SERVER_DEADLINE_MS);
  const entry = entries.find(
    ({ target }) =>
      target && (requestIdOf(target) === id || target.eventId === id || target.metadata.replayOf === id),
  );
  if (!entry?.target) return undefined;
  const history = await readRequestHistory(client, requestIdOf(entry.target), SERVER_DEADLINE_MS);
  return toParkedMessage(entry, history);
}

export const notParked = (id: string): CommandOutcome =>
  failed(`No parked message with requestId or input event id "${id}" (see: npm run admin -- parked list).`);

export async function parkedShow(
  client: EventStoreDBClient,
  names: GroupNames,
  id: string,
): Promise<CommandOutcome> {
  const message = await findParked(client, names, id);
  return message ? done(formatParkedMessage(message)) : notParked(id);
}

/**
 * Replays the head of the parked stream while every entry in it has settled (skipped, or a replayed copy went
 * through): the processors acknowledge those without handling them, and no undecided message is sent again.
 * Resolves with how many entries left the parked stream.
 */
export async function flushSettledHead(client: EventStoreDBClient, names: GroupNames): Promise<number> {
  const entries = await readParkedEntries(client, names, FLUSH_SCAN_LIMIT, SERVER_DEADLINE_MS);
  let settled = 0;
  for (const entry of entries) {
    if (!entry.target) break;
    const history = await readRequestHistory(client, requestIdOf(entry.target), SERVER_DEADLINE_MS);
    const eventId =
      typeof entry.target.metadata.replayOf === 'string'
        ? entry.target.metadata.replayOf
        : entry.target.eventId;
    if (!settledOutcome(history, eventId)) break;
    settled++;
  }
  const last = entries[settled - 1];
  if (!last) return 0;
  await client.replayParkedMessagesToStream(names.inputStream, names.processingGroup, {
    stopAt: last.revision + 1n,
    deadline: SERVER_DEADLINE_MS,
  });
  return settled;
}

/** Who runs the CLI, for the audit record; a container user without a passwd entry is named by its uid. */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

export interface SkipRequest {
  readonly id: string;
  readonly reason: string;
  readonly by?: string;
}

/**
 * `parked skip`: an explicit, audited rejection instead of a silent ack. The request stream records a
 * `ShopDataRejected` naming the operator and their reason (the request's status says so); the processors then
 * acknowledge the parked message without handling it whenever a replay reaches it, and it leaves the parked
 * stream at once when everything before it has settled too. Nothing else is replayed.
 */
export async function parkedSkip(
  client: EventStoreDBClient,
  names: GroupNames,
  request: SkipRequest,
  now: () => Date = () => new Date(),
): Promise<CommandOutcome> {
  const message = await findParked(client, names, request.id);
  if (!message?.entry.target) return notParked(request.id);
  if (message.state !== 'parked') {
    return failed(`Request ${message.requestId} is already ${message.state}: there is nothing to skip.`);
  }
  const by = request.by ?? operatorName();
  const metadata = message.entry.target.metadata;
  await eventStoreOutcomeRecorder(client).record({
    type: 'ShopDataRejected',
    data: {
      requestId: message.requestId,
      inputEventId: message.eventId,
      applies: typeof metadata.applies === 'string' ? metadata.applies : '',
      profile: typeof metadata.profile === 'string' ? metadata.profile : '',
      reason: `skipped by ${by}: ${request.reason}`,
      rejectedAt: now().toISOString(),
      skippedBy: by,
    },
  });
  const flushed = await flushSettledHead(client, names);
  const where =
    flushed > 0
      ? 'It has left the parked stream.'
      : 'It stays in the parked stream behind messages still undecided, until a replay reaches it; the processors ' +
        'then acknowledge it without handling it.';
  return done(
    `Skipped request ${message.requestId} (input event ${message.eventId}): recorded as rejected, ` +
      `"skipped by ${by}: ${request.reason}". ${where}`,
  );
}
