import type { Document } from 'bson';
import { compareValues, TYPE_CLASS, typeClass } from './bson-order';
import { indexValuesAt, isPlainObject } from './field-paths';
import { newQuery, type EvalOptions } from './mingo-context';

const SIMPLE_CLASSES = new Set<number>([
  TYPE_CLASS.number,
  TYPE_CLASS.string,
  TYPE_CLASS.boolean,
  TYPE_CLASS.date,
  TYPE_CLASS.objectId,
]);

/** A filter whose every condition is a scalar equality: its fields, their values, and a key for its shape. */
export interface SimpleFilter {
  readonly fields: readonly string[];
  readonly values: readonly unknown[];
  /** The field names in filter order: filters with the same shape share a compiled plan. */
  readonly shape: string;
}

/**
 * The most common filter shape — every condition a scalar equality such as `{orderId: "o-1"}` or
 * `{status: {$eq: "Paid"}}` — taken apart; undefined for anything else (the general matcher handles it).
 */
export function simpleFilter(filter: Document): SimpleFilter | undefined {
  const fields: string[] = [];
  const values: unknown[] = [];
  let shape = '';
  for (const field in filter) {
    if (field.startsWith('$')) return undefined;
    const condition = filter[field] as unknown;
    let value: unknown = condition;
    if (isPlainObject(condition)) {
      const keys = Object.keys(condition);
      if (keys.length !== 1 || keys[0] !== '$eq') return undefined;
      value = condition.$eq;
    }
    if (!SIMPLE_CLASSES.has(typeClass(value))) return undefined;
    fields.push(field);
    values.push(value);
    // NUL cannot occur in a BSON field name, so it separates names unambiguously.
    shape += `${field}\u0000`;
  }
  return { fields, values, shape };
}

/** MongoDB's equality semantics for a simple filter: an array field matches when an element equals. */
export function matchesSimple(doc: Document, simple: SimpleFilter): boolean {
  const { fields, values } = simple;
  for (let i = 0; i < fields.length; i += 1) {
    const expected = values[i];
    const cls = typeClass(expected);
    const found = indexValuesAt(doc, fields[i] as string).values;
    let matched = false;
    for (const v of found) {
      if (typeClass(v) === cls && compareValues(v, expected) === 0) {
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  return true;
}

/** A predicate for a simple filter (see `simpleFilter`); undefined for anything else. */
export function simpleMatcher(filter: Document): ((doc: Document) => boolean) | undefined {
  const simple = simpleFilter(filter);
  return simple ? (doc) => matchesSimple(doc, simple) : undefined;
}

/** The predicate for a filter: the cheap equality matcher when it applies, mingo's matcher otherwise. */
export function matcherFor(
  filter: Document,
  collated: boolean,
  options?: EvalOptions,
): (doc: Document) => boolean {
  if (Object.keys(filter).length === 0) return () => true;
  const simple = collated ? undefined : simpleMatcher(filter);
  if (simple) return simple;
  const query = newQuery(filter, options);
  return (doc) => query.test(doc);
}
