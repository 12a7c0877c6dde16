import { BACKWARDS, END, type EventStoreDBClient } from '@eventstore/db-client';
import type { Db } from 'mongodb';
import type { SubscribeToAll } from '../lib/all-feed';
import type { Logger } from '../lib/logger';
import { CHECKPOINTS_COLLECTION, type CheckpointDocument } from '../contracts/read-models/checkpoints';
import { LAG_SCAN_LIMIT, measureLag, type Lag } from '../lib/subscription-lag';
import {
  canHandle,
  isSameReadModel,
  mongoPoisonLog,
  rebuildReadModels,
  verifyReadModels,
  type Projection,
  type ReadModelDocument,
  type VerifyResult,
} from '../synchronizers/operations';
import { plural, seconds, table } from './format';
import { done, failed, SERVER_DEADLINE_MS, type CommandOutcome } from './outcome';
import type { Progress } from './progress';

export interface ProjectionContext {
  readonly client: EventStoreDBClient;
  /** Where a rebuild decodes the history (see `RebuildOptions.subscribe`). */
  readonly subscribe?: SubscribeToAll;
  readonly db: Db;
  readonly logger: Logger;
  /** Shows long work's progress: done / total, rate, ETA. */
  readonly progress?: (label: string, unit: string, total: number, counted?: string) => Progress;
}

/** The commit position of the last event in `$all`: how far a rebuild has to go. */
async function endOfAll(client: EventStoreDBClient): Promise<number> {
  for await (const resolved of client.readAll({
    direction: BACKWARDS,
    fromPosition: END,
    maxCount: 1,
    deadline: SERVER_DEADLINE_MS,
  })) {
    const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
    if (commit !== undefined) return Number(commit);
  }
  return 0;
}

/** The rebuild's options with a progress display over the events of `$all`, and the display to finish. */
async function withProgress(
  context: ProjectionContext,
  projections: readonly Projection<ReadModelDocument>[],
  verb: string,
) {
  const options = {
    client: context.client,
    subscribe: context.subscribe,
    db: context.db,
    logger: context.logger,
    projections,
  };
  if (!context.progress) return { options, finish: () => undefined };
  // Events done and their rate; the share done and the ETA follow the log position.
  const progress = context.progress(
    `${verb} ${projections.map((p) => p.name).join(', ')}`,
    'log',
    await endOfAll(context.client),
    'events',
  );
  return {
    options: {
      ...options,
      onProgress: ({ position, events }: { position: number; events: number }) =>
        progress.update(position, events),
    },
    finish: () => progress.finish(),
  };
}

export interface ProjectionStatus {
  readonly readModel: string;
  readonly checkpoint: CheckpointDocument | undefined;
  readonly documents: number;
  readonly lag: Lag;
}

export async function projectionStatus(
  context: ProjectionContext,
  projection: Projection<ReadModelDocument>,
): Promise<ProjectionStatus> {
  const checkpoint =
    (await context.db
      .collection<CheckpointDocument>(CHECKPOINTS_COLLECTION)
      .findOne({ _id: projection.name })) ?? undefined;
  const documents = await context.db.collection(projection.name).countDocuments();
  const lag = await measureLag(context.client, checkpoint?.commit, (type) => canHandle(projection, type));
  return { readModel: projection.name, checkpoint, documents, lag };
}

export function formatStatus(statuses: readonly ProjectionStatus[]): string {
  return table(
    ['read model', 'checkpoint', 'saved at', 'documents', 'lag events', 'lag seconds'],
    statuses.map((s) => [
      s.readModel,
      s.checkpoint ? String(s.checkpoint.commit) : 'none (not started)',
      s.checkpoint ? s.checkpoint.updatedAt.toISOString() : '-',
      String(s.documents),
      s.lag.events >= LAG_SCAN_LIMIT ? `>= ${LAG_SCAN_LIMIT}` : String(s.lag.events),
      seconds(s.lag.seconds),
    ]),
  );
}

export async function projectionsStatus(
  context: ProjectionContext,
  projections: readonly Projection<ReadModelDocument>[],
): Promise<CommandOutcome> {
  const statuses: ProjectionStatus[] = [];
  for (const projection of projections) statuses.push(await projectionStatus(context, projection));
  return done(formatStatus(statuses));
}

export async function projectionsRebuild(
  context: ProjectionContext,
  projections: readonly Projection<ReadModelDocument>[],
): Promise<CommandOutcome> {
  const { options, finish } = await withProgress(context, projections, 'rebuild');
  const results = await rebuildReadModels(options);
  finish();
  return done(
    results
      .map(
        (result) =>
          `Rebuilt ${result.readModel}: ${plural(result.events, 'event')} applied, ` +
          `${plural(result.documents, 'document')}, up to position ${result.position}, in ` +
          `${seconds(result.seconds)} s; the live collection now is the rebuilt one.`,
      )
      .join('\n'),
  );
}

export const MAX_LISTED_DIFFERENCES = 20;

export function formatVerify(result: VerifyResult): string {
  const { readModel, diff, position } = result;
  const checked = `${plural(diff.compared, 'document')} checked against a rebuild up to position ${position}`;
  const rows = [
    ...diff.different.map((d) => [d.id, 'different', d.fields.join(', ')]),
    ...diff.onlyRebuilt.map((id) => [id, 'missing in live', '']),
    ...diff.onlyLive.map((id) => [id, 'only in live', '']),
  ];
  if (rows.length === 0) return `${readModel} matches its history: ${checked}.`;
  const summary = [
    [diff.different.length, 'different'],
    [diff.onlyRebuilt.length, 'missing in live'],
    [diff.onlyLive.length, 'only in live'],
  ]
    .filter(([count]) => count !== 0)
    .map(([count, problem]) => `${count} ${problem}`)
    .join(', ');
  const more =
    rows.length > MAX_LISTED_DIFFERENCES ? `\n(and ${rows.length - MAX_LISTED_DIFFERENCES} more)` : '';
  return (
    `${readModel} differs from its history: ${plural(rows.length, 'difference')} (${summary}); ${checked}.\n` +
    `${table(['id', 'problem', 'fields'], rows.slice(0, MAX_LISTED_DIFFERENCES))}${more}\n` +
    `Run "npm run admin -- projections rebuild ${readModel}" to replace it with the rebuilt copy.`
  );
}

export async function projectionsVerify(
  context: ProjectionContext,
  projections: readonly Projection<ReadModelDocument>[],
): Promise<CommandOutcome> {
  const { options, finish } = await withProgress(context, projections, 'verify');
  const results = await verifyReadModels(options);
  finish();
  const text = results.map(formatVerify).join('\n');
  return results.every(({ diff }) => isSameReadModel(diff)) ? done(text) : failed(text);
}

/** The events the synchronizers skipped because a read model could not apply them. */
export async function projectionsPoison(
  context: ProjectionContext,
  readModel: string | undefined,
): Promise<CommandOutcome> {
  const poisoned = await mongoPoisonLog(context.db).list(readModel);
  if (poisoned.length === 0) return done('No skipped events: every read model applied everything it read.');
  return done(
    `${plural(poisoned.length, 'skipped event')} (fix the cause, then rebuild the read model):\n` +
      table(
        ['read model', 'position', 'event', 'type', 'stream', 'error'],
        poisoned.map((p) => [p.readModel, String(p.position), p.eventId, p.eventType, p.streamId, p.error]),
      ),
  );
}
