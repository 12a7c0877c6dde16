import type { Document } from 'bson';
import { Aggregator as MingoAggregator } from 'mingo/aggregator';
import { Context, ProcessingMode } from 'mingo/core';
import * as mingoAccumulators from 'mingo/operators/accumulator';
import * as mingoExpressions from 'mingo/operators/expression';
import * as mingoPipeline from 'mingo/operators/pipeline';
import * as mingoProjection from 'mingo/operators/projection';
import * as mingoQuery from 'mingo/operators/query';
import * as mingoWindow from 'mingo/operators/window';
import { Query as MingoQuery } from 'mingo/query';
import type { CollationSpec, CollectionResolver, Options } from 'mingo/types/types';
import { update as mingoUpdater } from 'mingo/updater';
import type { Collation } from './collation';
import {
  accumulatorOperators,
  expressionOperators,
  pipelineOperators,
  queryOperators,
} from './mingo-operators';

// Built once: mingo's `Query`/`Aggregator` from the package root merge a context on every construction.
const CONTEXT = Context.init({
  accumulator: { ...mingoAccumulators, ...accumulatorOperators },
  expression: { ...mingoExpressions, ...expressionOperators },
  pipeline: { ...mingoPipeline, ...pipelineOperators },
  projection: { ...mingoProjection },
  query: { ...mingoQuery, ...queryOperators },
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

export { ProcessingMode };
