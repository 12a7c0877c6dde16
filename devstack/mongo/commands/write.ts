import type { Document } from 'bson';
import type { Collection } from '../collection';
import { commandError, evaluationError } from '../errors';
import { isPlainObject } from '../field-paths';
import { parseCollation } from '../collation';
import { letVariables, type EvalOptions } from '../mingo-context';
import { applyUpdate, updateKind } from '../update-apply';
import { ensureId, upsertSeed } from '../upsert-seed';
import { collectionName, recordScan, type CommandContext, type CommandHandler } from './context';
import { checkHint, validateFilter, withCollectionCollation } from './query-runner';

interface BatchOutcome {
  n: number;
  writeErrors: Document[];
}

/** Runs each statement; an ordered batch stops at the first error, an unordered one carries on. */
function runBatch<T>(
  statements: T[],
  ordered: boolean,
  outcome: BatchOutcome,
  run: (s: T, i: number) => void,
): void {
  for (let i = 0; i < statements.length; i += 1) {
    try {
      run(statements[i] as T, i);
    } catch (error) {
      const known = evaluationError(error);
      if (!known) throw error;
      outcome.writeErrors.push(known.toWriteError(i));
      if (ordered) break;
    }
  }
}

/** Document validation applies unless the command sets `bypassDocumentValidation: true`. */
export function validates(body: Document): boolean {
  return body.bypassDocumentValidation !== true;
}

function statementsOf(body: Document, field: string, command: string): Document[] {
  const value = body[field] as unknown;
  if (!Array.isArray(value))
    throw commandError('FailedToParse', `BSON field '${command}.${field}' is missing but a required field`);
  return value as Document[];
}

function writeReply(outcome: BatchOutcome, extra?: Document): Document {
  const reply: Document = { n: outcome.n };
  for (const field in extra) reply[field] = extra[field] as unknown;
  if (outcome.writeErrors.length > 0) reply.writeErrors = outcome.writeErrors;
  reply.ok = 1;
  return reply;
}

export const insert: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'insert');
  const documents = statementsOf(body, 'documents', 'insert');
  const collection = ctx.catalog.getOrCreate(ctx.db, name);
  const outcome: BatchOutcome = { n: 0, writeErrors: [] };
  runBatch(documents, body.ordered !== false, outcome, (doc) => {
    if (!isPlainObject(doc)) throw commandError('TypeMismatch', 'insert documents must be objects');
    collection.insert(doc, validates(body));
    outcome.n += 1;
  });
  ctx.counters.opcounters.insert += outcome.n;
  return writeReply(outcome);
};

interface UpdateStatement {
  readonly q: Document;
  readonly u: unknown;
  readonly upsert: boolean;
  readonly multi: boolean;
  readonly arrayFilters?: Document[];
  readonly eval?: EvalOptions;
  /** False with the command's `bypassDocumentValidation: true`. */
  readonly validate: boolean;
  readonly hint?: unknown;
}

export interface UpdateResult {
  readonly matched: number;
  readonly modified: number;
  readonly upsertedId?: unknown;
  readonly before?: Document;
  readonly after?: Document;
}

function parseUpdateStatement(
  s: Document,
  variables: Document | undefined,
  validate: boolean,
): UpdateStatement {
  if (!isPlainObject(s)) throw commandError('FailedToParse', 'update statement must be an object');
  const constants = letVariables(s.c, 'update.updates');
  const arrayFilters = s.arrayFilters;
  if (arrayFilters !== undefined && !Array.isArray(arrayFilters)) {
    throw commandError(
      'TypeMismatch',
      "BSON field 'update.updates.arrayFilters' is the wrong type, expected type 'array'",
    );
  }
  if (s.multi === true && updateKind(s.u) === 'replacement') {
    throw commandError('InvalidOptions', 'multi update is not supported for replacement-style update');
  }
  return {
    q: validateFilter(s.q, 'q'),
    u: s.u,
    upsert: s.upsert === true,
    multi: s.multi === true,
    arrayFilters: arrayFilters as Document[] | undefined,
    eval: {
      variables: constants ? { ...variables, ...constants } : variables,
      collation: parseCollation(s.collation, 'update.updates'),
    },
    validate,
    hint: s.hint,
  };
}

/** One update statement against a collection: matched documents updated, or an upsert inserted. */
export function applyUpdateStatement(
  collection: Collection,
  s: UpdateStatement,
  ctx: CommandContext,
): UpdateResult {
  const kind = updateKind(s.u);
  checkHint(collection, s.hint);
  const options = withCollectionCollation(s.eval, collection);
  const { matches: targets, stats } = collection.match(s.q, s.multi ? undefined : 1, options);
  recordScan(ctx, stats);
  let modified = 0;
  let before: Document | undefined;
  let after: Document | undefined;
  for (const target of targets) {
    const result = applyUpdate(
      target.doc,
      s.u,
      { arrayFilters: s.arrayFilters, query: s.q, inserting: false, eval: options },
      kind,
    );
    before ??= target.doc;
    after ??= result.doc;
    if (!result.modified) continue;
    after = collection.replace(target.rid, result.doc, s.validate);
    modified += 1;
  }
  if (targets.length > 0 || !s.upsert) return { matched: targets.length, modified, before, after };
  const seed = upsertSeed(s.q, kind === 'replacement');
  const built = applyUpdate(
    seed,
    s.u,
    { arrayFilters: s.arrayFilters, query: s.q, inserting: true, eval: options },
    kind,
  );
  const inserted = collection.insert(ensureId(built.doc), s.validate);
  return { matched: 0, modified: 0, upsertedId: inserted._id, after: inserted };
}

export const update: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'update');
  const statements = statementsOf(body, 'updates', 'update');
  const variables = letVariables(body.let, 'update');
  // `sort` on an update statement arrived with MongoDB 8.0; 7.0's command parser rejects the whole command.
  if (statements.some((s) => isPlainObject(s) && s.sort !== undefined)) {
    throw commandError('UnknownField', "BSON field 'update.updates.sort' is an unknown field.");
  }
  const collection = ctx.catalog.getOrCreate(ctx.db, name);
  const outcome: BatchOutcome = { n: 0, writeErrors: [] };
  let nModified = 0;
  const upserted: Document[] = [];
  runBatch(statements, body.ordered !== false, outcome, (raw, index) => {
    const result = applyUpdateStatement(
      collection,
      parseUpdateStatement(raw, variables, validates(body)),
      ctx,
    );
    if (result.upsertedId !== undefined) {
      upserted.push({ index, _id: result.upsertedId });
      outcome.n += 1;
    } else {
      outcome.n += result.matched;
      nModified += result.modified;
    }
  });
  ctx.counters.opcounters.update += statements.length;
  return writeReply(outcome, upserted.length > 0 ? { nModified, upserted } : { nModified });
};

export const deleteCommand: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'delete');
  const statements = statementsOf(body, 'deletes', 'delete');
  const collection = ctx.catalog.writable(ctx.db, name);
  const outcome: BatchOutcome = { n: 0, writeErrors: [] };
  const variables = letVariables(body.let, 'delete');
  runBatch(statements, body.ordered !== false, outcome, (s) => {
    if (!isPlainObject(s)) throw commandError('FailedToParse', 'delete statement must be an object');
    const limit = s.limit;
    if (limit !== 0 && limit !== 1) {
      throw commandError(
        'FailedToParse',
        `The limit field in delete objects must be 0 or 1. Got ${String(limit)}`,
      );
    }
    const options = { variables, collation: parseCollation(s.collation, 'delete.deletes') };
    if (!collection) return;
    checkHint(collection, s.hint);
    const { matches, stats } = collection.match(
      validateFilter(s.q, 'q'),
      limit === 1 ? 1 : undefined,
      withCollectionCollation(options, collection),
    );
    recordScan(ctx, stats);
    for (const match of matches) {
      collection.remove(match.rid);
      outcome.n += 1;
    }
  });
  ctx.counters.opcounters.delete += statements.length;
  return writeReply(outcome);
};

export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: deleteCommand };
