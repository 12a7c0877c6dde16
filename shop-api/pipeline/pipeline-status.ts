import {
  PersistentSubscriptionDoesNotExistError,
  type PersistentSubscriptionToStreamInfo,
} from '@eventstore/db-client';
import { measureLag } from '../../lib/subscription-lag';
import { READ_MODELS } from '../../contracts/read-models/catalog';
import { lastRevision, readModelCheckpoint, type PipelinePorts } from './stream-reads';

/**
 * The whole pipeline at one moment, for the UI's pipeline view: what the gateway stored (input stream), what the
 * processing group has taken (the server's own subscription info), how far each read model trails `$all` (its
 * saved checkpoint, and the lag measured exactly as the synchronizers' `/metrics` do). Rates are differences
 * between this gateway's own samples, because a server's averages may be zero (the embedded one reports none).
 */

export interface ConsumerStatus {
  readonly name: string;
  readonly from: string;
  readonly inFlight: number;
  readonly totalItems: number;
  readonly perSecond: number | null;
}

export interface PipelineStatus {
  readonly at: string;
  readonly ingest: {
    readonly stream: string;
    readonly lastRevision: number | null;
    readonly perSecond: number | null;
  };
  readonly processing: {
    readonly group: string;
    readonly status: string;
    readonly totalItems: number;
    readonly perSecond: number | null;
    readonly inFlight: number;
    readonly parked: number;
    readonly retryBuffer: number;
    readonly lastKnownRevision: number | null;
    readonly lastCheckpointedRevision: number | null;
    /** Input messages the group has not read yet (after its last known event). */
    readonly lagEvents: number;
    /** Input messages after the group's last checkpoint: handled or not, the server would redeliver them. */
    readonly sinceCheckpoint: number;
    readonly consumers: readonly ConsumerStatus[];
  } | null;
  readonly readModels: readonly {
    readonly name: string;
    readonly checkpoint: number | null;
    readonly checkpointAt: string | null;
    readonly lagEvents: number;
    readonly lagSeconds: number;
  }[];
}

/** Rates compare with the oldest sample at most this old… */
export const RATE_WINDOW_MS = 5000;
/** …and at least this old, so two calls in a row do not divide by almost nothing. */
export const MIN_RATE_SPAN_MS = 800;
/** Several viewers share one measurement per interval. */
export const STATUS_CACHE_MS = 1000;

interface Sample {
  readonly at: number;
  readonly counts: ReadonlyMap<string, number>;
}

const revision = (value: bigint | undefined) => (value === undefined ? null : Number(value));
const consumerKey = (name: string, from: string, index: number) => `consumer:${name}|${from}|${index}`;

/** Per-second rates of monotonic counters, from the samples this process took. */
export function rateSampler(windowMs = RATE_WINDOW_MS, minSpanMs = MIN_RATE_SPAN_MS) {
  const samples: Sample[] = [];
  return (at: number, counts: ReadonlyMap<string, number>) => {
    while (samples.length > 0 && at - samples[0]!.at > windowMs) samples.shift();
    const base = samples.find((sample) => at - sample.at >= minSpanMs);
    samples.push({ at, counts });
    return (key: string): number | null => {
      const before = base?.counts.get(key);
      const now = counts.get(key);
      if (!base || before === undefined || now === undefined) return null;
      return Math.max(0, (now - before) / ((at - base.at) / 1000));
    };
  };
}

async function groupInfo(ports: PipelinePorts): Promise<PersistentSubscriptionToStreamInfo | undefined> {
  try {
    return await ports.client.getPersistentSubscriptionToStreamInfo(ports.inputStream, ports.processingGroup);
  } catch (error) {
    if (error instanceof PersistentSubscriptionDoesNotExistError) return undefined;
    throw error;
  }
}

async function readModelStatus(ports: PipelinePorts, now: Date) {
  return Promise.all(
    READ_MODELS.map(async (model) => {
      const types = new Set<string>(model.eventTypes);
      const checkpoint = await readModelCheckpoint(ports.db, model.name);
      const lag = await measureLag(ports.client, checkpoint?.commit, (type) => types.has(type), now);
      return {
        name: model.name,
        checkpoint: checkpoint?.commit ?? null,
        checkpointAt: checkpoint?.updatedAt ?? null,
        lagEvents: lag.events,
        lagSeconds: Math.round(lag.seconds * 10) / 10,
      };
    }),
  );
}

export function pipelineStatusSource(ports: PipelinePorts, clock: () => Date = () => new Date()) {
  const sample = rateSampler();
  let cached: { at: number; status: Promise<PipelineStatus> } | undefined;

  async function measure(): Promise<PipelineStatus> {
    const now = clock();
    const [inputLast, info, models] = await Promise.all([
      lastRevision(ports.client, ports.inputStream),
      groupInfo(ports),
      readModelStatus(ports, now),
    ]);
    const consumers = (info?.connections ?? []).map((c, index) => ({
      key: consumerKey(c.connectionName, c.from, index),
      name: c.connectionName || `consumer ${index + 1}`,
      from: c.from,
      inFlight: c.inFlightMessages,
      totalItems: Number(c.totalItems),
    }));
    const counts = new Map<string, number>([['input', inputLast === undefined ? 0 : inputLast + 1]]);
    if (info) counts.set('group', Number(info.stats.totalItems));
    for (const c of consumers) counts.set(c.key, c.totalItems);
    const rate = sample(now.getTime(), counts);
    const checkpointed = info ? revision(info.stats.lastCheckpointedEventRevision) : null;
    const known = info ? revision(info.stats.lastKnownEventRevision) : null;
    return {
      at: now.toISOString(),
      ingest: { stream: ports.inputStream, lastRevision: inputLast ?? null, perSecond: rate('input') },
      processing: info
        ? {
            group: ports.processingGroup,
            status: info.status,
            totalItems: Number(info.stats.totalItems),
            perSecond: rate('group'),
            inFlight: info.stats.totalInFlightMessages,
            parked: Number(info.stats.parkedMessageCount),
            retryBuffer: info.stats.retryBufferCount,
            lastKnownRevision: known,
            lastCheckpointedRevision: checkpointed,
            lagEvents: Math.max(0, (inputLast ?? -1) - (known ?? -1)),
            sinceCheckpoint: Math.max(0, (inputLast ?? -1) - (checkpointed ?? -1)),
            consumers: consumers.map(({ key, ...c }) => ({ ...c, perSecond: rate(key) })),
          }
        : null,
      readModels: models,
    };
  }

  return {
    /** The latest measurement, taken again when the cached one is older than STATUS_CACHE_MS. */
    status(): Promise<PipelineStatus> {
      const at = clock().getTime();
      if (cached && at - cached.at < STATUS_CACHE_MS) return cached.status;
      const status = measure();
      cached = { at, status };
      status.catch(() => {
        if (cached?.status === status) cached = undefined;
      });
      return status;
    },
  };
}
