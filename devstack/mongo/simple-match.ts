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

/**
 * A predicate for the most common filter shape — every condition a scalar equality such as `{orderId: "o-1"}`
 * or `{status: {$eq: "Paid"}}` — with MongoDB's semantics (an array field matches when an element equals).
 * Undefined for anything else; the general matcher handles it. Building a general matcher per lookup costs more
 * than the lookup itself.
 */
export function simpleMatcher(filter: Document): ((doc: Document) => boolean) | undefined {
  const conditions: Array<[string, unknown]> = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$')) return undefined;
    let value: unknown = condition;
    if (isPlainObject(condition)) {
      const keys = Object.keys(condition);
      if (keys.length !== 1 || keys[0] !== '$eq') return undefined;
      value = condition.$eq;
    }
    if (!SIMPLE_CLASSES.has(typeClass(value))) return undefined;
    conditions.push([field, value]);
  }
  return (doc) =>
    conditions.every(([field, expected]) => {
      const cls = typeClass(expected);
      return indexValuesAt(doc, field).values.some(
        (v) => typeClass(v) === cls && compareValues(v, expected) === 0,
      );
    });
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
