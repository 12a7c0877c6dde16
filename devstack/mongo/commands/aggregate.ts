import type { Document } from 'bson';
import type { ScanStats } from '../collection';
import { commandError, evaluationError } from '../errors';
import { commandEvalOptions, newAggregator, ProcessingMode, type EvalOptions } from '../mingo-context';
import { isPlainObject } from '../field-paths';
import { collectionName, recordScan, type CommandContext, type CommandHandler } from './context';
import { checkHint, explainStats, withCollectionCollation } from './query-runner';
import { cursorDocument } from '../cursors';
import { writeMerge } from './merge-stage';
import { resolveView } from './views';

// Stages that never write into their input documents (checked against mingo 7); any other stage (e.g. $set of
// a nested path) may, so the stored documents are copied first.
const NON_MUTATING_STAGES = new Set([
  '$match',
  '$group',
  '$sort',
  '$limit',
  '$skip',
  '$count',
  '$project',
  '$unwind',
  '$unset',
  '$sortByCount',
  '$replaceRoot',
  '$replaceWith',
  '$lookup',
  '$bucket',
  '$bucketAuto',
]);
const SERVER_HANDLED_STAGES = new Set(['$out', '$merge']);
// Stages that compare values to group or join them: mingo does that by binary equality only.
const GROUPING_STAGES = new Set([
  '$group',
  '$bucket',
  '$bucketAuto',
  '$sortByCount',
  '$setWindowFields',
  '$lookup',
  '$graphLookup',
]);

// A $group on a constant key (countDocuments' `{_id: 1, n: {$sum: 1}}`) compares no strings, unless $addToSet.
function constantGroup(arg: unknown): boolean {
  if (!isPlainObject(arg)) return false;
  return !JSON.stringify(arg._id ?? null).includes('"$') && !JSON.stringify(arg).includes('"$addToSet"');
}

function refuseCollatedGrouping(pipeline: Document[]): void {
  for (const stage of pipeline) {
    const [name, arg] = Object.entries(stage)[0] ?? [];
    if (name !== undefined && GROUPING_STAGES.has(name) && !(name === '$group' && constantGroup(arg))) {
      throw commandError(
        'NotImplemented',
        `${name} under a non-simple collation is not supported by devstack-mongo`,
      );
    }
    if (name === '$facet' && isPlainObject(arg)) {
      for (const sub of Object.values(arg)) if (Array.isArray(sub)) refuseCollatedGrouping(sub as Document[]);
    }
  }
}

function sourceDocuments(
  ctx: CommandContext,
  name: string | undefined,
  pipeline: Document[],
  options: EvalOptions,
): {
  docs: Document[];
  rest: Document[];
  stats: ScanStats;
  filter: Document;
} {
  const collection = name === undefined ? undefined : ctx.catalog.get(ctx.db, name);
  const first = pipeline[0];
  const filter = first && isPlainObject(first.$match) ? first.$match : undefined;
  if (!collection)
    return {
      docs: [],
      rest: pipeline,
      stats: { stage: 'COLLSCAN', keysExamined: 0, docsExamined: 0 },
      filter: {},
    };
  if (!filter) {
    const { matches, stats } = collection.match({});
    return { docs: matches.map((m) => m.doc), rest: pipeline, stats, filter: {} };
  }
  // The leading $match runs against the collection so it can use an index, as MongoDB's planner does.
  const { matches, stats } = collection.match(filter, Number.POSITIVE_INFINITY, options);
  return { docs: matches.map((m) => m.doc), rest: pipeline.slice(1), stats, filter };
}

function resolver(ctx: CommandContext) {
  return (name: string): Document[] => {
    if (resolveView(ctx.catalog, ctx.db, name)) return runPipeline(ctx, name, []).results;
    return [...(ctx.catalog.get(ctx.db, name)?.records.values() ?? [])];
  };
}

function writeOut(ctx: CommandContext, stage: Document, results: Document[], validate: boolean): void {
  const target = stage.$out as unknown;
  const db = isPlainObject(target) && typeof target.db === 'string' ? target.db : ctx.db;
  const name = isPlainObject(target) && typeof target.coll === 'string' ? target.coll : target;
  if (typeof name !== 'string')
    throw commandError('FailedToParse', '$out only supports a string or object argument');
  const previous = ctx.catalog.writable(db, name);
  const indexes = previous?.listIndexes().filter((spec) => spec.name !== '_id_') ?? [];
  ctx.catalog.drop(db, name);
  const collection = ctx.catalog.create(db, name).collection;
  for (const spec of indexes) collection.createIndex(spec);
  for (const doc of results) collection.insert(doc, validate);
}

/** Runs a pipeline: the leading $match through the collection's indexes, the rest through mingo. */
export function runPipeline(
  ctx: CommandContext,
  name: string | undefined,
  pipeline: Document[],
  options: EvalOptions = {},
  validate = true,
): {
  results: Document[];
  stats: ScanStats;
  filter: Document;
} {
  const last = pipeline[pipeline.length - 1];
  const outStage = last && Object.keys(last).some((k) => SERVER_HANDLED_STAGES.has(k)) ? last : undefined;
  const given = outStage ? pipeline.slice(0, -1) : pipeline;
  // A view's pipeline runs first, on the collection the view (or the views below it) is defined on.
  const view = name === undefined ? undefined : resolveView(ctx.catalog, ctx.db, name);
  const body = view ? [...view.pipeline, ...given] : given;
  const { docs, rest, stats, filter } = sourceDocuments(ctx, view?.source ?? name, body, options);
  recordScan(ctx, stats);
  let results: Document[];
  try {
    results = newAggregator(rest, {
      ...options,
      collectionResolver: resolver(ctx),
      processingMode: rest.every((stage) => NON_MUTATING_STAGES.has(Object.keys(stage)[0] ?? ''))
        ? ProcessingMode.CLONE_OFF
        : ProcessingMode.CLONE_INPUT,
    }).run<Document>(docs);
  } catch (error) {
    throw (
      evaluationError(error) ??
      commandError('BadValue', error instanceof Error ? error.message : String(error))
    );
  }
  if (outStage) {
    if ('$merge' in outStage) writeMerge(ctx, outStage.$merge, results, validate);
    else writeOut(ctx, outStage, results, validate);
    return { results: [], stats, filter };
  }
  return { results, stats, filter };
}

export const aggregate: CommandHandler = (body, ctx) => {
  const name = body.aggregate === 1 ? undefined : collectionName(body, 'aggregate');
  const pipeline = body.pipeline as unknown;
  if (!Array.isArray(pipeline))
    throw commandError('TypeMismatch', "'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw commandError(
        'FailedToParse',
        'A pipeline stage specification object must contain exactly one field.',
      );
    }
  }
  const explain = body.explain === true;
  const cursor = body.cursor as unknown;
  if (!explain && !isPlainObject(cursor)) {
    throw commandError(
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  const given = commandEvalOptions(body, 'aggregate');
  checkHint(name === undefined ? undefined : ctx.catalog.get(ctx.db, name), body.hint);
  const options = withCollectionCollation(
    given,
    name === undefined ? undefined : ctx.catalog.get(ctx.db, name),
  );
  if (options?.collation?.strings) refuseCollatedGrouping(pipeline as Document[]);
  ctx.counters.opcounters.command += 1;
  const { results, stats, filter } = runPipeline(
    ctx,
    name,
    pipeline as Document[],
    options,
    body.bypassDocumentValidation !== true,
  );
  if (explain) return explainStats(`${ctx.db}.${name ?? '$cmd.aggregate'}`, stats, results.length, filter);
  const batchSize =
    isPlainObject(cursor) && typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined;
  const reply = ctx.cursors.open(`${ctx.db}.${name ?? '$cmd.aggregate'}`, results, batchSize);
  return cursorDocument(reply, true);
};
