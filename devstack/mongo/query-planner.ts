import type { Document } from 'bson';
import { compareKeys, compareValues, TYPE_CLASS, typeClass, type TypeClass } from './bson-order';
import { isPlainObject } from './field-paths';
import type { IndexState } from './index-spec';
import type { IndexEntry } from './ordered-index';

/** One contiguous run of index entries: where it starts and when it has been passed. */
export interface Interval {
  readonly start: (entry: IndexEntry) => boolean;
  readonly pastEnd: (entry: IndexEntry) => boolean;
  readonly describe: string;
}

/**
 * How a plan narrows: equalities on the leading `fields` index fields (one point interval), a `$in` list on the
 * first field (one point per value), or a range.
 */
export type PlanLookup = { kind: 'point'; fields: number } | { kind: 'in' } | { kind: 'range' };

export interface IndexPlan {
  readonly index: IndexState;
  readonly intervals: readonly Interval[];
  readonly boundsField: string;
  readonly lookup: PlanLookup;
}

type Bound = { value: unknown; inclusive: boolean };
type Condition =
  | { kind: 'eq'; value: unknown }
  | { kind: 'in'; values: unknown[] }
  | { kind: 'range'; cls: TypeClass; lower?: Bound; upper?: Bound };

const RANGE_CLASSES = new Set<TypeClass>([
  TYPE_CLASS.number,
  TYPE_CLASS.string,
  TYPE_CLASS.date,
  TYPE_CLASS.objectId,
  TYPE_CLASS.boolean,
  TYPE_CLASS.timestamp,
]);
const NO_DIRECTIONS: readonly number[] = [];

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function usableForEquality(value: unknown): boolean {
  if (value === undefined || Array.isArray(value) || value instanceof RegExp) return false;
  if (typeClass(value) === TYPE_CLASS.regex) return false;
  return !(isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$')));
}

function classify(condition: unknown): Condition | undefined {
  if (!isOperatorObject(condition)) {
    return usableForEquality(condition) ? { kind: 'eq', value: condition } : undefined;
  }
  if ('$eq' in condition && usableForEquality(condition.$eq)) return { kind: 'eq', value: condition.$eq };
  const inValues = condition.$in;
  if (Array.isArray(inValues) && inValues.length > 0 && inValues.every(usableForEquality)) {
    return { kind: 'in', values: inValues as unknown[] };
  }
  let range: Condition | undefined;
  for (const [op, inclusive, side] of [
    ['$gt', false, 'lower'],
    ['$gte', true, 'lower'],
    ['$lt', false, 'upper'],
    ['$lte', true, 'upper'],
  ] as const) {
    if (!(op in condition)) continue;
    const value = condition[op];
    const cls = typeClass(value);
    if (!RANGE_CLASSES.has(cls)) continue;
    if (!range) range = { kind: 'range', cls };
    if (range.kind !== 'range' || range.cls !== cls) continue;
    if (!range[side]) range[side] = { value, inclusive };
  }
  return range;
}

/** Conditions per top-level field, including those inside top-level `$and`s. */
function fieldConditions(filter: Document, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) fieldConditions(part, out);
    } else if (!field.startsWith('$')) {
      out.set(field, [...(out.get(field) ?? []), condition]);
    }
  }
  return out;
}

function pick(
  conditions: Map<string, unknown[]>,
  field: string,
  kind: Condition['kind'],
): Condition | undefined {
  for (const c of conditions.get(field) ?? []) {
    const classified = classify(c);
    if (classified?.kind === kind) return classified;
  }
  return undefined;
}

function pointInterval(prefix: readonly unknown[]): Interval {
  return {
    start: (e) => compareKeys(e.key, prefix, NO_DIRECTIONS) >= 0,
    pastEnd: (e) => compareKeys(e.key, prefix, NO_DIRECTIONS) > 0,
    describe: describePoint(prefix),
  };
}

function rangeInterval(prefix: readonly unknown[], range: Extract<Condition, { kind: 'range' }>): Interval {
  const at = prefix.length;
  const { cls, lower, upper } = range;
  const compareLower = (v: unknown): boolean => {
    if (!lower) return typeClass(v) >= cls;
    const c = compareValues(v, lower.value);
    return lower.inclusive ? c >= 0 : c > 0;
  };
  const compareUpper = (v: unknown): boolean => {
    if (!upper) return typeClass(v) > cls;
    const c = compareValues(v, upper.value);
    return upper.inclusive ? c > 0 : c >= 0;
  };
  return {
    start: (e) => {
      const c = compareKeys(e.key, prefix, NO_DIRECTIONS);
      return c !== 0 ? c > 0 : compareLower(e.key[at]);
    },
    pastEnd: (e) => {
      const c = compareKeys(e.key, prefix, NO_DIRECTIONS);
      return c !== 0 ? c > 0 : compareUpper(e.key[at]);
    },
    describe: `${lower?.inclusive ? '[' : '('}${lower ? show(lower.value) : 'min'}, ${
      upper ? show(upper.value) : 'max'
    }${upper?.inclusive ? ']' : ')'}`,
  };
}

/** How explain shows the bounds of an equality on `prefix`. */
export function describePoint(prefix: readonly unknown[]): string {
  return `[${prefix.map(show).join(', ')}]`;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  return String(value);
}

function planFor(
  index: IndexState,
  conditions: Map<string, unknown[]>,
): { plan: IndexPlan; score: number } | undefined {
  // Hidden indexes are maintained but never chosen, as in mongod.
  if (index.partial || index.options.hidden === true) return undefined;
  const prefix: unknown[] = [];
  for (const field of index.fields) {
    const eq = pick(conditions, field, 'eq');
    if (!eq || eq.kind !== 'eq' || (eq.value === null && index.sparse)) break;
    prefix.push(eq.value);
  }
  const first = index.fields[0] as string;
  if (prefix.length > 0) {
    const complete = prefix.length === index.fields.length;
    const next = complete ? undefined : pick(conditions, index.fields[prefix.length] as string, 'range');
    const interval =
      next?.kind === 'range'
        ? rangeInterval(prefix, withoutUpperIfMultikey(index, next))
        : pointInterval(prefix);
    const score = prefix.length * 3 + (next ? 1 : 0) + (complete && index.unique ? 10 : 0);
    const lookup: PlanLookup =
      next?.kind === 'range' ? { kind: 'range' } : { kind: 'point', fields: prefix.length };
    return { plan: { index, intervals: [interval], boundsField: first, lookup }, score };
  }
  const inList = pick(conditions, first, 'in');
  if (inList?.kind === 'in' && !(index.sparse && inList.values.includes(null))) {
    const sorted = [...inList.values].sort(compareValues);
    return {
      plan: {
        index,
        intervals: sorted.map((v) => pointInterval([v])),
        boundsField: first,
        lookup: { kind: 'in' },
      },
      score: 2,
    };
  }
  const range = pick(conditions, first, 'range');
  if (range?.kind === 'range') {
    return {
      plan: {
        index,
        intervals: [rangeInterval([], withoutUpperIfMultikey(index, range))],
        boundsField: first,
        lookup: { kind: 'range' },
      },
      score: 1,
    };
  }
  return undefined;
}

// On a multikey index one array may satisfy each bound with a different element, so bounds cannot intersect.
function withoutUpperIfMultikey(
  index: IndexState,
  range: Extract<Condition, { kind: 'range' }>,
): Extract<Condition, { kind: 'range' }> {
  return index.multikey && range.lower && range.upper ? { ...range, upper: undefined } : range;
}

/** Chooses the index that narrows the filter most, or undefined for a collection scan. */
export function chooseIndex(filter: Document, indexes: Iterable<IndexState>): IndexPlan | undefined {
  const conditions = fieldConditions(filter);
  if (conditions.size === 0) return undefined;
  let best: { plan: IndexPlan; score: number } | undefined;
  for (const index of indexes) {
    const candidate = planFor(index, conditions);
    if (candidate && (!best || candidate.score > best.score)) best = candidate;
  }
  return best?.plan;
}

/** The values of the filter's equality conditions on `fields`, in order, up to the first field without one. */
export function equalityPrefix(filter: Document, fields: readonly string[]): unknown[] {
  const conditions = fieldConditions(filter);
  const prefix: unknown[] = [];
  for (const field of fields) {
    const eq = pick(conditions, field, 'eq');
    if (eq?.kind !== 'eq') break;
    prefix.push(eq.value);
  }
  return prefix;
}
