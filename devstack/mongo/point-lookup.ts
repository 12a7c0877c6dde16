import type { Document } from 'bson';
import type { Candidate, ScanStats } from './collection';
import type { IndexState } from './index-spec';
import { chooseIndex, describePoint } from './query-planner';
import { matchesSimple, type SimpleFilter } from './simple-match';

/**
 * The compiled plan of a simple-filter shape (every condition a scalar equality): the index the general
 * planner chooses for it and, per leading index field, which filter value supplies it.
 */
export interface PointPlan {
  readonly index: IndexState;
  readonly valuePositions: readonly number[];
}

// Enough for every shape a service uses; a flood of distinct shapes only costs re-planning.
const MAX_CACHED_SHAPES = 256;

/**
 * Point-lookup plans by filter shape. An equality-only shape always gets the same index from the planner
 * (its choice depends on the field names and the indexes, not on the values), so it is planned once; the
 * cache is cleared whenever the indexes change.
 */
export class PointPlans {
  private readonly plans = new Map<string, PointPlan | null>();

  constructor(private readonly indexes: ReadonlyMap<string, IndexState>) {}

  clear(): void {
    this.plans.clear();
  }

  planFor(simple: SimpleFilter, filter: Document): PointPlan | undefined {
    const cached = this.plans.get(simple.shape);
    if (cached !== undefined) return cached ?? undefined;
    const plan = this.compile(simple, filter);
    if (this.plans.size >= MAX_CACHED_SHAPES) this.plans.clear();
    this.plans.set(simple.shape, plan ?? null);
    return plan;
  }

  private compile(simple: SimpleFilter, filter: Document): PointPlan | undefined {
    const chosen = chooseIndex(filter, this.indexes.values());
    if (!chosen) return undefined;
    const valuePositions: number[] = [];
    for (const field of chosen.index.fields) {
      const at = simple.fields.indexOf(field);
      if (at < 0) break;
      valuePositions.push(at);
    }
    // The planner only chooses an index for an equality-only filter through its leading fields.
    return valuePositions.length > 0 ? { index: chosen.index, valuePositions } : undefined;
  }
}

/**
 * `Collection.match` for an equality-only filter with an index: the documents and stats of the general path
 * (index order, every entry of the point interval examined), without building intervals or a matcher.
 */
export function matchPoint(
  records: ReadonlyMap<number, Document>,
  plan: PointPlan,
  simple: SimpleFilter,
  limit: number,
): { matches: Candidate[]; stats: ScanStats } {
  const prefix = plan.valuePositions.map((at) => simple.values[at]);
  const entries = plan.index.tree.equal(prefix);
  const seen = plan.index.multikey && entries.length > 1 ? new Set<number>() : undefined;
  const matches: Candidate[] = [];
  let docsExamined = 0;
  for (const { rid } of entries) {
    if (seen) {
      if (seen.has(rid)) continue;
      seen.add(rid);
    }
    const doc = records.get(rid);
    if (!doc) continue;
    docsExamined += 1;
    if (matches.length < limit && matchesSimple(doc, simple)) matches.push({ rid, doc });
  }
  return { matches, stats: new PointScanStats(plan.index, prefix, entries.length, docsExamined) };
}

/** A point lookup's stats; only explain reads the bounds, so most lookups never build their text. */
class PointScanStats implements ScanStats {
  readonly stage = 'IXSCAN';
  readonly indexName: string;
  readonly keyPattern: Document;

  constructor(
    private readonly index: IndexState,
    private readonly prefix: readonly unknown[],
    public keysExamined: number,
    public docsExamined: number,
  ) {
    this.indexName = index.name;
    this.keyPattern = index.key;
  }

  get indexBounds(): Document {
    return { [this.index.fields[0] as string]: [describePoint(this.prefix)] };
  }
}
