import type { Document } from 'bson';
import { compareValues } from '../bson-order';
import { cursorDocument } from '../cursors';
import { commandError } from '../errors';
import { indexValuesAt } from '../field-paths';
import {
  collectionName,
  optionalDocument,
  optionalNumber,
  recordScan,
  type CommandContext,
  type CommandHandler,
} from './context';
import { commandEvalOptions } from '../mingo-context';
import {
  checkHint,
  explainStats,
  runFind,
  validateFilter,
  withCollectionCollation,
  type FindResult,
  type FindSpec,
} from './query-runner';
import { runPipeline } from './aggregate';
import { findAsPipeline, resolveView } from './views';

function findSpec(body: Document): FindSpec {
  return {
    filter: validateFilter(body.filter),
    sort: optionalDocument(body, 'sort', 'find'),
    projection: optionalDocument(body, 'projection', 'find'),
    skip: optionalNumber(body, 'skip', 'find'),
    limit: optionalNumber(body, 'limit', 'find'),
    options: commandEvalOptions(body, 'find'),
  };
}

/** A find on a collection, or on a view as the aggregation mongod rewrites it into. */
function findDocuments(ctx: CommandContext, name: string, spec: FindSpec): FindResult {
  if (!resolveView(ctx.catalog, ctx.db, name)) return runFind(ctx.catalog.get(ctx.db, name), spec);
  const { results, stats } = runPipeline(ctx, name, findAsPipeline(spec), spec.options);
  return { docs: results, stats };
}

export const find: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'find');
  const spec = findSpec(body);
  const batchSize = optionalNumber(body, 'batchSize', 'find');
  if (batchSize !== undefined && batchSize < 0)
    throw commandError('BadValue', 'BatchSize value must be non-negative');
  if (body.tailable === true) {
    // Tailable cursors need a capped collection, and this server has none.
    throw commandError(
      'BadValue',
      `error processing query: ns=${ctx.db}.${name} tailable cursor requested on non capped collection`,
    );
  }
  checkHint(ctx.catalog.get(ctx.db, name), body.hint);
  ctx.counters.opcounters.query += 1;
  const { docs, stats } = findDocuments(ctx, name, spec);
  recordScan(ctx, stats);
  const reply = ctx.cursors.open(`${ctx.db}.${name}`, docs, batchSize, body.singleBatch === true);
  return cursorDocument(reply, true);
};

export const getMore: CommandHandler = (body, ctx) => {
  const id = body.getMore as unknown;
  if (typeof id !== 'number') throw commandError('TypeMismatch', "Field 'getMore' must be of type long");
  const name = body.collection as unknown;
  if (typeof name !== 'string')
    throw commandError('TypeMismatch', "Field 'collection' must be of type string");
  ctx.counters.opcounters.getmore += 1;
  const reply = ctx.cursors.getMore(id, `${ctx.db}.${name}`, optionalNumber(body, 'batchSize', 'getMore'));
  return cursorDocument(reply, false);
};

export const killCursors: CommandHandler = (body, ctx) => {
  collectionName(body, 'killCursors');
  const ids = Array.isArray(body.cursors)
    ? (body.cursors as unknown[]).filter((c) => typeof c === 'number')
    : [];
  const { killed, notFound } = ctx.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

function countMatches(
  body: Document,
  ctx: CommandContext,
): { n: number; filter: Document; found: ReturnType<typeof runFind> } {
  const name = collectionName(body, 'count');
  const filter = validateFilter(body.query, 'query');
  const skip = optionalNumber(body, 'skip', 'count') ?? 0;
  const limit = Math.abs(optionalNumber(body, 'limit', 'count') ?? 0);
  const collection = ctx.catalog.get(ctx.db, name);
  checkHint(collection, body.hint);
  // An unfiltered count is the collection's size, as mongod answers it from metadata.
  const fromMetadata = Object.keys(filter).length === 0 && !collection?.isView;
  const found = fromMetadata
    ? { docs: [], stats: { stage: 'COLLSCAN' as const, keysExamined: 0, docsExamined: 0 } }
    : findDocuments(ctx, name, { filter, options: commandEvalOptions(body, 'count') });
  const total = fromMetadata ? (collection?.size ?? 0) : found.docs.length;
  recordScan(ctx, found.stats);
  const afterSkip = Math.max(0, total - skip);
  return { n: limit > 0 ? Math.min(limit, afterSkip) : afterSkip, filter, found };
}

export const count: CommandHandler = (body, ctx) => {
  ctx.counters.opcounters.command += 1;
  return { n: countMatches(body, ctx).n, ok: 1 };
};

function distinctValues(
  body: Document,
  ctx: CommandContext,
): { values: unknown[]; found: ReturnType<typeof runFind>; filter: Document } {
  const name = collectionName(body, 'distinct');
  const key = body.key as unknown;
  if (typeof key !== 'string')
    throw commandError('TypeMismatch', "BSON field 'distinct.key' is missing but a required field");
  const filter = validateFilter(body.query, 'query');
  const collection = ctx.catalog.get(ctx.db, name);
  const options = withCollectionCollation(commandEvalOptions(body, 'distinct'), collection);
  const strings = options?.collation?.strings;
  const found = findDocuments(ctx, name, { filter, options });
  recordScan(ctx, found.stats);
  const all: unknown[] = [];
  for (const doc of found.docs)
    for (const v of indexValuesAt(doc, key).values) if (v !== undefined) all.push(v);
  all.sort((a, b) => compareValues(a, b, strings));
  const values = all.filter((v, i) => i === 0 || compareValues(all[i - 1], v, strings) !== 0);
  return { values, found, filter };
}

export const distinct: CommandHandler = (body, ctx) => ({ values: distinctValues(body, ctx).values, ok: 1 });

/** `explain` for find, count and distinct: the chosen plan and what executing it examined. */
export const explain: CommandHandler = (body, ctx) => {
  const inner = body.explain as unknown;
  if (typeof inner !== 'object' || inner === null)
    throw commandError('FailedToParse', 'explain command requires a nested object');
  const command = Object.keys(inner)[0];
  const cmd = inner as Document;
  if (command === 'find') {
    const name = collectionName(cmd, 'find');
    const spec = findSpec(cmd);
    const { docs, stats } = findDocuments(ctx, name, spec);
    return explainStats(`${ctx.db}.${name}`, stats, docs.length, spec.filter);
  }
  if (command === 'count') {
    const { n, filter, found } = countMatches(cmd, ctx);
    return explainStats(`${ctx.db}.${String(cmd.count)}`, found.stats, n, filter);
  }
  if (command === 'distinct') {
    const { values, filter, found } = distinctValues(cmd, ctx);
    return explainStats(`${ctx.db}.${String(cmd.distinct)}`, found.stats, values.length, filter);
  }
  throw commandError(
    'IllegalOperation',
    `Explain for command '${String(command)}' is not supported by devstack-mongo`,
  );
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  explain,
};
