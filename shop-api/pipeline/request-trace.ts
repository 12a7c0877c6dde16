import { createHash } from 'node:crypto';
import type { StoredEvent } from '../../lib/eventstore';
import { REQUEST_STREAM_PREFIX, settlesOf } from '../../contracts/events/requests';
import { READ_MODELS } from '../../contracts/read-models/catalog';
import { REQUESTS_COLLECTION, type RequestDocument } from '../../contracts/read-models/requests';
import type { ReadStore } from '../queries/read-store';
import type { AcceptedRequests } from '../requests/accepted-requests';
import { readModelCheckpoint, readStreamEvents, type PipelinePorts } from './stream-reads';

/**
 * One request's path through the three steps: stored by the gateway (its place in the input stream), decided by a
 * processor (the outcome events on `request-<id>`, and the domain events it appended, found by their correlation
 * id on the streams the outcome names), projected (each read model that reads those events has a checkpoint at
 * or past the last of them — a synchronizer saves its checkpoint only after writing the batch's documents).
 */

export interface TraceEvent {
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly at: string;
  readonly position: number | null;
}

export interface TraceOutcome {
  readonly type: string;
  readonly at: string;
  readonly reason?: string;
}

export interface RequestTrace {
  readonly requestId: string;
  readonly status: string;
  readonly reason?: string;
  readonly stored: { readonly at: string | null; readonly stream: string; readonly revision: number | null };
  readonly decided: {
    readonly outcome: 'processed' | 'rejected' | 'waiting' | 'parked';
    readonly at: string;
    readonly by: string | null;
    readonly reason?: string;
    /** Domain events appended; null when the outcome predates the processors naming their streams. */
    readonly events: readonly TraceEvent[] | null;
    readonly history: readonly TraceOutcome[];
  } | null;
  readonly projected: {
    readonly done: boolean;
    readonly readModels: readonly {
      name: string;
      reflected: boolean;
      upTo: number;
      checkpoint: number | null;
    }[];
    readonly checkedAt: string;
  } | null;
  /** When parked: how often and when it was tried, as the processor recorded it. */
  readonly parked?: {
    readonly retryCount: number;
    readonly firstAttemptAt: string;
    readonly lastAttemptAt: string;
  };
  /** Nothing further will change: rejected, parked, or processed and seen in every read model concerned. */
  readonly complete: boolean;
  /** Changes whenever anything above does (but the check time); `?known=` holds the answer until it differs. */
  readonly version: string;
}

/** The read models a domain event reaches, besides `requests` (whose answer is the status itself). */
const PROJECTED_MODELS = READ_MODELS.filter((model) => model.name !== REQUESTS_COLLECTION);
const OUTCOMES: Record<string, 'processed' | 'rejected' | 'waiting' | 'parked'> = {
  ShopDataProcessed: 'processed',
  ShopDataRejected: 'rejected',
  ShopDataWaiting: 'waiting',
  ShopDataParked: 'parked',
};

const field = (data: unknown, name: string): unknown => (data as Record<string, unknown> | null)?.[name];
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const timeOf = (event: StoredEvent): string =>
  text(field(event.data, 'processedAt')) ??
  text(field(event.data, 'rejectedAt')) ??
  text(field(event.data, 'waitingAt')) ??
  text(field(event.data, 'parkedAt')) ??
  event.created;

/**
 * The outcome that stands: processed or rejected are final (a late park does not undo them, as in the requests
 * model); otherwise the latest park or wait.
 */
function decisive(outcomes: readonly StoredEvent[]): StoredEvent | undefined {
  const settled = outcomes.find((e) => e.type === 'ShopDataProcessed' || e.type === 'ShopDataRejected');
  return settled ?? outcomes[outcomes.length - 1];
}

const isFinal = (outcome: StoredEvent | undefined): boolean =>
  outcome?.type === 'ShopDataProcessed' || outcome?.type === 'ShopDataRejected';

/**
 * The domain event whose metadata carries this request's processed outcome (`settles`), on the last stream the
 * requests model names for it; with that outcome as the `ShopDataProcessed` it stands for. Until the requests
 * model has it, the request shows as not decided yet.
 */
async function settlingEvent(
  ports: PipelinePorts,
  requestId: string,
  doc: RequestDocument | null,
): Promise<{ event: StoredEvent; outcome: StoredEvent } | undefined> {
  const stream = doc?.status === 'processed' ? doc.streams?.[doc.streams.length - 1] : undefined;
  if (stream === undefined) return undefined;
  for (const event of await readStreamEvents(ports.client, stream)) {
    const settles = settlesOf(event.metadata);
    if (settles?.requestId === requestId) {
      return { event, outcome: { ...event, type: 'ShopDataProcessed', data: settles } };
    }
  }
  return undefined;
}

async function appendedEvents(
  ports: PipelinePorts,
  requestId: string,
  outcome: StoredEvent,
): Promise<TraceEvent[] | null> {
  const streams = field(outcome.data, 'streams');
  if (!Array.isArray(streams)) return null;
  const read = await Promise.all(
    [...new Set(streams.filter((s): s is string => typeof s === 'string'))].map((stream) =>
      readStreamEvents(ports.client, stream),
    ),
  );
  return read
    .flat()
    .filter((event) => event.metadata.$correlationId === requestId)
    .map((event) => ({
      stream: event.streamId,
      revision: event.revision,
      type: event.type,
      at: event.created,
      position: event.position ?? null,
    }))
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

async function projection(ports: PipelinePorts, events: readonly TraceEvent[], now: Date) {
  const readModels = [];
  for (const model of PROJECTED_MODELS) {
    const types: readonly string[] = model.eventTypes;
    const positions = events.filter((e) => types.includes(e.type)).map((e) => e.position ?? Infinity);
    if (positions.length === 0) continue;
    const upTo = Math.max(...positions);
    const checkpoint = (await readModelCheckpoint(ports.db, model.name))?.commit ?? null;
    readModels.push({
      name: model.name,
      reflected: checkpoint !== null && checkpoint >= upTo,
      upTo,
      checkpoint,
    });
  }
  return { done: readModels.every((m) => m.reflected), readModels, checkedAt: now.toISOString() };
}

function parkedAttempts(data: unknown): RequestTrace['parked'] {
  const retryCount = field(data, 'retryCount');
  const firstAttemptAt = text(field(data, 'firstAttemptAt'));
  const lastAttemptAt = text(field(data, 'lastAttemptAt'));
  if (typeof retryCount !== 'number' || firstAttemptAt === undefined || lastAttemptAt === undefined)
    return undefined;
  return { retryCount, firstAttemptAt, lastAttemptAt };
}

export async function traceRequest(
  ports: PipelinePorts,
  store: ReadStore,
  accepted: AcceptedRequests,
  requestId: string,
  now: () => Date = () => new Date(),
): Promise<RequestTrace | undefined> {
  const [doc, outcomes] = await Promise.all([
    store.request(requestId),
    readStreamEvents(ports.client, REQUEST_STREAM_PREFIX + requestId),
  ]);
  const remembered = accepted.find(requestId);
  if (!doc && !remembered && outcomes.length === 0) return undefined;
  const recorded = decisive(outcomes.filter((event) => event.type in OUTCOMES));
  const settling = isFinal(recorded) ? undefined : await settlingEvent(ports, requestId, doc);
  const last = settling?.outcome ?? recorded;
  const outcome = last && OUTCOMES[last.type];
  const events = last && outcome === 'processed' ? await appendedEvents(ports, requestId, last) : null;
  const reason = text(field(last?.data, 'reason')) ?? doc?.reason;
  // The request stream is where the processor writes first; the requests model follows it.
  const status = outcome ?? doc?.status ?? 'accepted';
  const decided =
    last && outcome
      ? {
          outcome,
          at: timeOf(last),
          by: text(field(last.data, 'processor')) ?? null,
          ...(outcome !== 'processed' && reason !== undefined ? { reason } : {}),
          events,
          history: [...outcomes, ...(settling ? [settling.event] : [])].map((event) => ({
            type: event.type,
            at: timeOf(event),
            ...(text(field(event.data, 'reason')) ? { reason: text(field(event.data, 'reason')) } : {}),
          })),
        }
      : null;
  const projected = events ? await projection(ports, events, now()) : null;
  const parked = outcome === 'parked' && last ? parkedAttempts(last.data) : undefined;
  const base = {
    requestId,
    status,
    ...(reason === undefined ? {} : { reason }),
    stored: {
      at: doc?.receivedAt ?? remembered?.receivedAt ?? null,
      stream: ports.inputStream,
      revision: doc?.inputRevision ?? null,
    },
    decided,
    projected,
    ...(parked === undefined ? {} : { parked }),
    complete:
      status === 'rejected' ||
      status === 'parked' ||
      (status === 'processed' && (projected?.done ?? events === null)),
  };
  const { checkedAt: _checkedAt, ...stable } = projected ?? { checkedAt: '' };
  const version = createHash('sha256')
    .update(JSON.stringify({ ...base, projected: stable }))
    .digest('hex')
    .slice(0, 16);
  return { ...base, version };
}
