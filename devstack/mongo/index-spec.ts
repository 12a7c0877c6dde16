import type { Document } from 'bson';
import type { Query } from 'mingo/query';
import { commandError } from './errors';
import { showValue } from './stored-document';
import { indexValuesAt } from './field-paths';
import { newQuery } from './mingo-context';
import { OrderedIndex } from './ordered-index';

export const ID_INDEX_NAME = '_id_';

/** An index as the catalog holds it: its spec (what listIndexes shows) and its ordered entries. */
export interface IndexState {
  readonly name: string;
  readonly key: Document;
  readonly fields: readonly string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial?: Query;
  /** The options echoed back by listIndexes (unique, sparse, partialFilterExpression, ...). */
  readonly options: Document;
  readonly tree: OrderedIndex;
  multikey: boolean;
}

const ECHOED_OPTIONS = [
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'collation',
  'hidden',
];
const VALID_DIRECTIONS = new Set<unknown>([1, -1, 'hashed']);
// Index types mongod has and this server does not: refused rather than built as plain ordered indexes.
const UNSUPPORTED_TYPES = new Set<unknown>(['text', '2dsphere', '2d', 'geoHaystack', 'columnstore']);

/** The default name MongoDB gives an index: `field_direction` pairs joined by `_`. */
export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${String(dir)}`)
    .join('_');
}

export function createIndexState(spec: Document): IndexState {
  const key = spec.key as unknown;
  if (typeof key !== 'object' || key === null || Array.isArray(key) || Object.keys(key).length === 0) {
    throw commandError('BadValue', "Index spec must have a non-empty 'key' document");
  }
  for (const [field, dir] of Object.entries(key as Document)) {
    if (UNSUPPORTED_TYPES.has(dir)) {
      throw commandError('NotImplemented', `${String(dir)} indexes are not supported by devstack-mongo`);
    }
    if (field === '')
      throw commandError('BadValue', 'Index key contains an illegal field name: field name empty');
    if (!VALID_DIRECTIONS.has(dir) && !(typeof dir === 'number' && dir !== 0)) {
      throw commandError('BadValue', `Values in the index key pattern can't be 0 or invalid: ${field}`);
    }
  }
  if (spec.expireAfterSeconds !== undefined) {
    throw commandError(
      'NotImplemented',
      'TTL indexes (expireAfterSeconds) are not supported by devstack-mongo',
    );
  }
  const name = typeof spec.name === 'string' ? spec.name : defaultIndexName(key);
  const options: Document = {};
  for (const option of ECHOED_OPTIONS)
    if (spec[option] !== undefined) options[option] = spec[option] as unknown;
  const partialFilter = spec.partialFilterExpression as Document | undefined;
  return {
    name,
    key: key,
    fields: Object.keys(key),
    unique: spec.unique === true || name === ID_INDEX_NAME,
    sparse: spec.sparse === true,
    partial: partialFilter ? newQuery(partialFilter) : undefined,
    options,
    tree: new OrderedIndex(),
    multikey: false,
  };
}

/** The E11000 error mongod reports for a second entry of `tuple` in a unique index of `ns`. */
export function duplicateKeyError(ns: string, index: IndexState, tuple: readonly unknown[]): Error {
  const keyValue: Document = {};
  index.fields.forEach((field, i) => (keyValue[field] = tuple[i] ?? null));
  const shown = index.fields.map((f, i) => `${f}: ${showValue(tuple[i])}`).join(', ');
  return commandError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${index.name} dup key: { ${shown} }`,
    { keyPattern: index.key, keyValue },
  );
}

/** The one key tuple of a document whose indexed fields are top-level and not arrays; undefined otherwise. */
function plainKey(fields: readonly string[], doc: Document): unknown[] | undefined {
  const tuple: unknown[] = [];
  for (const field of fields) {
    if (field.includes('.')) return undefined;
    const value = doc[field] as unknown;
    if (Array.isArray(value)) return undefined;
    tuple.push(value);
  }
  return tuple;
}

/** The key tuples one document contributes to an index (several for multikey), or none if excluded. */
export function indexKeysFor(index: IndexState, doc: Document): unknown[][] {
  if (index.partial && !index.partial.test(doc)) return [];
  const plain = plainKey(index.fields, doc);
  if (plain) {
    // The general path below gives the same: a missing field keys as null, a sparse index skips all-missing.
    let allMissing = true;
    for (let i = 0; i < plain.length; i += 1) {
      if (plain[i] === undefined) plain[i] = null;
      else allMissing = false;
    }
    return index.sparse && allMissing ? [] : [plain];
  }
  const perField = index.fields.map((field) => indexValuesAt(doc, field));
  if (index.sparse && perField.every((f) => f.values.every((v) => v === undefined))) return [];
  const arrays = perField.filter((f) => f.values.length > 1);
  if (arrays.length > 1) {
    throw commandError(
      'CannotIndexParallelArrays',
      `cannot index parallel arrays [${index.fields.join('] [')}]`,
    );
  }
  let tuples: unknown[][] = [[]];
  for (const field of perField) {
    tuples = tuples.flatMap((t) => field.values.map((v) => [...t, v === undefined ? null : v]));
  }
  if (perField.some((f) => f.multikey)) index.multikey = true;
  return tuples;
}

/**
 * True when `after` certainly has the same keys in `index` as `before`: each indexed field's top-level value is
 * the same object or primitive (updates copy on write, so untouched fields stay identical). Partial indexes
 * depend on other fields too, so they are never skipped.
 */
export function keysUnchanged(index: IndexState, before: Document, after: Document): boolean {
  if (index.partial) return false;
  for (const path of index.fields) {
    const dot = path.indexOf('.');
    const top = dot < 0 ? path : path.slice(0, dot);
    if (before[top] !== after[top]) return false;
  }
  return true;
}

export function describeIndex(index: IndexState): Document {
  return { v: 2, key: index.key, name: index.name, ...index.options };
}
