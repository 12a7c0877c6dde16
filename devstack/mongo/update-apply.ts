import type { Document } from 'bson';
import { compareValues, typeClass, TYPE_CLASS } from './bson-order';
import { cloneDocument, sameDocument } from './document-clone';
import { commandError, MongoCommandError } from './errors';
import { applyPlainSets, bsonOperatorsAsSet, tryFastUpdate } from './fast-update';
import { isPlainObject, setPath, valueAt } from './field-paths';
import { applyMingoUpdate, newAggregator, type EvalOptions } from './mingo-context';

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$bit',
  '$setOnInsert',
]);
const NUMERIC_OPERATORS = new Set(['$inc', '$mul']);

export interface UpdateOptions {
  readonly arrayFilters?: Document[];
  /** The query, for the positional `$` operator. */
  readonly query?: Document;
  /** True when the update builds an upserted document (applies `$setOnInsert`). */
  readonly inserting: boolean;
  /** The command's `let` variables and collation. */
  readonly eval?: EvalOptions;
}

export interface UpdateOutcome {
  readonly doc: Document;
  readonly modified: boolean;
}

export type UpdateKind = 'operators' | 'replacement' | 'pipeline';

/** Classifies and validates an update document the way MongoDB parses it. */
export function updateKind(update: unknown): UpdateKind {
  if (Array.isArray(update)) return 'pipeline';
  if (!isPlainObject(update))
    throw commandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(update);
  if (keys.length === 0 || !(keys[0] as string).startsWith('$')) {
    for (const key of keys) {
      if (key.startsWith('$')) {
        throw commandError(
          'DollarPrefixedFieldName',
          `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
        );
      }
    }
    return 'replacement';
  }
  for (const key of keys) {
    if (!UPDATE_OPERATORS.has(key)) {
      throw commandError(
        'FailedToParse',
        `Unknown modifier: ${key}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    const arg = update[key];
    if (!isPlainObject(arg)) {
      throw commandError(
        'FailedToParse',
        `Modifiers operate on fields but we found type ${typeName(arg)} instead. For example: {$mod: {<field>: ...}} not {${key}: ${JSON.stringify(arg)}}`,
      );
    }
  }
  return 'operators';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** True when no two paths conflict, decided without splitting when every path is a plain top-level field. */
function plainPathsDistinct(update: Document): boolean {
  return plainTopLevelPaths(update, true);
}

/**
 * True when every path is a distinct top-level field without `.` or `$` (and, unless `allowId`, not `_id`):
 * such an update has no conflicts and cannot address `_id` inside a document. A short list beats a Set for
 * the handful of paths an update names.
 */
function plainTopLevelPaths(update: Document, allowId: boolean): boolean {
  const seen: string[] = [];
  for (const op in update) {
    if (op === '$rename') return false;
    for (const path in update[op] as Document) {
      if (path === '' || path.includes('.') || path.includes('$') || seen.includes(path)) return false;
      if (!allowId && path === '_id') return false;
      seen.push(path);
    }
  }
  return true;
}

function conflictCheck(update: Document): void {
  if (plainPathsDistinct(update)) return;
  const paths: string[] = [];
  for (const [op, arg] of Object.entries(update)) {
    for (const [path, value] of Object.entries(arg as Document)) {
      if (path === '') throw commandError('EmptyFieldName', `An empty update path is not valid.`);
      paths.push(path);
      if (op === '$rename' && typeof value === 'string') paths.push(value);
    }
  }
  const normalized = paths.map((p) =>
    p
      .split('.')
      .filter((part) => !part.startsWith('$'))
      .join('.'),
  );
  for (let i = 0; i < normalized.length; i += 1) {
    for (let j = i + 1; j < normalized.length; j += 1) {
      const a = normalized[i] as string;
      const b = normalized[j] as string;
      if (a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`)) {
        const [longer, shorter] = a.length >= b.length ? [paths[i], b] : [paths[j], a];
        throw commandError(
          'ConflictingUpdateOperators',
          `Updating the path '${longer}' would create a conflict at '${shorter}'`,
        );
      }
    }
  }
}

function numericCheck(update: Document, doc: Document): void {
  for (const op of NUMERIC_OPERATORS) {
    const arg = update[op] as Document | undefined;
    if (!arg) continue;
    for (const [path, value] of Object.entries(arg)) {
      if (typeClass(value) !== TYPE_CLASS.number) {
        const verb = op === '$inc' ? 'increment' : 'multiply';
        throw commandError(
          'TypeMismatch',
          `Cannot ${verb} with non-numeric argument: {${path}: ${JSON.stringify(value)}}`,
        );
      }
      const current = valueAt(doc, path);
      if (current !== undefined && typeClass(current) !== TYPE_CLASS.number) {
        throw commandError(
          'TypeMismatch',
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${JSON.stringify(doc._id)}} has the field '${path}' of non-numeric type ${typeName(current)}`,
        );
      }
    }
  }
}

function assertIdUnchanged(before: Document, after: Document, inserting: boolean): void {
  if (inserting && before._id === undefined) return;
  if (compareValues(before._id, after._id) !== 0 || (after._id === undefined && before._id !== undefined)) {
    throw commandError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
}

/** `$set: {_id}` is only allowed when it changes nothing, or when it builds an upserted document. */
function withoutIdAssignment(operators: Document, next: Document, inserting: boolean): Document {
  const set = operators.$set as Document | undefined;
  if (!set || !('_id' in set)) return operators;
  const { _id: id, ...rest } = set;
  if (inserting && next._id === undefined) next._id = id as unknown;
  else if (compareValues(id, next._id) !== 0) {
    throw commandError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return { ...operators, $set: rest };
}

// mingo skips $slice/$sort/$position when $push creates the array; MongoDB applies them to the new array too.
function startMissingPushArrays(operators: Document, next: Document): void {
  const push = operators.$push as Document | undefined;
  if (!push) return;
  for (const [path, spec] of Object.entries(push)) {
    const withModifiers = isPlainObject(spec) && '$each' in spec;
    if (withModifiers && !path.includes('$') && valueAt(next, path) === undefined) setPath(next, path, []);
  }
}

const MINGO_IMMUTABLE = /would modify the immutable field/;

function touchesId(update: Document): boolean {
  return Object.values(update).some(
    (args) => isPlainObject(args) && Object.keys(args).some((p) => p === '_id' || p.startsWith('_id.')),
  );
}

function applyOperators(doc: Document, update: Document, options: UpdateOptions): UpdateOutcome {
  const plain = plainTopLevelPaths(update, false);
  if (!plain) conflictCheck(update);
  numericCheck(update, doc);
  const fast =
    options.arrayFilters || (!plain && touchesId(update))
      ? undefined
      : ((plain ? applyPlainSets(doc, update, options.inserting) : undefined) ??
        tryFastUpdate(doc, update, options.inserting));
  if (fast) return fast;
  const next = cloneDocument(doc);
  const { $setOnInsert, ...given } = update as Document & { $setOnInsert?: Document };
  if (options.inserting && $setOnInsert) {
    given.$set = { ...((given.$set as Document | undefined) ?? {}), ...$setOnInsert };
  }
  const operators = bsonOperatorsAsSet(withoutIdAssignment(given, next, options.inserting), next);
  startMissingPushArrays(operators, next);
  let changed: string[] = [];
  if (Object.keys(operators).length > 0) {
    try {
      // The query only matters for the positional `$`; an upserted document need not match it.
      const query = options.inserting ? undefined : options.query;
      changed = applyMingoUpdate(next, operators, options.arrayFilters, query, options.eval);
    } catch (error) {
      if (error instanceof MongoCommandError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw commandError(
        MINGO_IMMUTABLE.test(message) ? 'ImmutableField' : 'BadValue',
        message.replace(/\.$/, ''),
      );
    }
  }
  assertIdUnchanged(doc, next, options.inserting);
  return { doc: next, modified: changed.length > 0 };
}

function applyReplacement(doc: Document, replacement: Document): UpdateOutcome {
  if (
    replacement._id !== undefined &&
    doc._id !== undefined &&
    compareValues(replacement._id, doc._id) !== 0
  ) {
    throw commandError(
      'ImmutableField',
      `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${JSON.stringify(replacement._id)}`,
    );
  }
  // The replacement is the command's own, freshly decoded: it is stored as it is (as an insert stores its
  // document), since stored documents are never changed in place.
  const next: Document = { _id: (doc._id ?? replacement._id) as unknown, ...replacement };
  if (next._id === undefined) delete next._id;
  return { doc: next, modified: !sameDocument(doc, next) };
}

function applyPipeline(doc: Document, pipeline: Document[], options: UpdateOptions): UpdateOutcome {
  const [output] = newAggregator(pipeline, options.eval).run<Document>([cloneDocument(doc)]);
  if (!output) throw commandError('BadValue', 'update pipeline produced no document');
  // A pipeline that drops `_id` (a $replaceWith without it, a $project or $unset of it) keeps the stored one.
  const result =
    output._id === undefined && doc._id !== undefined ? { _id: doc._id as unknown, ...output } : output;
  assertIdUnchanged(doc, result, options.inserting);
  return { doc: result, modified: !sameDocument(doc, result) };
}

/**
 * Applies an update (operators, replacement or pipeline) to a copy of `doc`; `doc` itself is untouched. A
 * replacement document becomes part of the result (the caller gives up the update). A caller that has
 * classified the update already passes its `kind`.
 */
export function applyUpdate(
  doc: Document,
  update: unknown,
  options: UpdateOptions,
  kind: UpdateKind = updateKind(update),
): UpdateOutcome {
  switch (kind) {
    case 'pipeline':
      return applyPipeline(doc, update as Document[], options);
    case 'replacement':
      return applyReplacement(doc, update as Document);
    case 'operators':
      return applyOperators(doc, update as Document, options);
  }
}
