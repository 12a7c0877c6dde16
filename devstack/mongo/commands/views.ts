import type { Document } from 'bson';
import type { Catalog } from '../catalog';
import { commandError } from '../errors';
import { isPlainObject } from '../field-paths';
import type { FindSpec } from './query-runner';

// mongod refuses views nested deeper than this (ViewDepthLimitExceeded).
const MAX_VIEW_DEPTH = 20;
const WRITING_STAGES = new Set(['$out', '$merge']);
const COLLECTION_ONLY_OPTIONS = ['capped', 'size', 'max', 'validator', 'validationLevel', 'validationAction'];

/** A view resolved down to a real collection and the pipeline that produces the view's documents. */
export interface ResolvedView {
  readonly source: string;
  readonly pipeline: Document[];
}

/** Undefined when `name` is not a view. */
export function resolveView(catalog: Catalog, db: string, name: string): ResolvedView | undefined {
  let current = catalog.get(db, name);
  if (!current?.isView) return undefined;
  const pipelines: Document[][] = [];
  let source = name;
  while (current?.isView) {
    if (pipelines.length >= MAX_VIEW_DEPTH) {
      throw commandError(
        'ViewDepthLimitExceeded',
        `View depth too deep or view cycle detected; maximum depth is ${MAX_VIEW_DEPTH}`,
      );
    }
    pipelines.unshift((current.options.pipeline as Document[] | undefined) ?? []);
    source = current.options.viewOn as string;
    current = catalog.get(db, source);
  }
  return { source, pipeline: pipelines.flat() };
}

/** A find (or count/distinct query) on a view, as the aggregation stages mongod rewrites it into. */
export function findAsPipeline(spec: FindSpec): Document[] {
  const stages: Document[] = [];
  if (Object.keys(spec.filter).length > 0) stages.push({ $match: spec.filter });
  if (spec.sort && Object.keys(spec.sort).length > 0) stages.push({ $sort: spec.sort });
  if (spec.skip) stages.push({ $skip: spec.skip });
  if (spec.limit) stages.push({ $limit: spec.limit });
  if (spec.projection && Object.keys(spec.projection).length > 0) stages.push({ $project: spec.projection });
  return stages;
}

/** The options `create` stores for a view, validated as mongod validates a view definition. */
export function viewOptions(body: Document, ns: string): Document {
  const viewOn = body.viewOn as unknown;
  if (typeof viewOn !== 'string' || viewOn.length === 0) {
    throw commandError(
      'TypeMismatch',
      "BSON field 'create.viewOn' is the wrong type, expected type 'string'",
    );
  }
  const pipeline = (body.pipeline as unknown) ?? [];
  if (!Array.isArray(pipeline) || !pipeline.every((stage) => isPlainObject(stage))) {
    throw commandError(
      'TypeMismatch',
      "BSON field 'create.pipeline' is the wrong type, expected type 'array'",
    );
  }
  for (const stage of pipeline as Document[]) {
    const name = Object.keys(stage)[0] ?? '';
    if (WRITING_STAGES.has(name)) {
      throw commandError(
        'OptionNotSupportedOnView',
        `The aggregation stage ${name} of the pipeline cannot be used in the view definition of ${ns} because it writes to disk`,
      );
    }
  }
  for (const option of COLLECTION_ONLY_OPTIONS) {
    if (body[option] !== undefined)
      throw commandError('InvalidOptions', `option not supported on a view: ${option}`);
  }
  if (body.collation !== undefined) {
    throw commandError('NotImplemented', 'a default collation on a view is not supported by devstack-mongo');
  }
  return { viewOn, pipeline };
}
