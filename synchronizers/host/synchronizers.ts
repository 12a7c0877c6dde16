import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Db } from 'mongodb';
import type { Registry } from 'prom-client';
import type { Check } from '../../lib/http';
import type { Logger } from '../../lib/logger';
import { Gauge } from 'prom-client';
import { counter } from '../../lib/metrics';
import type { Projection, ReadModelDocument } from '../projection';
import { readModels } from '../registry';
import { mongoCheckpointStore } from './checkpoint-store';
import { parkedStreamName } from '../../lib/parked-messages';
import type { SourceNames } from './event-source';
import { measureLag, type Lag } from '../../lib/subscription-lag';
import { startProjector, type Projector } from './projector';

export interface SynchronizersOptions {
  readonly client: EventStoreDBClient;
  readonly db: Db;
  readonly names: SourceNames;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly readyLagEvents: number;
  readonly models?: readonly Projection<ReadModelDocument>[];
  /** How often each projector checks that its data still exists (and rebuilds when it is gone). */
  readonly lossCheckMs?: number;
}

export const DEFAULT_LOSS_CHECK_MS = 5000;

export interface Synchronizers {
  readonly projectors: readonly Projector[];
  lag(name: string): Promise<Lag>;
  readiness(): Promise<Check>;
  stop(): Promise<void>;
}

function relevanceOf(projection: Projection<ReadModelDocument>, names: SourceNames) {
  const types = new Set(projection.eventTypes);
  const parked = parkedStreamName(names);
  return (type: string, streamId: string) =>
    types.has(type) || (projection.name === 'requests' && streamId === parked);
}

/** One projector per read model, their metrics, and the readiness rule "every model live and within the lag bound". */
export function startSynchronizers(options: SynchronizersOptions): Synchronizers {
  const { client, db, names, registry } = options;
  const models = options.models ?? readModels;
  const checkpoints = mongoCheckpointStore(db);
  const applied = counter(registry, 'projection_events_applied_total', 'Events applied to read models', [
    'read_model',
  ]);
  const projectors = models.map((projection) =>
    startProjector({
      client,
      db,
      projection,
      checkpoints,
      names,
      logger: options.logger,
      onBatch: (stats) => applied.inc({ read_model: projection.name }, stats.applied),
      lossCheckMs: options.lossCheckMs ?? DEFAULT_LOSS_CHECK_MS,
    }),
  );
  const byName = new Map(projectors.map((p, i) => [p.name, { projector: p, projection: models[i]! }]));

  async function lag(name: string): Promise<Lag> {
    const entry = byName.get(name);
    if (!entry) throw new Error(`unknown read model ${name}`);
    return measureLag(
      client,
      entry.projector.runner.lastPosition()?.commit,
      relevanceOf(entry.projection, names),
    );
  }

  registerLagMetrics(registry, projectors, lag);

  return {
    projectors,
    lag,
    async readiness() {
      const problems: string[] = [];
      for (const projector of projectors) {
        if (!projector.runner.isCaughtUp()) {
          problems.push(`${projector.name} is catching up`);
          continue;
        }
        const measured = await lag(projector.name);
        if (measured.events > options.readyLagEvents)
          problems.push(`${projector.name} is ${measured.events} events behind`);
      }
      return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join('; ') };
    },
    async stop() {
      await Promise.all(projectors.map((p) => p.stop()));
    },
  };
}

/** Lag and checkpoint gauges, measured when Prometheus scrapes (events first; seconds reuse that measurement). */
function registerLagMetrics(
  registry: Registry,
  projectors: readonly Projector[],
  lag: (name: string) => Promise<Lag>,
) {
  const measured = new Map<string, Lag>();
  new Gauge({
    name: 'projection_lag_events',
    help: 'Events a read model has yet to apply',
    labelNames: ['read_model'],
    registers: [registry],
    async collect() {
      for (const projector of projectors) {
        const current = await lag(projector.name).catch(() => undefined);
        if (!current) continue;
        measured.set(projector.name, current);
        this.set({ read_model: projector.name }, current.events);
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
      for (const projector of projectors) {
        this.set({ read_model: projector.name }, projector.runner.lastPosition()?.commit ?? -1);
      }
    },
  });
}
