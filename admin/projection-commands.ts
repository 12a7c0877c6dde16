import { BACKWARDS, END, type EventStoreDBClient } from '@eventstore/db-client';
import type { Db } from 'mongodb';
import type { CatchUpFilter } from '../lib/catch-up';
import type { Logger } from '../lib/logger';
import { CHECKPOINTS_COLLECTION, type CheckpointDocument } from '../contracts/read-models/checkpoints';
import { subscriptionFor, type SourceNames } from '../synchronizers/host/event-source';
import { LAG_SCAN_LIMIT, measureLag, type Lag } from '../lib/subscription-lag';
import {
  rebuildReadModel,
  verifyReadModel,
  type Difference,
  type VerifyResult,
} from '../synchronizers/host/rebuild';
import { sameValue } from '../synchronizers/read-model-diff';
import type { Projection, ReadModelDocument } from '../synchronizers/projection';
import { plural, seconds, table } from './format';
import { done, failed, SERVER_DEADLINE_MS, type CommandOutcome } from './outcome';
import type { Progress } from './progress';

export interface ProjectionContext {
  readonly client: EventStoreDBClient;
  readonly db: Db;
  readonly names: SourceNames;
  readonly logger: Logger;
  /** Shows long work's progress: done / total, rate, ETA. */
  readonly progress?: (label: string, unit: string, total: number) => Progress;
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

/** The rebuild's options with a progress display over `$all` positions, and the display to finish. */
async function withProgress(
  context: ProjectionContext,
  projection: Projection<ReadModelDocument>,
  verb: string,
) {
  if (!context.progress) return { options: { ...context, projection }, finish: () => undefined };
  const progress = context.progress(
    `${verb} ${projection.name}`,
    'log position',
    await endOfAll(context.client),
  );
  return {
    options: { ...context, projection, onProgress: (position: number) => progress.update(position) },
    finish: () => progress.finish(),
  };
}

export interface ProjectionStatus {
  readonly readModel: string;
  readonly checkpoint: CheckpointDocument | undefined;
  readonly documents: number;
  readonly lag: Lag;
}

/** The events a read model's subscription receives, judged the way its server-side filter judges them. */
export function matchesFilter(filter: CatchUpFilter): (type: string, streamId: string) => boolean {
  const eventType = filter.eventTypeRegex === undefined ? undefined : new RegExp(filter.eventTypeRegex);
  const streamName = filter.streamNameRegex === undefined ? undefined : new RegExp(filter.streamNameRegex);
  const prefixes = filter.streamNamePrefixes;
  return (type, streamId) =>
    (eventType?.test(type) ?? true) &&
    (streamName?.test(streamId) ?? true) &&
    (prefixes?.some((prefix) => streamId.startsWith(prefix)) ?? true);
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
  const { filter } = subscriptionFor(projection, context.names);
  const lag = await measureLag(context.client, checkpoint?.commit, matchesFilter(filter));
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
  projection: Projection<ReadModelDocument>,
): Promise<CommandOutcome> {
  const { options, finish } = await withProgress(context, projection, 'rebuild');
  const result = await rebuildReadModel(options);
  finish();
  return done(
    `Rebuilt ${projection.name}: ${plural(result.events, 'event')} applied, ${plural(result.documents, 'document')}, ` +
      `up to position ${result.position}, in ${seconds(result.seconds)} s; the live collection now is the rebuilt one.`,
  );
}

/** Top-level fields whose values differ, for a summary a person can act on. */
export function differingFields(difference: Difference): string[] {
  const live = (difference.live ?? {}) as Record<string, unknown>;
  const rebuilt = (difference.rebuilt ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(live), ...Object.keys(rebuilt)]);
  return [...keys].filter((key) => !sameValue(live[key], rebuilt[key])).sort();
}

export const MAX_LISTED_DIFFERENCES = 20;

export function formatVerify(readModel: string, result: VerifyResult): string {
  const checked = `${plural(result.checked, 'document')} checked against a rebuild up to position ${result.position}`;
  if (result.differences.length === 0) return `${readModel} matches its history: ${checked}.`;
  const counts = new Map<string, number>();
  for (const d of result.differences) counts.set(d.problem, (counts.get(d.problem) ?? 0) + 1);
  const summary = [...counts].map(([problem, count]) => `${count} ${problem}`).join(', ');
  const rows = result.differences
    .slice(0, MAX_LISTED_DIFFERENCES)
    .map((d) => [d.id, d.problem, d.problem === 'different' ? differingFields(d).join(', ') : '']);
  const more =
    result.differences.length > MAX_LISTED_DIFFERENCES
      ? `\n(and ${result.differences.length - MAX_LISTED_DIFFERENCES} more)`
      : '';
  return (
    `${readModel} differs from its history: ${plural(result.differences.length, 'difference')} (${summary}); ${checked}.\n` +
    `${table(['id', 'problem', 'fields'], rows)}${more}\n` +
    `Run "npm run admin -- projections rebuild ${readModel}" to replace it with the rebuilt copy.`
  );
}

export async function projectionsVerify(
  context: ProjectionContext,
  projection: Projection<ReadModelDocument>,
): Promise<CommandOutcome> {
  const { options, finish } = await withProgress(context, projection, 'verify');
  const result = await verifyReadModel(options);
  finish();
  const text = formatVerify(projection.name, result);
  return result.differences.length === 0 ? done(text) : failed(text);
}
