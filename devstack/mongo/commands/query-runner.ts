import type { Document } from 'bson';
import type { Collection, ScanStats } from '../collection';
import { commandError } from '../errors';
import { isPlainObject } from '../field-paths';
import { effectiveCollation } from '../collation';
import { newQuery, type EvalOptions } from '../mingo-context';
import { sortDocuments } from '../sort-order';
import { matchInSortOrder } from '../sorted-scan';

export interface FindSpec {
  readonly filter: Document;
  readonly sort?: Document;
  readonly projection?: Document;
  readonly skip?: number;
  readonly limit?: number;
  /** `let` variables and the collation the command runs with. */
  readonly options?: EvalOptions;
}

export interface FindResult {
  readonly docs: Document[];
  readonly stats: ScanStats;
}

const EMPTY_STATS: ScanStats = { stage: 'COLLSCAN', keysExamined: 0, docsExamined: 0 };

/** Projected fields keep the stored document's field order, as MongoDB returns them. */
function inDocumentOrder(original: Document, projected: Document): Document {
  const ordered: Document = {};
  for (const key of Object.keys(original)) if (key in projected) ordered[key] = projected[key] as unknown;
  for (const key of Object.keys(projected)) if (!(key in ordered)) ordered[key] = projected[key] as unknown;
  return ordered;
}

const isPlainField = (key: string) => key !== '' && !key.includes('.') && !key.startsWith('$');

/**
 * A projection that only names top-level fields with 1/true (or only with 0/false, `_id` either way) is a pick or
 * an omit of keys: done here rather than through mingo, which builds a query and a cursor for every document.
 */
function topLevelProjection(projection: Document): ((doc: Document) => Document) | undefined {
  const entries = Object.entries(projection);
  if (
    !entries.every(
      ([key, value]) =>
        isPlainField(key) && (value === 1 || value === true || value === 0 || value === false),
    )
  )
    return undefined;
  const shown = (value: unknown) => value === 1 || value === true;
  const others = entries.filter(([key]) => key !== '_id');
  const idShown = projection._id === undefined || shown(projection._id);
  const onlyId = others.length === 0 && projection._id !== undefined && shown(projection._id);
  if (onlyId || (others.length > 0 && others.every(([, value]) => shown(value)))) {
    const keep = new Set(others.map(([key]) => key));
    if (idShown) keep.add('_id');
    return (doc) => {
      const picked: Document = {};
      for (const key of Object.keys(doc)) if (keep.has(key)) picked[key] = doc[key] as unknown;
      return picked;
    };
  }
  if (others.some(([, value]) => shown(value))) return undefined;
  const drop = new Set(others.map(([key]) => key));
  if (!idShown) drop.add('_id');
  return (doc) => {
    const kept: Document = {};
    for (const key of Object.keys(doc)) if (!drop.has(key)) kept[key] = doc[key] as unknown;
    return kept;
  };
}

export function project(
  docs: Document[],
  projection: Document | undefined,
  options?: EvalOptions,
): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  const fast = topLevelProjection(projection);
  if (fast) return docs.map(fast);
  try {
    const query = newQuery({}, options);
    return docs.map((doc) => {
      const projected = query.find([doc], projection).next() as Document | undefined;
      return inDocumentOrder(doc, projected ?? {});
    });
  } catch (error) {
    throw commandError('BadValue', error instanceof Error ? error.message : String(error));
  }
}

/** The command's evaluation options with the collection's default collation when the command gave none. */
export function withCollectionCollation(
  options: EvalOptions | undefined,
  collection: Collection | undefined,
): EvalOptions | undefined {
  const collation = effectiveCollation(options?.collation, collection?.options);
  return collation === options?.collation ? options : { ...options, collation };
}

/**
 * A `hint` must name an existing index (by name or key pattern) or be `{$natural: ±1}`, as mongod checks; the
 * plan itself is still this server's choice, which returns the same documents.
 */
export function checkHint(collection: Collection | undefined, hint: unknown): void {
  if (hint === undefined || hint === null || hint === '' || !collection) return;
  if (isPlainObject(hint) && Object.keys(hint).length === 1 && '$natural' in hint) return;
  const matches = [...collection.indexes.values()].some((index) =>
    typeof hint === 'string' ? index.name === hint : JSON.stringify(index.key) === JSON.stringify(hint),
  );
  if (!matches) throw commandError('BadValue', 'hint provided does not correspond to an existing index');
}

export function validateFilter(filter: unknown, what = 'filter'): Document {
  if (filter === undefined || filter === null) return {};
  if (!isPlainObject(filter)) throw commandError('TypeMismatch', `${what} must be an object`);
  return filter;
}

/** The documents a find returns (filter → sort → skip → limit → projection) and what the scan cost. */
export function runFind(collection: Collection | undefined, spec: FindSpec): FindResult {
  if (spec.skip !== undefined && spec.skip < 0)
    throw commandError('BadValue', 'Skip value must be non-negative');
  if (spec.limit !== undefined && spec.limit < 0)
    throw commandError('BadValue', 'Limit value must be non-negative');
  if (!collection) return { docs: [], stats: { ...EMPTY_STATS } };
  const sort = spec.sort && Object.keys(spec.sort).length > 0 ? spec.sort : undefined;
  const wanted = spec.limit ? (spec.skip ?? 0) + spec.limit : 0;
  const options = withCollectionCollation(spec.options, collection);
  const found =
    (sort && wanted > 0 ? matchInSortOrder(collection, spec.filter, sort, wanted, options) : undefined) ??
    collection.match(spec.filter, Number.POSITIVE_INFINITY, options);
  let docs = found.matches.map((m) => m.doc);
  if (sort) docs = sortDocuments(docs, sort, options?.collation?.strings);
  const start = spec.skip ?? 0;
  const end = spec.limit ? start + spec.limit : undefined;
  if (start > 0 || end !== undefined) docs = docs.slice(start, end);
  return { docs: project(docs, spec.projection, options), stats: found.stats };
}

export function explainStats(ns: string, stats: ScanStats, nReturned: number, filter: Document): Document {
  const scan: Document =
    stats.stage === 'IXSCAN'
      ? {
          stage: 'FETCH',
          filter,
          inputStage: {
            stage: 'IXSCAN',
            keyPattern: stats.keyPattern,
            indexName: stats.indexName,
            isMultiKey: false,
            direction: 'forward',
            indexBounds: stats.indexBounds,
          },
        }
      : { stage: 'COLLSCAN', filter, direction: 'forward' };
  return {
    explainVersion: '1',
    queryPlanner: { namespace: ns, parsedQuery: filter, winningPlan: scan, rejectedPlans: [] },
    executionStats: {
      executionSuccess: true,
      nReturned,
      totalKeysExamined: stats.keysExamined,
      totalDocsExamined: stats.docsExamined,
    },
    ok: 1,
  };
}
