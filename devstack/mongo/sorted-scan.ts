import type { Document } from 'bson';
import { Query } from 'mingo';
import type { Candidate, Collection, ScanStats } from './collection';
import { chooseIndex } from './query-planner';
import { simpleMatcher } from './simple-match';

/**
 * For `sort` + `limit`: walks an index in the sort's order and stops after `wanted` matches, instead of
 * matching and sorting everything. Undefined when no plain index fits the sort, or the filter has a better one.
 */
export function matchInSortOrder(
  collection: Collection,
  filter: Document,
  sort: Document,
  wanted: number,
): { matches: Candidate[]; stats: ScanStats } | undefined {
  const sortFields = Object.keys(sort);
  const directions = Object.values(sort);
  if (directions.some((d) => d !== 1 && d !== -1)) return undefined;
  const reverse = directions[0] === -1;
  const index = [...collection.indexes.values()].find(
    (i) =>
      !i.multikey &&
      !i.sparse &&
      !i.partial &&
      sortFields.every(
        (f, n) => i.fields[n] === f && ((i.key[f] === 1) === (directions[n] === 1)) !== reverse,
      ),
  );
  if (!index) return undefined;
  const plan = chooseIndex(filter, collection.indexes.values());
  if (plan && plan.index !== index) return undefined;
  const test =
    Object.keys(filter).length === 0
      ? () => true
      : (simpleMatcher(filter) ??
        (
          (q: Query) => (d: Document) =>
            q.test(d)
        )(new Query(filter)));
  const matches: Candidate[] = [];
  const stats: ScanStats = {
    stage: 'IXSCAN',
    indexName: index.name,
    keyPattern: index.key,
    indexBounds: {},
    keysExamined: 0,
    docsExamined: 0,
  };
  const entries = reverse ? index.tree.descending() : index.tree.range();
  for (const entry of entries) {
    stats.keysExamined += 1;
    const doc = collection.records.get(entry.rid);
    if (!doc) continue;
    stats.docsExamined += 1;
    if (test(doc)) matches.push({ rid: entry.rid, doc });
    if (matches.length >= wanted) break;
  }
  return { matches, stats };
}
