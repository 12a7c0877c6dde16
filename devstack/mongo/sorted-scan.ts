import type { Document } from 'bson';
import { compareKeys } from './bson-order';
import type { Candidate, Collection, ScanStats } from './collection';
import type { IndexState } from './index-spec';
import type { IndexEntry } from './ordered-index';
import { chooseIndex, equalityPrefix } from './query-planner';
import type { EvalOptions } from './mingo-context';
import { matcherFor } from './simple-match';

const NO_DIRECTIONS: readonly number[] = [];

interface SortPlan {
  readonly index: IndexState;
  readonly prefix: unknown[];
}

/**
 * An index that yields documents in the sort's order: its fields are the filter's equality fields, then the
 * sort fields. Entries are stored ascending on every field, so the sort's directions must all agree (walked
 * forwards for ascending, backwards for descending).
 */
function sortPlan(collection: Collection, filter: Document, sortFields: string[]): SortPlan | undefined {
  let best: SortPlan | undefined;
  for (const index of collection.indexes.values()) {
    if (index.multikey || index.sparse || index.partial || index.options.hidden === true) continue;
    const prefix = equalityPrefix(filter, index.fields).slice(0, index.fields.length - sortFields.length);
    const rest = index.fields.slice(prefix.length, prefix.length + sortFields.length);
    if (rest.length !== sortFields.length || !sortFields.every((f, n) => rest[n] === f)) continue;
    if (!best || prefix.length > best.prefix.length) best = { index, prefix };
  }
  return best;
}

function entriesInOrder(plan: SortPlan, reverse: boolean): Iterable<IndexEntry> {
  const { tree } = plan.index;
  if (plan.prefix.length === 0) return reverse ? tree.descending() : tree.range();
  const inPrefix = [
    ...tree.range(
      (e) => compareKeys(e.key, plan.prefix, NO_DIRECTIONS) >= 0,
      (e) => compareKeys(e.key, plan.prefix, NO_DIRECTIONS) > 0,
    ),
  ];
  return reverse ? inPrefix.reverse() : inPrefix;
}

/**
 * For `sort` + `limit`: walks an index in the sort's order and stops after `wanted` matches, instead of
 * matching and sorting everything. Undefined when no index fits the sort, or the filter has a better one.
 */
export function matchInSortOrder(
  collection: Collection,
  filter: Document,
  sort: Document,
  wanted: number,
  options?: EvalOptions,
): { matches: Candidate[]; stats: ScanStats } | undefined {
  if (options?.collation?.strings) return undefined;
  const sortFields = Object.keys(sort);
  const directions = Object.values(sort);
  if (!directions.every((d) => d === directions[0] && (d === 1 || d === -1))) return undefined;
  const plan = sortPlan(collection, filter, sortFields);
  if (!plan) return undefined;
  const filterPlan = chooseIndex(filter, collection.indexes.values());
  // Another index is better when it is the filter's only narrowing, or it pins down a unique key.
  const otherIndex = filterPlan && filterPlan.index !== plan.index;
  if (otherIndex && (plan.prefix.length === 0 || filterPlan.index.unique)) return undefined;
  const test = matcherFor(filter, false, options);
  const matches: Candidate[] = [];
  const stats: ScanStats = {
    stage: 'IXSCAN',
    indexName: plan.index.name,
    keyPattern: plan.index.key,
    indexBounds: {},
    keysExamined: 0,
    docsExamined: 0,
  };
  for (const entry of entriesInOrder(plan, directions[0] === -1)) {
    stats.keysExamined += 1;
    const doc = collection.records.get(entry.rid);
    if (!doc) continue;
    stats.docsExamined += 1;
    if (test(doc)) matches.push({ rid: entry.rid, doc });
    if (matches.length >= wanted) break;
  }
  return { matches, stats };
}
