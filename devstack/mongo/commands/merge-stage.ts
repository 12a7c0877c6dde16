import type { Document } from 'bson';
import type { Collection } from '../collection';
import { ID_INDEX_NAME, type IndexState } from '../index-spec';
import type { CommandContext } from './context';
import { commandError } from '../errors';
import { isPlainObject, valueAt } from '../field-paths';

const WHEN_MATCHED = new Set(['replace', 'keepExisting', 'merge', 'fail']);
const WHEN_NOT_MATCHED = new Set(['insert', 'discard', 'fail']);

interface MergeSpec {
  readonly db: string;
  readonly coll: string;
  readonly on: string[];
  readonly whenMatched: string;
  readonly whenNotMatched: string;
}

function parseMerge(arg: unknown, defaultDb: string): MergeSpec {
  const spec = typeof arg === 'string' ? { into: arg } : arg;
  if (!isPlainObject(spec))
    throw commandError('FailedToParse', '$merge requires a string or object argument');
  const into = spec.into;
  const target = typeof into === 'string' ? { db: defaultDb, coll: into } : into;
  if (!isPlainObject(target) || typeof target.coll !== 'string') {
    throw commandError('FailedToParse', "$merge 'into' must be a string or {db, coll}");
  }
  const on = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on : [spec.on];
  const whenMatched = typeof spec.whenMatched === 'string' ? spec.whenMatched : 'merge';
  const whenNotMatched = typeof spec.whenNotMatched === 'string' ? spec.whenNotMatched : 'insert';
  if (!WHEN_MATCHED.has(whenMatched) || !WHEN_NOT_MATCHED.has(whenNotMatched)) {
    throw commandError('BadValue', '$merge whenMatched / whenNotMatched value is not supported');
  }
  if (!on.every((f): f is string => typeof f === 'string'))
    throw commandError('TypeMismatch', "$merge 'on' must be field names");
  return {
    db: typeof target.db === 'string' ? target.db : defaultDb,
    coll: target.coll,
    on,
    whenMatched,
    whenNotMatched,
  };
}

/** mongod needs a unique index on exactly the `on` fields, so that a result matches at most one document. */
function joinIndex(collection: Collection | undefined, on: readonly string[]): IndexState | undefined {
  if (on.length === 1 && on[0] === '_id') return collection?.indexes.get(ID_INDEX_NAME);
  for (const index of collection?.indexes.values() ?? []) {
    const sameFields = index.fields.length === on.length && index.fields.every((f) => on.includes(f));
    if (index.unique && !index.partial && sameFields) return index;
  }
  throw commandError('MergeOnFieldNotUnique', 'Cannot find index to verify that join fields will be unique');
}

/** `$merge` as the last stage: each result replaces, merges into, keeps or inserts a document of the target. */
export function writeMerge(ctx: CommandContext, arg: unknown, results: Document[], validate: boolean): void {
  const spec = parseMerge(arg, ctx.db);
  joinIndex(ctx.catalog.get(spec.db, spec.coll), spec.on);
  const collection = ctx.catalog.getOrCreate(spec.db, spec.coll);
  const index = joinIndex(collection, spec.on) as IndexState;
  for (const doc of results) {
    const filter: Document = {};
    for (const field of spec.on) {
      const value = valueAt(doc, field);
      if (value === undefined || value === null || Array.isArray(value)) {
        throw commandError(
          'MergeOnFieldMissing',
          `$merge write error: 'on' field '${field}' cannot be missing, null, undefined or an array`,
        );
      }
      filter[field] = value;
    }
    const existing = collection.match(filter).matches[0];
    if (!existing) {
      if (spec.whenNotMatched === 'fail') {
        throw commandError(
          'BadValue',
          `$merge could not find a matching document in the target collection for ${JSON.stringify(filter)}`,
        );
      }
      if (spec.whenNotMatched === 'insert') collection.insert(doc, validate);
      continue;
    }
    // mongod inserts and lets the join index refuse the duplicate.
    if (spec.whenMatched === 'fail')
      throw collection.duplicateKey(
        index,
        index.fields.map((f): unknown => filter[f]),
      );
    if (spec.whenMatched === 'keepExisting') continue;
    const { _id: _ignored, ...fields } = doc;
    const next =
      spec.whenMatched === 'replace'
        ? { _id: existing.doc._id as unknown, ...fields }
        : { ...existing.doc, ...fields };
    collection.replace(existing.rid, next, validate);
  }
}
