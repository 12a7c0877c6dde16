import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Db } from 'mongodb';
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import type { Check } from '../../lib/http';
import type { Logger } from '../../lib/logger';
import { counter } from '../../lib/metrics';
import { measureLag, type Lag } from '../../lib/subscription-lag';
import { canHandle, type Projection, type ReadModelDocument } from '../projection';
import { readModels } from '../registry';
import { mongoCheckpointStore, type CheckpointStore } from './checkpoint-store';
import { mongoPoisonLog } from './poison-log';
import { startProjectionHost, type ProjectionHost } from './projection-host';

export interface SynchronizersOptions {
  readonly client: EventStoreDBClient;
  readonly db: Db;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly readyLagEvents: number;
  readonly models?: readonly Projection<ReadModelDocument>[];
  /** How often to check that each model's data still exists (and rebuild the ones that are gone). */
  readonly lossCheckMs?: number;
  readonly maxBatch?: number;
  /** How long a batch may wait for more events while they arrive back to back (default 5 ms). */
  readonly lingerMs?: number;
  /** How often at most the checkpoints are stored while events flow (default 200 ms); always at stop. */
  readonly checkpointIntervalMs?: number;
}

export const DEFAULT_LOSS_CHECK_MS = 5000;
/** A few ms under load turn a write per model per event or two into one per several events. */
export const DEFAULT_LINGER_MS = 5;

export interface Synchronizers {
  readonly models: readonly string[];
  readonly host: ProjectionHost;
  lag(name: string): Promise<Lag>;
  readiness(): Promise<Check>;
  stop(): Promise<void>;
}

/** The live read models on one projection host, their metrics, and the readiness rule "live and within the lag bound". */
export function startSynchronizers(options: SynchronizersOptions): Synchronizers {
  const { client, db, registry } = options;
  const projections = options.models ?? readModels;
  const checkpoints = mongoCheckpointStore(db);
  const applied = counter(registry, 'projection_events_applied_total', 'Events applied to read models', [
    'read_model',
  ]);
  const poisoned = counter(
    registry,
    'projection_poison_total',
    'Events a read model could not apply, skipped and recorded in projection_poison',
    ['read_model'],
  );
  const host = startProjectionHost({
    client,
    db,
    name: 'synchronizers',
    models: projections.map((projection) => ({
      projection,
      collection: projection.name,
      checkpointId: projection.name,
    })),
    checkpoints,
    poison: mongoPoisonLog(db),
    logger: options.logger,
    maxBatch: options.maxBatch,
    lingerMs: options.lingerMs ?? DEFAULT_LINGER_MS,
    checkpointIntervalMs: options.checkpointIntervalMs,
    onBatch: (model, stats) => {
      applied.inc({ read_model: model }, stats.applied);
      if (stats.poisoned > 0) poisoned.inc({ read_model: model }, stats.poisoned);
    },
  });
  const names = projections.map((projection) => projection.name);
  const watchdog = watchForLoss(host, names, checkpoints, options);

  async function lag(name: string): Promise<Lag> {
    const projection = projections.find((p) => p.name === name);
    if (!projection) throw new Error(`unknown read model ${name}`);
    return measureLag(client, host.position(name)?.commit, (type) => canHandle(projection, type));
  }

  registerLagMetrics(registry, names, host, lag);

  return {
    models: names,
    host,
    lag,
    async readiness() {
      if (!host.isCaughtUp()) return { ok: false, detail: 'read models are catching up' };
      const problems: string[] = [];
      for (const name of names) {
        const measured = await lag(name);
        if (measured.events > options.readyLagEvents)
          problems.push(`${name} is ${measured.events} events behind`);
      }
      return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join('; ') };
    },
    async stop() {
      clearInterval(watchdog);
      await host.stop();
    },
  };
}

/**
 * Read models are disposable: when a model's checkpoint vanished under the running host (its database was dropped
 * or restored empty), the host resubscribes and that model starts again from the beginning of the history.
 */
function watchForLoss(
  host: ProjectionHost,
  names: readonly string[],
  checkpoints: CheckpointStore,
  options: SynchronizersOptions,
): NodeJS.Timeout {
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void (async () => {
      for (const name of names) {
        if (host.position(name) === undefined || (await checkpoints.load(name)) !== undefined) continue;
        options.logger.warn({ readModel: name }, 'read model data is gone; rebuilding it from the history');
        await host.restart();
        return;
      }
    })()
      .catch(() => undefined)
      .finally(() => (checking = false));
  }, options.lossCheckMs ?? DEFAULT_LOSS_CHECK_MS);
  timer.unref();
  return timer;
}

/** Lag and checkpoint gauges, measured when Prometheus scrapes (events first; seconds reuse that measurement). */
function registerLagMetrics(
  registry: Registry,
  names: readonly string[],
  host: ProjectionHost,
  lag: (name: string) => Promise<Lag>,
) {
  const measured = new Map<string, Lag>();
  new Gauge({
    name: 'projection_lag_events',
    help: 'Events a read model has yet to apply',
    labelNames: ['read_model'],
    registers: [registry],
    async collect() {
      for (const name of names) {
        const current = await lag(name).catch(() => undefined);
        if (!current) continue;
        measured.set(name, current);
        this.set({ read_model: name }, current.events);
      }
    },
  });
  new Gauge({
    name: 'projection_lag_seconds',
    help: 'Age of the oldest event a read model has yet to apply',
    labelNames: ['read_model'],
    registers: [registry],
    collect() {
      for (const [name, current] of measured) this.set({ read_model: name }, current.seconds);
    },
  });
  new Gauge({
    name: 'projection_checkpoint_position',
    help: 'Last $all commit position applied to a read model',
    labelNames: ['read_model'],
    registers: [registry],
    collect() {
      for (const name of names) this.set({ read_model: name }, host.position(name)?.commit ?? -1);
    },
  });
}
