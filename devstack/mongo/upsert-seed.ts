import { ObjectId, type Document } from 'bson';
import { isPlainObject, setPath } from './field-paths';

function equalityValue(condition: unknown): { value: unknown } | undefined {
  if (isPlainObject(condition)) {
    const keys = Object.keys(condition);
    if (keys.some((k) => k.startsWith('$'))) {
      return keys.length === 1 && '$eq' in condition ? { value: condition.$eq } : undefined;
    }
  }
  if (condition instanceof RegExp) return undefined;
  return { value: condition };
}

function collectEqualities(filter: Document, out: Array<[string, unknown]>): void {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) collectEqualities(part, out);
      continue;
    }
    if (field.startsWith('$')) continue;
    const eq = equalityValue(condition);
    if (eq) out.push([field, eq.value]);
  }
}

/**
 * The document an upsert starts from: the query's equality conditions (MongoDB seeds fields from `{a: 1}`,
 * `{a: {$eq: 1}}` and `$and` of them). A replacement upsert keeps only the `_id`.
 */
export function upsertSeed(filter: Document, replacement: boolean): Document {
  const equalities: Array<[string, unknown]> = [];
  collectEqualities(filter, equalities);
  const seed: Document = {};
  const id = equalities.find(([field]) => field === '_id');
  if (id) seed._id = id[1];
  if (replacement) return seed;
  for (const [field, value] of equalities) if (field !== '_id') setPath(seed, field, value);
  return seed;
}

/** An upserted document gets an ObjectId `_id` first when neither the query nor the update gave one. */
export function ensureId(doc: Document): Document {
  if (doc._id !== undefined) return doc;
  return { _id: new ObjectId(), ...doc };
}
