import type { Document } from 'bson';
import { compareValues, TYPE_CLASS, typeClass, type TypeClass } from './bson-order';
import { isPlainObject, matchValuesAt, ownField } from './field-paths';
import { newQuery, type EvalOptions } from './mingo-context';
import { equalsOperand } from './mingo-operators';

/** The field operators a simple filter may use, numbered for the matcher. */
const OPERATOR_CODES: ReadonlyMap<string, number> = new Map([
  ['$eq', 0],
  ['$ne', 1],
  ['$in', 2],
  ['$lt', 3],
  ['$lte', 4],
  ['$gt', 5],
  ['$gte', 6],
]);
const EQ = 0;
const NE = 1;
const IN = 2;
const LT = 3;
const LTE = 4;
const GT = 5;

const EQUALITY_CLASSES = new Set<TypeClass>([
  TYPE_CLASS.null,
  TYPE_CLASS.number,
  TYPE_CLASS.string,
  TYPE_CLASS.boolean,
  TYPE_CLASS.date,
  TYPE_CLASS.objectId,
]);
// The classes the planner builds range bounds for (null ranges are left to mingo).
const RANGE_CLASSES = new Set<TypeClass>([
  TYPE_CLASS.number,
  TYPE_CLASS.string,
  TYPE_CLASS.boolean,
  TYPE_CLASS.date,
  TYPE_CLASS.objectId,
]);
// An `$in` list this long is looked up in a set rather than compared element by element.
const IN_SET_FROM = 8;
// Enough for every shape a service uses; a flood of distinct shapes only costs recompiling.
const MAX_CACHED_SHAPES = 512;

/** One field's conditions: its operators' codes, and where their operands start in the filter's values. */
export interface FieldConditions {
  readonly path: string;
  readonly dotted: boolean;
  readonly operators: readonly number[];
  readonly first: number;
}

/**
 * A filter whose every condition is `$eq` (or a bare value), `$ne`, `$in` or a range on a scalar of the common
 * BSON types, taken apart: the shape (fields and operators) has one compiled form; the operands vary.
 */
export interface SimpleFilter {
  /** Field names and operators: filters with the same shape share compiled conditions. */
  readonly shape: string;
  /** The shape plus the operands' type classes: what the planner's choice of index depends on. */
  readonly planKey: string;
  readonly values: readonly unknown[];
  readonly fields: readonly FieldConditions[];
}

function scalarClass(value: unknown): TypeClass | undefined {
  if (value === undefined) return undefined;
  const cls = typeClass(value);
  // A BSONSymbol is of the string class without being a JavaScript string.
  if (cls === TYPE_CLASS.string && typeof value !== 'string') return undefined;
  return EQUALITY_CLASSES.has(cls) ? cls : undefined;
}

/** The type-class key of one operand; undefined when the operator does not take it on the fast path. */
function operandKey(code: number, operand: unknown): string | undefined {
  if (code === IN) {
    if (!Array.isArray(operand)) return undefined;
    let hasNull = false;
    for (const item of operand as unknown[]) {
      const cls = scalarClass(item);
      if (cls === undefined) return undefined;
      if (cls === TYPE_CLASS.null) hasNull = true;
    }
    // The planner only cares whether the list is empty and whether it holds null (sparse indexes).
    return operand.length === 0 ? 'E' : hasNull ? 'N' : 'V';
  }
  const cls = scalarClass(operand);
  if (cls === undefined || (code >= LT && !RANGE_CLASSES.has(cls))) return undefined;
  return String.fromCharCode(64 + cls);
}

const compiledShapes = new Map<string, readonly FieldConditions[]>();

function compileFields(filter: Document): readonly FieldConditions[] {
  const fields: FieldConditions[] = [];
  let first = 0;
  for (const path in filter) {
    const condition = filter[path] as unknown;
    const operators = isPlainObject(condition)
      ? Object.keys(condition).map((op) => OPERATOR_CODES.get(op) as number)
      : [EQ];
    fields.push({ path, dotted: path.includes('.'), operators, first });
    first += operators.length;
  }
  return fields;
}

/** The filter taken apart (see `SimpleFilter`); undefined for anything else, which mingo's matcher handles. */
export function simpleFilter(filter: Document): SimpleFilter | undefined {
  const values: unknown[] = [];
  let shape = '';
  let classes = '';
  for (const path in filter) {
    if (path === '' || path.startsWith('$') || path === '__proto__') return undefined;
    const condition = filter[path] as unknown;
    // NUL cannot occur in a BSON field name, so it separates names unambiguously.
    shape += `${path}\u0000`;
    if (!isPlainObject(condition)) {
      const key = operandKey(EQ, condition);
      if (key === undefined) return undefined;
      values.push(condition);
      classes += key;
      shape += '$eq\u0001';
      continue;
    }
    let operators = 0;
    for (const op in condition) {
      const code = OPERATOR_CODES.get(op);
      const operand = condition[op];
      const key = code === undefined ? undefined : operandKey(code, operand);
      if (key === undefined) return undefined;
      values.push(operand);
      classes += key;
      shape += `${op}\u0001`;
      operators += 1;
    }
    // `{a: {}}` is an equality with an empty document.
    if (operators === 0) return undefined;
  }
  let fields = compiledShapes.get(shape);
  if (fields === undefined) {
    fields = compileFields(filter);
    if (compiledShapes.size >= MAX_CACHED_SHAPES) compiledShapes.clear();
    compiledShapes.set(shape, fields);
  }
  return { shape, planKey: `${shape}\u0002${classes}`, values, fields };
}

/** Where the equality operand of `path` sits in the filter's values, or -1. */
export function equalityOperandAt(simple: SimpleFilter, path: string): number {
  for (const field of simple.fields) {
    if (field.path !== path) continue;
    const k = field.operators.indexOf(EQ);
    return k < 0 ? -1 : field.first + k;
  }
  return -1;
}

/** Where the `$in` list of `path` sits in the filter's values, or -1. */
export function inListAt(simple: SimpleFilter, path: string): number {
  for (const field of simple.fields) {
    if (field.path !== path) continue;
    const k = field.operators.indexOf(IN);
    return k < 0 ? -1 : field.first + k;
  }
  return -1;
}

function equals(value: unknown, operand: unknown): boolean {
  // The common cases decided as `compareValues` would (NaN equals NaN in BSON's order).
  if (typeof value === 'string' && typeof operand === 'string') return value === operand;
  if (typeof value === 'number' && typeof operand === 'number')
    return value === operand || (value !== value && operand !== operand);
  return equalsOperand(value, operand, undefined);
}

function inRange(code: number, value: unknown, operand: unknown): boolean {
  if (typeClass(value) !== typeClass(operand)) return false;
  const c = compareValues(value, operand);
  if (code === LT) return c < 0;
  if (code === LTE) return c <= 0;
  if (code === GT) return c > 0;
  return c >= 0;
}

type Primitive = string | number | boolean;

function isPrimitive(value: unknown): value is Primitive {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** An `$in` list: its strings, numbers and booleans in a set, the rest (null, dates, ...) compared in turn. */
class InList {
  private readonly primitives = new Set<unknown>();
  private readonly others: unknown[] = [];

  constructor(private readonly list: readonly unknown[]) {
    for (const item of list) {
      if (isPrimitive(item)) this.primitives.add(item);
      else this.others.push(item);
    }
  }

  has(value: unknown): boolean {
    if (isPrimitive(value) && this.primitives.has(value)) return true;
    // A Long or Decimal128 may equal a plain number of the list.
    for (const item of isPrimitive(value) ? this.others : this.list) if (equals(value, item)) return true;
    return false;
  }
}

/**
 * A simple filter with its operands, as MongoDB's matcher evaluates it (the same tests as this server's mingo
 * operators): each operator holds when any value at the path passes — an array there is tested as a whole and
 * element by element — and `$ne` when none equals. Null equals a missing field; ranges compare within a type.
 */
export class SimpleMatcher {
  private inLists: Map<number, InList> | undefined;

  constructor(private readonly simple: SimpleFilter) {}

  test(doc: Document): boolean {
    for (const field of this.simple.fields) if (!this.testField(doc, field)) return false;
    return true;
  }

  private testField(doc: Document, field: FieldConditions): boolean {
    let value: unknown;
    let candidates: readonly unknown[] | undefined;
    if (field.dotted) candidates = matchValuesAt(doc, field.path);
    else {
      value = ownField(doc, field.path);
      if (Array.isArray(value)) candidates = [value, ...(value as unknown[])];
    }
    const { operators, first } = field;
    for (let k = 0; k < operators.length; k += 1) {
      const code = operators[k] as number;
      let hit = false;
      if (candidates === undefined) hit = this.testValue(code, first + k, value);
      else {
        for (const candidate of candidates) {
          if (this.testValue(code, first + k, candidate)) {
            hit = true;
            break;
          }
        }
      }
      if (code === NE ? hit : !hit) return false;
    }
    return true;
  }

  private testValue(code: number, at: number, value: unknown): boolean {
    const operand = this.simple.values[at];
    if (code === EQ || code === NE) return equals(value, operand);
    if (code === IN) {
      const list = operand as readonly unknown[];
      if (list.length >= IN_SET_FROM) return this.inList(at, list).has(value);
      for (const item of list) if (equals(value, item)) return true;
      return false;
    }
    return inRange(code, value, operand);
  }

  private inList(at: number, list: readonly unknown[]): InList {
    this.inLists ??= new Map();
    let found = this.inLists.get(at);
    if (!found) {
      found = new InList(list);
      this.inLists.set(at, found);
    }
    return found;
  }
}

/** The predicate for a filter: the compiled matcher when the filter is simple, mingo's matcher otherwise. */
export function matcherFor(
  filter: Document,
  collated: boolean,
  options?: EvalOptions,
): (doc: Document) => boolean {
  if (Object.keys(filter).length === 0) return () => true;
  const simple = collated ? undefined : simpleFilter(filter);
  if (simple) {
    const matcher = new SimpleMatcher(simple);
    return (doc) => matcher.test(doc);
  }
  const query = newQuery(filter, options);
  return (doc) => query.test(doc);
}
