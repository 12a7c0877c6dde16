import type { Document } from 'bson';
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

/** `$merge` as the last stage: each result replaces, merges into, keeps or inserts a document of the target. */
export function writeMerge(ctx: CommandContext, arg: unknown, results: Document[]): void {
  const spec = parseMerge(arg, ctx.db);
  const collection = ctx.catalog.getOrCreate(spec.db, spec.coll);
  for (const doc of results) {
    const filter: Document = {};
    for (const field of spec.on) filter[field] = valueAt(doc, field) ?? null;
    const existing = collection.match(filter).matches[0];
    if (!existing) {
      if (spec.whenNotMatched === 'fail') {
        throw commandError(
          'BadValue',
          `$merge could not find a matching document in the target collection for ${JSON.stringify(filter)}`,
        );
      }
      if (spec.whenNotMatched === 'insert') collection.insert(doc);
      continue;
    }
    if (spec.whenMatched === 'fail') {
      throw commandError('DuplicateKey', `$merge found an existing document for ${JSON.stringify(filter)}`);
    }
    if (spec.whenMatched === 'keepExisting') continue;
    const { _id: _ignored, ...fields } = doc;
    const next =
      spec.whenMatched === 'replace'
        ? { _id: existing.doc._id as unknown, ...fields }
        : { ...existing.doc, ...fields };
    collection.replace(existing.rid, next);
  }
}
