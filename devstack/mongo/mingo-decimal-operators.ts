import { Decimal128, type Document } from 'bson';
import { evalExpr } from 'mingo/core';
import * as mingoExpressions from 'mingo/operators/expression';
import type { Options } from 'mingo/types/types';
import { isDecimal, isNumeric, toNumber } from './bson-numbers';
import { bsonTypeName, hasBsonType } from './bson-type-names';
import { matchValuesAt } from './field-paths';

/**
 * mingo's numeric and type expressions know JavaScript numbers only. These run them on a Decimal128's value
 * and give a Decimal128 back where MongoDB does (`$round` of a decimal is a decimal), and name BSON types as
 * MongoDB does.
 */

type Expression = (obj: unknown, expr: unknown, options: Options) => unknown;

const literal = (value: unknown): Document => ({ $literal: value });

function numbersOnly(value: unknown): unknown {
  return isDecimal(value) ? toNumber(value) : value;
}

function decimalOf(value: unknown): unknown {
  return typeof value === 'number' ? Decimal128.fromString(String(value)) : value;
}

/** Evaluates the arguments once, hands mingo plain numbers, and converts the result back when asked. */
function onDecimals(op: Expression, decimalResult: boolean): Expression {
  return (obj, expr, options) => {
    const args = evalExpr(obj, expr, options);
    const list = Array.isArray(expr) ? (args as unknown[]) : [args];
    const decimal = list.some(isDecimal);
    const given = Array.isArray(expr) ? list.map((v) => literal(numbersOnly(v))) : literal(numbersOnly(args));
    const result = op(obj, given, options);
    return decimal && decimalResult ? decimalOf(result) : result;
  };
}

const mingo = mingoExpressions as unknown as Record<string, Expression>;

function wrap(names: readonly string[], decimalResult: boolean): Record<string, Expression> {
  const ops: Record<string, Expression> = {};
  for (const name of names) {
    const op = mingo[name];
    if (op) ops[name] = onDecimals(op, decimalResult);
  }
  return ops;
}

const DECIMAL_RESULT = [
  '$abs',
  '$ceil',
  '$floor',
  '$round',
  '$trunc',
  '$mod',
  '$pow',
  '$sqrt',
  '$exp',
  '$ln',
  '$log',
  '$log10',
];
const NUMBER_RESULT = ['$toDouble', '$toInt', '$toLong', '$toBool'];

export const decimalExpressionOperators: Record<string, Expression> = {
  ...wrap(DECIMAL_RESULT, true),
  ...wrap(NUMBER_RESULT, false),
  $toDecimal: (obj, expr, options) => {
    const value = evalExpr(obj, expr, options);
    if (value === null || value === undefined) return null;
    if (isDecimal(value)) return value;
    if (typeof value === 'boolean') return Decimal128.fromString(value ? '1' : '0');
    if (value instanceof Date) return Decimal128.fromString(String(value.getTime()));
    if (typeof value === 'string') return Decimal128.fromString(value.trim());
    return Decimal128.fromString(String(toNumber(value)));
  },
  $toString: (obj, expr, options) => {
    const value = evalExpr(obj, expr, options);
    if (isDecimal(value)) return value.toString();
    return (mingo.$toString as Expression)(obj, literal(value), options);
  },
  $type: (obj, expr, options) => bsonTypeName(evalExpr(obj, expr, options)),
  $isNumber: (obj, expr, options) => isNumeric(evalExpr(obj, expr, options)),
};

export const decimalQueryOperators = {
  $type: (selector: string, operand: unknown, _options: Options) => {
    const types = Array.isArray(operand) ? (operand as unknown[]) : [operand];
    return (doc: Document): boolean =>
      matchValuesAt(doc, selector).some((v) => v !== undefined && types.some((t) => hasBsonType(v, t)));
  },
};
