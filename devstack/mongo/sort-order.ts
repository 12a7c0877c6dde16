import type { Document } from 'bson';
import { compareValues, type StringOrder } from './bson-order';
import { commandError } from './errors';
import { isPlainObject, matchValuesAt } from './field-paths';

// An empty array sorts below null and missing (MongoDB's comparison/sort order documentation).
const EMPTY_ARRAY = Symbol('empty array');

type Key = unknown;

function keyFor(doc: Document, path: string, descending: boolean, strings: StringOrder): Key {
  const values = matchValuesAt(doc, path);
  if (values.length === 1) {
    const only = values[0];
    if (!Array.isArray(only)) return only;
  }
  // An array sorts by its smallest element ascending and its largest descending.
  let best: Key;
  let found = false;
  for (const value of values) {
    if (Array.isArray(value)) continue;
    if (
      !found ||
      (descending ? compareValues(value, best, strings) > 0 : compareValues(value, best, strings) < 0)
    ) {
      best = value;
      found = true;
    }
  }
  return found ? best : EMPTY_ARRAY;
}

function compareKey(a: Key, b: Key, strings: StringOrder): number {
  if (a === EMPTY_ARRAY || b === EMPTY_ARRAY) return a === b ? 0 : a === EMPTY_ARRAY ? -1 : 1;
  return compareValues(a, b, strings);
}

/** Validates a sort specification as mongod does: each direction is 1 or -1. */
export function sortFields(spec: Document): Array<[string, 1 | -1]> {
  const fields: Array<[string, 1 | -1]> = [];
  for (const [path, direction] of Object.entries(spec) as Array<[string, unknown]>) {
    if (isPlainObject(direction) && '$meta' in direction) {
      throw commandError('NotImplemented', `$meta sort by '${String(direction.$meta)}' is not supported`);
    }
    if (direction !== 1 && direction !== -1) {
      throw commandError('BadValue', '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    }
    fields.push([path, direction]);
  }
  if (fields.length === 0) throw commandError('BadValue', '$sort stage must have at least one sort key');
  return fields;
}

/**
 * Sorts documents by a sort specification with MongoDB's order (the same `compareValues` the indexes use);
 * stable, so ties keep their input order. Keys are computed once per document.
 */
export function sortDocuments<T extends Document>(
  docs: readonly T[],
  spec: Document,
  strings?: StringOrder,
): T[] {
  const fields = sortFields(spec);
  const [first] = fields;
  // `$natural` is storage order, which is the order documents arrive in here.
  if (fields.length === 1 && first?.[0] === '$natural')
    return first[1] === -1 ? [...docs].reverse() : [...docs];
  const decorated = docs.map((doc, at) => ({
    doc,
    at,
    keys: fields.map(([path, direction]) => keyFor(doc, path, direction === -1, strings)),
  }));
  decorated.sort((x, y) => {
    for (let i = 0; i < fields.length; i += 1) {
      const c = compareKey(x.keys[i], y.keys[i], strings);
      if (c !== 0) return (fields[i] as [string, number])[1] === -1 ? -c : c;
    }
    return x.at - y.at;
  });
  return decorated.map((d) => d.doc);
}
