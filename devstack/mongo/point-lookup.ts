import type { Document } from 'bson';
import { compareValues } from './bson-order';
import type { Candidate, ScanStats } from './collection';
import type { IndexState } from './index-spec';
import type { IndexEntry } from './ordered-index';
import { chooseIndex, describePoint } from './query-planner';
import { equalityOperandAt, inListAt, SimpleMatcher, type SimpleFilter } from './simple-match';

/**
 * What the general planner does with a simple filter of one plan key: equalities on an index's leading fields
 * (and which operands supply them), a `$in` list on its first field, a range (planned per call, as its bounds
 * are the operands), or no index at all.
 */
export type ShapePlan =
  | { readonly kind: 'point'; readonly index: IndexState; readonly valuePositions: readonly number[] }
  | { readonly kind: 'in'; readonly index: IndexState; readonly listAt: number }
  | { readonly kind: 'range' }
  | { readonly kind: 'scan' };

// Enough for every shape a service uses; a flood of distinct shapes only costs re-planning.
const MAX_CACHED_SHAPES = 256;

/**
 * Plans by plan key. The planner's choice for a simple filter depends on its fields, operators and operand
 * type classes and on the indexes, never on the operand values, so each key is planned once; the cache is
 * cleared whenever the indexes change.
 */
export class ShapePlans {
  private readonly plans = new Map<string, ShapePlan>();

  constructor(private readonly indexes: ReadonlyMap<string, IndexState>) {}

  clear(): void {
    this.plans.clear();
  }

  planFor(simple: SimpleFilter, filter: Document): ShapePlan {
    const cached = this.plans.get(simple.planKey);
    if (cached !== undefined) return cached;
    const plan = this.compile(simple, filter);
    if (this.plans.size >= MAX_CACHED_SHAPES) this.plans.clear();
    this.plans.set(simple.planKey, plan);
    return plan;
  }

  private compile(simple: SimpleFilter, filter: Document): ShapePlan {
    const chosen = chooseIndex(filter, this.indexes.values());
    if (!chosen) return { kind: 'scan' };
    const { index, lookup } = chosen;
    if (lookup.kind === 'range') return lookup;
    if (lookup.kind === 'in')
      return { kind: 'in', index, listAt: inListAt(simple, index.fields[0] as string) };
    const valuePositions = index.fields
      .slice(0, lookup.fields)
      .map((field) => equalityOperandAt(simple, field));
    return { kind: 'point', index, valuePositions };
  }
}

/** The documents of index entries in turn, each record once, tested; what it cost, as the general path counts. */
class EntryScan {
  readonly matches: Candidate[] = [];
  keysExamined = 0;
  docsExamined = 0;
  private readonly seen: Set<number> | undefined;

  constructor(
    private readonly records: ReadonlyMap<number, Document>,
    private readonly matcher: SimpleMatcher,
    private readonly limit: number,
    dedupe: boolean,
  ) {
    this.seen = dedupe ? new Set() : undefined;
  }

  add(entries: readonly IndexEntry[]): void {
    this.keysExamined += entries.length;
    for (const { rid } of entries) {
      if (this.seen) {
        if (this.seen.has(rid)) continue;
        this.seen.add(rid);
      }
      const doc = this.records.get(rid);
      if (!doc) continue;
      this.docsExamined += 1;
      if (this.matches.length < this.limit && this.matcher.test(doc)) this.matches.push({ rid, doc });
    }
  }
}

/**
 * `Collection.match` for a point plan: the documents and stats of the general path (index order, every entry
 * of the point interval examined), without building intervals or a mingo matcher.
 */
export function matchPoint(
  records: ReadonlyMap<number, Document>,
  plan: Extract<ShapePlan, { kind: 'point' }>,
  simple: SimpleFilter,
  limit: number,
): { matches: Candidate[]; stats: ScanStats } {
  const prefix = plan.valuePositions.map((at) => simple.values[at]);
  const entries = plan.index.tree.equal(prefix);
  const scan = new EntryScan(
    records,
    new SimpleMatcher(simple),
    limit,
    plan.index.multikey && entries.length > 1,
  );
  scan.add(entries);
  const bounds = new PointBounds(plan.index, [prefix]);
  return { matches: scan.matches, stats: new LookupScanStats(bounds, scan.keysExamined, scan.docsExamined) };
}

/** `Collection.match` for a `$in` plan: one point per list value in BSON order, each record examined once. */
export function matchInList(
  records: ReadonlyMap<number, Document>,
  plan: Extract<ShapePlan, { kind: 'in' }>,
  simple: SimpleFilter,
  limit: number,
): { matches: Candidate[]; stats: ScanStats } {
  const list = simple.values[plan.listAt] as readonly unknown[];
  const points = list.map((value) => [value]).sort((a, b) => compareValues(a[0], b[0]));
  const dedupe = points.length > 1 || plan.index.multikey;
  const scan = new EntryScan(records, new SimpleMatcher(simple), limit, dedupe);
  for (const point of points) scan.add(plan.index.tree.equal(point));
  const bounds = new PointBounds(plan.index, points);
  return { matches: scan.matches, stats: new LookupScanStats(bounds, scan.keysExamined, scan.docsExamined) };
}

/** The bounds of point lookups; only explain reads their text, so most lookups never build it. */
class PointBounds {
  constructor(
    readonly index: IndexState,
    private readonly points: readonly (readonly unknown[])[],
  ) {}

  get text(): Document {
    return { [this.index.fields[0] as string]: this.points.map(describePoint) };
  }
}

class LookupScanStats implements ScanStats {
  readonly stage = 'IXSCAN';
  readonly indexName: string;
  readonly keyPattern: Document;

  constructor(
    private readonly bounds: PointBounds,
    public keysExamined: number,
    public docsExamined: number,
  ) {
    this.indexName = bounds.index.name;
    this.keyPattern = bounds.index.key;
  }

  get indexBounds(): Document {
    return this.bounds.text;
  }
}
