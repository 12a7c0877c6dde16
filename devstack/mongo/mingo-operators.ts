import type { Document } from 'bson';
import { evalExpr } from 'mingo/core';
import { $push } from 'mingo/operators/accumulator';
import * as mingoPipeline from 'mingo/operators/pipeline';
import { Lazy, type Iterator } from 'mingo/lazy';
import type { Options } from 'mingo/types/types';
import { arithmetic, isDecimal, isNumeric } from './bson-numbers';
import { compareValues, TYPE_CLASS, typeClass, type StringOrder } from './bson-order';
import { parseCollation } from './collation';
import { commandError } from './errors';
import { matchValuesAt } from './field-paths';
import { $group } from './group-stage';
import { sortDocuments } from './sort-order';

/**
 * The operators whose semantics depend on BSON's comparison order and number types, replacing mingo's own:
 * mingo compares Decimal128 as text and across types by JavaScript type. Each one uses `compareValues`.
 */

// The collation reaches operators as mingo's option, already validated when the command was parsed.
function stringsOf(options: Options): StringOrder {
  const collation = options.collation as { locale?: unknown } | undefined;
  return typeof collation?.locale === 'string' ? parseCollation(collation, 'collation')?.strings : undefined;
}

/** `$eq`'s test of one value: same type bracket (null and missing alike) and equal in BSON's order. */
export function equalsOperand(value: unknown, operand: unknown, strings: StringOrder): boolean {
  const cls = typeClass(operand);
  if (typeClass(value) !== cls) return false;
  if (cls === TYPE_CLASS.null) return true;
  return compareValues(value, operand, strings) === 0;
}

function isRegex(value: unknown): value is RegExp {
  return value instanceof RegExp;
}

function inList(value: unknown, list: readonly unknown[], strings: StringOrder): boolean {
  for (const candidate of list) {
    if (isRegex(candidate)) {
      if (typeof value === 'string' && candidate.test(value)) return true;
    } else if (equalsOperand(value, candidate, strings)) return true;
  }
  return false;
}

type PipelineFn = (coll: Iterator, spec: unknown, options: Options) => Iterator;

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * `$in` / `$nin`: strings, numbers and booleans of the list are looked up in a set (a projector asks for
 * hundreds of `_id`s at once); everything else — regexes, documents, other BSON types, a collation — is
 * compared one by one.
 */
function membership(selector: string, operand: unknown, options: Options, op: '$in' | '$nin') {
  const list = requireArray(operand, op);
  const strings = stringsOf(options);
  const primitives = new Set<unknown>();
  const others: unknown[] = [];
  for (const candidate of list) {
    if (!strings && isPrimitive(candidate)) primitives.add(candidate);
    else others.push(candidate);
  }
  const test: ValueTest = (value) => {
    if (isPrimitive(value) && primitives.has(value)) return true;
    // A Decimal128 or Long may equal a plain number of the list.
    return inList(value, isPrimitive(value) ? others : list, strings);
  };
  return fieldOperator(test, op === '$nin')(selector, list, options);
}

type ValueTest = (value: unknown, operand: unknown, strings: StringOrder) => boolean;

function fieldOperator(test: ValueTest, negate = false) {
  return (selector: string, operand: unknown, options: Options) => {
    const strings = stringsOf(options);
    return (doc: Document): boolean => {
      const hit = matchValuesAt(doc, selector).some((v) => test(v, operand, strings));
      return negate ? !hit : hit;
    };
  };
}

// Range operators compare only within the operand's type bracket (numbers with numbers, strings with strings).
function range(accept: (c: number) => boolean): ValueTest {
  return (value, operand, strings) =>
    typeClass(value) === typeClass(operand) && accept(compareValues(value, operand, strings));
}

function requireArray(operand: unknown, op: string): readonly unknown[] {
  if (!Array.isArray(operand)) throw commandError('BadValue', `${op} needs an array`);
  return operand as unknown[];
}

export const queryOperators = {
  $eq: fieldOperator(equalsOperand),
  $ne: fieldOperator(equalsOperand, true),
  $gt: fieldOperator(range((c) => c > 0)),
  $gte: fieldOperator(range((c) => c >= 0)),
  $lt: fieldOperator(range((c) => c < 0)),
  $lte: fieldOperator(range((c) => c <= 0)),
  $in: (selector: string, operand: unknown, options: Options) =>
    membership(selector, operand, options, '$in'),
  $nin: (selector: string, operand: unknown, options: Options) =>
    membership(selector, operand, options, '$nin'),
};

function twoArguments(obj: unknown, expr: unknown, options: Options, op: string): [unknown, unknown] {
  const args = evalExpr(obj, expr, options);
  if (!Array.isArray(args) || args.length !== 2) {
    throw commandError('BadValue', `Expression ${op} takes exactly 2 arguments.`);
  }
  return [args[0], args[1]];
}

function comparison(op: string, accept: (c: number) => boolean) {
  return (obj: unknown, expr: unknown, options: Options): boolean => {
    const [a, b] = twoArguments(obj, expr, options, op);
    return accept(compareValues(a, b, stringsOf(options)));
  };
}

function nullish(value: unknown): boolean {
  return value === null || value === undefined;
}

function arithmeticFailure(op: string, value: unknown): never {
  throw commandError('TypeMismatch', `${op} only supports numeric types, not ${typeof value}`);
}

const add = (obj: unknown, expr: unknown, options: Options): unknown => {
  const args = evalExpr(obj, expr, options);
  const list = Array.isArray(args) ? (args as unknown[]) : [args];
  let total: unknown = 0;
  let date = false;
  for (const value of list) {
    if (nullish(value)) return null;
    if (value instanceof Date) {
      if (date) throw commandError('BadValue', 'only one date allowed in an $add expression');
      date = true;
      total = arithmetic('add', total, value.getTime());
    } else if (isNumeric(value)) total = arithmetic('add', total, value);
    else arithmeticFailure('$add', value);
  }
  return date ? new Date(Number(total)) : total;
};

const multiply = (obj: unknown, expr: unknown, options: Options): unknown => {
  const args = evalExpr(obj, expr, options);
  const list = Array.isArray(args) ? (args as unknown[]) : [args];
  let product: unknown = 1;
  for (const value of list) {
    if (nullish(value)) return null;
    if (!isNumeric(value)) arithmeticFailure('$multiply', value);
    product = arithmetic('multiply', product, value);
  }
  return product;
};

const subtract = (obj: unknown, expr: unknown, options: Options): unknown => {
  const [a, b] = twoArguments(obj, expr, options, '$subtract');
  if (nullish(a) || nullish(b)) return null;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (a instanceof Date && isNumeric(b)) return new Date(a.getTime() - Number(arithmetic('add', 0, b)));
  if (!isNumeric(a)) arithmeticFailure('$subtract', a);
  if (!isNumeric(b)) arithmeticFailure('$subtract', b);
  return arithmetic('subtract', a, b);
};

const divide = (obj: unknown, expr: unknown, options: Options): unknown => {
  const [a, b] = twoArguments(obj, expr, options, '$divide');
  if (nullish(a) || nullish(b)) return null;
  if (!isNumeric(a)) arithmeticFailure('$divide', a);
  if (!isNumeric(b)) arithmeticFailure('$divide', b);
  if (compareValues(b, 0) === 0) throw commandError('BadValue', "can't $divide by zero");
  return arithmetic('divide', a, b);
};

export const expressionOperators = {
  $eq: comparison('$eq', (c) => c === 0),
  $ne: comparison('$ne', (c) => c !== 0),
  $gt: comparison('$gt', (c) => c > 0),
  $gte: comparison('$gte', (c) => c >= 0),
  $lt: comparison('$lt', (c) => c < 0),
  $lte: comparison('$lte', (c) => c <= 0),
  $cmp: (obj: unknown, expr: unknown, options: Options): number => {
    const [a, b] = twoArguments(obj, expr, options, '$cmp');
    return compareValues(a, b, stringsOf(options));
  },
  $add: add,
  $multiply: multiply,
  $subtract: subtract,
  $divide: divide,
};

function accumulated(coll: unknown[], expr: unknown, options: Options): unknown[] {
  // mingo's $push evaluates the expression per document with $$ROOT bound, as every accumulator needs.
  return $push(coll, expr, options);
}

function sum(values: readonly unknown[]): { total: unknown; count: number } {
  let total: unknown = 0;
  let count = 0;
  for (const value of values) {
    if (!isNumeric(value)) continue;
    total = arithmetic('add', total, value);
    count += 1;
  }
  return { total, count };
}

function extreme(values: readonly unknown[], wanted: (c: number) => boolean, options: Options): unknown {
  const strings = stringsOf(options);
  let best: unknown = null;
  for (const value of values) {
    if (nullish(value)) continue;
    if (best === null || wanted(compareValues(value, best, strings))) best = value;
  }
  return best;
}

export const accumulatorOperators = {
  $sum: (coll: unknown[], expr: unknown, options: Options): unknown => {
    if (isNumeric(expr)) return arithmetic('multiply', coll.length, expr);
    return sum(accumulated(coll, expr, options)).total;
  },
  $avg: (coll: unknown[], expr: unknown, options: Options): unknown => {
    const { total, count } = sum(accumulated(coll, expr, options));
    if (count === 0) return null;
    return isDecimal(total) ? arithmetic('divide', total, count) : Number(total) / count;
  },
  $min: (coll: unknown[], expr: unknown, options: Options): unknown =>
    extreme(accumulated(coll, expr, options), (c) => c < 0, options),
  $max: (coll: unknown[], expr: unknown, options: Options): unknown =>
    extreme(accumulated(coll, expr, options), (c) => c > 0, options),
};

// mingo's $project emits `_id` after the projected fields; mongod keeps it first.
function idFirst(doc: Document): Document {
  if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id: _id as unknown, ...rest };
}

const mingoProject = (mingoPipeline as unknown as Record<string, PipelineFn>).$project as PipelineFn;

export const pipelineOperators = {
  $group,
  $project: (coll: Iterator, spec: unknown, options: Options): Iterator =>
    mingoProject(coll, spec, options).map((doc) => idFirst(doc as Document)),
  $sort: (coll: Iterator, spec: unknown, options: Options): Iterator => {
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      throw commandError('TypeMismatch', 'the $sort key specification must be an object');
    }
    const strings = stringsOf(options);
    return coll.transform((docs: Document[]) => Lazy(sortDocuments(docs, spec as Document, strings)));
  },
};
