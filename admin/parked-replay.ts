import {
  jsonEvent,
  PersistentSubscriptionDoesNotExistError,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { v5 as uuidv5 } from 'uuid';
import type { GroupNames } from '../lib/parked-messages';
import { EVENT_ID_NAMESPACE, readRequestHistory } from '../processing/operations';
import { plural, table } from './format';
import { done, failed, SERVER_DEADLINE_MS, type CommandOutcome } from './outcome';
import { findParked, flushSettledHead, notParked } from './parked-commands';
import { readParked, type ParkedMessage } from './parked-view';
import type { Progress } from './progress';
import { groupMissing } from './subscription-commands';

export interface ReplayRequest {
  readonly limit: number;
  readonly requestId?: string;
  readonly waitSeconds: number;
}

/** What became of one replayed message within the wait. */
export type ReplayResult = 'went through' | 'parked again' | 'no outcome yet' | 'already settled';

const POLL_MS = 250;
const THROUGH = new Set(['ShopDataProcessed', 'ShopDataRejected']);

/** The newest outcome recorded after `since` (a request-stream revision), judged. */
async function resultSince(
  client: EventStoreDBClient,
  message: ParkedMessage,
  since: bigint,
): Promise<ReplayResult> {
  const history = await readRequestHistory(client, message.requestId, SERVER_DEADLINE_MS);
  const fresh = history.filter((o) => o.revision > since && o.data.inputEventId === message.eventId);
  if (fresh.some((o) => THROUGH.has(o.type))) return 'went through';
  if (fresh.some((o) => o.type === 'ShopDataParked')) return 'parked again';
  return 'no outcome yet';
}

/** Polls the replayed messages' request streams until each has an outcome or the wait is over. */
async function watch(
  client: EventStoreDBClient,
  messages: readonly ParkedMessage[],
  waitSeconds: number,
  progressFor: (total: number) => Progress,
): Promise<ReplayResult[]> {
  const progress = progressFor(messages.length);
  const since = messages.map((m) => m.history[m.history.length - 1]?.revision ?? -1n);
  const results: ReplayResult[] = messages.map((m) =>
    m.state === 'parked' ? 'no outcome yet' : 'already settled',
  );
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const open = results.flatMap((result, i) => (result === 'no outcome yet' ? [i] : []));
    progress.update(results.length - open.length);
    if (open.length === 0 || Date.now() > deadline) break;
    await Promise.all(
      open.map(async (i) => (results[i] = await resultSince(client, messages[i]!, since[i]!))),
    );
    if (results.every((r) => r !== 'no outcome yet')) continue;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  progress.finish();
  return results;
}

function report(messages: readonly ParkedMessage[], results: readonly ReplayResult[], intro: string): string {
  const count = (result: ReplayResult) => results.filter((r) => r === result).length;
  const summary = [
    `${count('went through')} went through`,
    `${count('parked again')} parked again`,
    ...(count('no outcome yet') > 0
      ? [`${count('no outcome yet')} without an outcome yet (still waiting or retrying)`]
      : []),
    ...(count('already settled') > 0 ? [`${count('already settled')} had settled already`] : []),
  ].join(', ');
  const rows = messages.map((m, i) => [m.requestId, m.eventId, results[i]!]);
  return `${intro}: ${summary}.\n${table(['requestId', 'event id', 'result'], rows)}`;
}

/** The copy that replays one parked message through the group; deterministic per parked entry. */
function replayCopy(message: ParkedMessage) {
  const target = message.entry.target!;
  return jsonEvent({
    id: uuidv5(`${message.eventId}/replay/${message.entry.revision}`, EVENT_ID_NAMESPACE),
    type: target.type,
    data: target.data as Record<string, unknown>,
    metadata: { ...target.metadata, replayOf: message.eventId },
  });
}

/**
 * `parked replay --request ID`: sends that one message through the group again without touching the others. The
 * server can only replay the parked stream from its head, so the admin appends a copy of the message to the input
 * stream that names the original (`replayOf`); the processors treat it as the original (same outcome and domain
 * event ids). Once it has gone through, the original's parked entry has settled and leaves with the head.
 */
async function replayOne(
  client: EventStoreDBClient,
  names: GroupNames,
  request: ReplayRequest & { requestId: string },
  progress: (total: number) => Progress,
): Promise<CommandOutcome> {
  const message = await findParked(client, names, request.requestId);
  if (!message?.entry.target) return notParked(request.requestId);
  if (message.state === 'parked') {
    await client.appendToStream(names.inputStream, replayCopy(message), { deadline: SERVER_DEADLINE_MS });
  }
  const results = await watch(client, [message], request.waitSeconds, progress);
  const flushed = results[0] === 'parked again' ? 0 : await flushSettledHead(client, names);
  const left = flushed > 0 ? ` ${plural(flushed, 'settled entry')} left the parked stream.` : '';
  return done(`${report([message], results, `Replayed request ${message.requestId} alone`)}${left}`);
}

/** `parked replay [--limit N]`: the first N parked messages (server-side, `stopAt`), never the whole stream. */
export async function parkedReplay(
  client: EventStoreDBClient,
  names: GroupNames,
  request: ReplayRequest,
  progress: (total: number) => Progress,
): Promise<CommandOutcome> {
  let info;
  try {
    info = await client.getPersistentSubscriptionToStreamInfo(names.inputStream, names.processingGroup, {
      deadline: SERVER_DEADLINE_MS,
    });
  } catch (error) {
    if (error instanceof PersistentSubscriptionDoesNotExistError) return groupMissing(names);
    throw error;
  }
  if (request.requestId !== undefined)
    return replayOne(client, names, { ...request, requestId: request.requestId }, progress);
  const messages = await readParked(client, names, request.limit);
  const last = messages[messages.length - 1];
  if (!last) return done('No parked messages to replay.');
  await client.replayParkedMessagesToStream(names.inputStream, names.processingGroup, {
    stopAt: last.entry.revision + 1n,
    deadline: SERVER_DEADLINE_MS,
  });
  const total = Number(info.stats.parkedMessageCount);
  const rest =
    total > messages.length
      ? `; ${total - messages.length} more ${total - messages.length === 1 ? 'stays' : 'stay'} parked (--limit ${request.limit})`
      : '';
  const intro = `Replayed ${messages.length} of ${plural(total, 'parked message')} to group "${names.processingGroup}"${rest}`;
  if (info.connections.length === 0) {
    return failed(`${intro}. No consumer is connected: they wait for a processor (npm run processing).`);
  }
  const results = await watch(client, messages, request.waitSeconds, progress);
  return done(report(messages, results, intro));
}
