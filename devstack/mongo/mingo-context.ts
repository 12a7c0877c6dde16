import type { Document } from 'bson';
import { Aggregator as MingoAggregator } from 'mingo/aggregator';
import { Context, evalExpr, ProcessingMode } from 'mingo/core';
import * as mingoAccumulators from 'mingo/operators/accumulator';
import * as mingoExpressions from 'mingo/operators/expression';
import * as mingoPipeline from 'mingo/operators/pipeline';
import * as mingoProjection from 'mingo/operators/projection';
import * as mingoQuery from 'mingo/operators/query';
import * as mingoWindow from 'mingo/operators/window';
import { Query as MingoQuery } from 'mingo/query';
import type { CollationSpec, CollectionResolver, Options } from 'mingo/types/types';
import { update as mingoUpdater } from 'mingo/updater';
import { parseCollation, type Collation } from './collation';
import { decimalExpressionOperators, decimalQueryOperators } from './mingo-decimal-operators';
import { commandError } from './errors';
import { isPlainObject } from './field-paths';
import {
  accumulatorOperators,
  expressionOperators,
  pipelineOperators,
  queryOperators,
} from './mingo-operators';

// Built once: mingo's `Query`/`Aggregator` from the package root merge a context on every construction.
const CONTEXT = Context.init({
  accumulator: { ...mingoAccumulators, ...accumulatorOperators },
  expression: { ...mingoExpressions, ...decimalExpressionOperators, ...expressionOperators },
  pipeline: { ...mingoPipeline, ...pipelineOperators },
  projection: { ...mingoProjection },
  query: { ...mingoQuery, ...decimalQueryOperators, ...queryOperators },
  window: { ...mingoWindow },
});

/** What a command adds to mingo's evaluation: `let` variables, a collation, other collections. */
export interface EvalOptions {
  readonly variables?: Document;
  readonly collation?: Collation;
  readonly collectionResolver?: CollectionResolver;
  readonly processingMode?: ProcessingMode;
}

function optionsFor(given: EvalOptions = {}): Partial<Options> {
  return {
    context: CONTEXT,
    variables: given.variables,
    collation: given.collation?.strings ? (given.collation.spec as unknown as CollationSpec) : undefined,
    collectionResolver: given.collectionResolver,
    processingMode: given.processingMode ?? ProcessingMode.CLONE_OFF,
  };
}

export function newQuery(filter: Document, options?: EvalOptions): MingoQuery {
  return new MingoQuery(filter, optionsFor(options));
}

export function newAggregator(pipeline: Document[], options?: EvalOptions): MingoAggregator {
  return new MingoAggregator(pipeline, optionsFor(options));
}

/** mingo's update operators applied in place to `doc`; returns the changed paths. */
export function applyMingoUpdate(
  doc: Document,
  operators: Document,
  arrayFilters: Document[] | undefined,
  query: Document | undefined,
  options?: EvalOptions,
): string[] {
  return mingoUpdater(doc, operators, arrayFilters, query, {
    cloneMode: 'deep',
    queryOptions: optionsFor(options),
  });
}

// mongod's rule for user variable names: a lowercase or non-ASCII first character, then letters, digits, `_`.
const USER_VARIABLE = /^[a-z\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*$/;

/**
 * A command's `let`: each value is an expression evaluated once, before the command runs, as mongod does
 * (`{total: {$add: [1, 2]}}` binds `$$total` to 3).
 */
export function letVariables(value: unknown, command: string): Document | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    throw commandError(
      'TypeMismatch',
      `BSON field '${command}.let' is the wrong type '${Array.isArray(value) ? 'array' : typeof value}', expected type 'object'`,
    );
  }
  const options = optionsFor();
  const variables: Document = {};
  for (const [name, expr] of Object.entries(value)) {
    if (!USER_VARIABLE.test(name)) {
      throw commandError(
        'InvalidVariableName',
        `'${name}' starts with an invalid character for a user variable name`,
      );
    }
    variables[name] = evalExpr({}, expr, options as Options);
  }
  return variables;
}

/** The `let` variables and collation of a command, as the options its evaluation runs with. */
export function commandEvalOptions(body: Document, command: string, extra?: Document): EvalOptions {
  const variables = letVariables(body.let, command);
  return {
    variables: extra ? { ...variables, ...extra } : variables,
    collation: parseCollation(body.collation, command),
  };
}

export { ProcessingMode };
