import type { Document } from 'bson';
import { compareKeys } from './bson-order';
import { parseCollation } from './collation';
import { commandError } from './errors';
import {
  createIndexState,
  describeIndex,
  duplicateKeyError,
  ID_INDEX_NAME,
  indexKeysFor,
  keysUnchanged,
  type IndexState,
} from './index-spec';
import type { EvalOptions } from './mingo-context';
import type { IndexEntry } from './ordered-index';
import { chooseIndex } from './query-planner';
import { matchInList, matchPoint, ShapePlans } from './point-lookup';
import { matcherFor, simpleFilter, SimpleMatcher } from './simple-match';
import { validateId, withIdFirst } from './stored-document';
import { compileValidator, type DocumentValidator } from './validation';

/** What a lookup did, reported by explain and serverStatus. */
export interface ScanStats {
  readonly stage: 'IXSCAN' | 'COLLSCAN';
  readonly indexName?: string;
  readonly keyPattern?: Document;
  readonly indexBounds?: Document;
  keysExamined: number;
  docsExamined: number;
}

export interface Candidate {
  readonly rid: number;
  readonly doc: Document;
}

/** Receives every durable change so persistence can journal it. */
export interface ChangeSink {
  put(ns: string, doc: Document): void;
  remove(ns: string, id: unknown): void;
  createIndex(ns: string, spec: Document): void;
  dropIndex(ns: string, name: string): void;
  modifyCollection(ns: string, options: Document): void;
}

export type CreateIndexOutcome = 'created' | 'exists';

/** One collection: documents by record id, plus its ordered indexes (always `_id_`). */
export class Collection {
  readonly records = new Map<number, Document>();
  readonly indexes = new Map<string, IndexState>();
  private readonly shapePlans = new ShapePlans(this.indexes);
  private nextRid = 1;
  private currentOptions: Document;
  private validator: DocumentValidator | undefined;

  constructor(
    readonly db: string,
    readonly name: string,
    options: Document,
    /** Where changes go once persistence is attached (unset while recovering). */
    public sink?: ChangeSink,
  ) {
    this.currentOptions = options;
    this.validator = compileValidator(options);
    const idIndex = createIndexState({ key: { _id: 1 }, name: ID_INDEX_NAME });
    this.indexes.set(idIndex.name, idIndex);
  }

  /** The options it was created with, as collMod left them (listCollections shows them). */
  get options(): Document {
    return this.currentOptions;
  }

  /** A view (`viewOn` + `pipeline`) holds no documents; reads run its pipeline on the source. */
  get isView(): boolean {
    return typeof this.currentOptions.viewOn === 'string';
  }

  /** collMod: replaces the options (validator, validation level/action, view definition). */
  setOptions(options: Document): void {
    this.validator = compileValidator(options);
    this.currentOptions = options;
    this.sink?.modifyCollection(this.ns, options);
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.records.size;
  }

  private keysOf(doc: Document): Map<IndexState, unknown[][]> {
    const keys = new Map<IndexState, unknown[][]>();
    for (const index of this.indexes.values()) keys.set(index, indexKeysFor(index, doc));
    return keys;
  }

  private checkUnique(keys: Map<IndexState, unknown[][]>, self: number): void {
    for (const [index, tuples] of keys) this.checkUniqueIn(index, tuples, self);
  }

  private checkUniqueIn(index: IndexState, tuples: unknown[][], self: number): void {
    if (!index.unique) return;
    for (const tuple of tuples) {
      for (const entry of index.tree.equal(tuple)) {
        if (entry.rid !== self) throw this.duplicateKey(index, tuple);
      }
    }
  }

  /** The E11000 error mongod reports for a second entry of `tuple` in a unique index. */
  duplicateKey(index: IndexState, tuple: readonly unknown[]): Error {
    return duplicateKeyError(this.ns, index, tuple);
  }

  private addKeys(keys: Map<IndexState, unknown[][]>, rid: number): void {
    for (const [index, tuples] of keys) for (const key of tuples) index.tree.insert({ key, rid });
  }

  private removeKeys(keys: Map<IndexState, unknown[][]>, rid: number): void {
    for (const [index, tuples] of keys) for (const key of tuples) index.tree.remove({ key, rid });
  }

  /** Inserts a document (given an `_id` first if it has none); returns the stored document. */
  insert(input: Document, validate = true): Document {
    const doc = withIdFirst(input);
    validateId(doc);
    if (validate) this.validator?.check(doc, undefined);
    const keys = this.keysOf(doc);
    const rid = this.nextRid;
    this.checkUnique(keys, rid);
    this.nextRid += 1;
    this.records.set(rid, doc);
    this.addKeys(keys, rid);
    this.sink?.put(this.ns, doc);
    return doc;
  }

  replace(rid: number, input: Document, validate = true): Document {
    const old = this.records.get(rid);
    if (!old) throw new Error(`record ${rid} vanished`);
    const doc = withIdFirst(input);
    validateId(doc);
    if (validate) this.validator?.check(doc, old);
    const changed: Array<[IndexState, unknown[][], unknown[][]]> = [];
    for (const index of this.indexes.values()) {
      if (keysUnchanged(index, old, doc)) continue;
      changed.push([index, indexKeysFor(index, old), indexKeysFor(index, doc)]);
    }
    for (const [index, , tuples] of changed) this.checkUniqueIn(index, tuples, rid);
    for (const [index, before, tuples] of changed) {
      const same =
        before.length === tuples.length && before.every((t, i) => compareKeys(t, tuples[i] ?? [], []) === 0);
      if (same) continue;
      for (const key of before) index.tree.remove({ key, rid });
      for (const key of tuples) index.tree.insert({ key, rid });
    }
    this.records.set(rid, doc);
    this.sink?.put(this.ns, doc);
    return doc;
  }

  remove(rid: number): Document | undefined {
    const doc = this.records.get(rid);
    if (!doc) return undefined;
    this.removeKeys(this.keysOf(doc), rid);
    this.records.delete(rid);
    this.sink?.remove(this.ns, doc._id);
    return doc;
  }

  /** The record id of the document with this `_id`, if any. */
  ridOfId(id: unknown): number | undefined {
    const index = this.indexes.get(ID_INDEX_NAME) as IndexState;
    for (const entry of index.tree.equal([id])) return entry.rid;
    return undefined;
  }

  /** Documents that may match `filter` (an index narrows them when one applies), with what it cost. */
  candidates(filter: Document): { candidates: Candidate[]; stats: ScanStats } {
    const plan = chooseIndex(filter, this.indexes.values());
    if (!plan) {
      const candidates: Candidate[] = [];
      for (const [rid, doc] of this.records) candidates.push({ rid, doc });
      return { candidates, stats: { stage: 'COLLSCAN', keysExamined: 0, docsExamined: candidates.length } };
    }
    const seen = new Set<number>();
    const candidates: Candidate[] = [];
    let keysExamined = 0;
    for (const interval of plan.intervals) {
      for (const entry of plan.index.tree.range(interval.start, interval.pastEnd)) {
        keysExamined += 1;
        if (seen.has(entry.rid)) continue;
        seen.add(entry.rid);
        const doc = this.records.get(entry.rid);
        if (doc) candidates.push({ rid: entry.rid, doc });
      }
    }
    const stats: ScanStats = {
      stage: 'IXSCAN',
      indexName: plan.index.name,
      keyPattern: plan.index.key,
      indexBounds: { [plan.boundsField]: plan.intervals.map((i) => i.describe) },
      keysExamined,
      docsExamined: candidates.length,
    };
    return { candidates, stats };
  }

  /**
   * Documents matching `filter`, in index or natural order; a scan stops once `limit` documents matched. Under a
   * non-simple collation string comparisons differ from the (binary) index order, so the collection is scanned.
   */
  match(
    filter: Document,
    limit = Number.POSITIVE_INFINITY,
    options?: EvalOptions,
  ): { matches: Candidate[]; stats: ScanStats } {
    const collated = options?.collation?.strings !== undefined;
    const simple = collated ? undefined : simpleFilter(filter);
    const plan = simple ? this.shapePlans.planFor(simple, filter) : undefined;
    if (simple && plan?.kind === 'point') return matchPoint(this.records, plan, simple, limit);
    if (simple && plan?.kind === 'in') return matchInList(this.records, plan, simple, limit);
    let test: (doc: Document) => boolean;
    if (simple) {
      const matcher = new SimpleMatcher(simple);
      test = (doc) => matcher.test(doc);
    } else test = matcherFor(filter, collated, options);
    const matches: Candidate[] = [];
    const scan = plan ? plan.kind === 'scan' : collated || !chooseIndex(filter, this.indexes.values());
    if (scan) {
      let docsExamined = 0;
      for (const [rid, doc] of this.records) {
        if (matches.length >= limit) break;
        docsExamined += 1;
        if (test(doc)) matches.push({ rid, doc });
      }
      return { matches, stats: { stage: 'COLLSCAN', keysExamined: 0, docsExamined } };
    }
    const { candidates, stats } = this.candidates(filter);
    for (const candidate of candidates) {
      if (matches.length >= limit) break;
      if (test(candidate.doc)) matches.push(candidate);
    }
    return { matches, stats };
  }

  createIndex(spec: Document): CreateIndexOutcome {
    const index = createIndexState(spec);
    const collation = parseCollation(spec.collation ?? this.options.collation, 'createIndexes');
    if (collation?.strings && index.unique) {
      // Uniqueness under a collation needs collation keys in the index; this server's keys are binary.
      throw commandError('NotImplemented', 'unique indexes with a non-simple collation are not supported');
    }
    for (const existing of this.indexes.values()) {
      const sameKey = JSON.stringify(existing.key) === JSON.stringify(index.key);
      if (existing.name === index.name) {
        if (sameKey && JSON.stringify(existing.options) === JSON.stringify(index.options)) return 'exists';
        throw commandError(
          sameKey ? 'IndexOptionsConflict' : 'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(describeIndex(index))}, existing index: ${JSON.stringify(describeIndex(existing))}`,
        );
      }
      if (sameKey && JSON.stringify(existing.options) === JSON.stringify(index.options)) {
        throw commandError(
          'IndexOptionsConflict',
          `Index already exists with a different name: ${existing.name}`,
        );
      }
    }
    const entries: IndexEntry[] = [];
    for (const [rid, doc] of this.records)
      for (const key of indexKeysFor(index, doc)) entries.push({ key, rid });
    index.tree.build(
      entries,
      index.unique
        ? (key) => {
            throw this.duplicateKey(index, key);
          }
        : undefined,
    );
    this.indexes.set(index.name, index);
    this.shapePlans.clear();
    this.sink?.createIndex(this.ns, { ...describeIndex(index) });
    return 'created';
  }

  /** collMod of an index option; journaled as the index's new definition. */
  setIndexOption(index: IndexState, option: 'hidden', value: unknown): void {
    index.options[option] = value;
    this.shapePlans.clear();
    this.sink?.dropIndex(this.ns, index.name);
    this.sink?.createIndex(this.ns, describeIndex(index));
  }

  dropIndex(name: string): void {
    if (name === ID_INDEX_NAME) throw commandError('InvalidOptions', 'cannot drop _id index');
    if (!this.indexes.delete(name))
      throw commandError('IndexNotFound', `index not found with name [${name}]`);
    this.shapePlans.clear();
    this.sink?.dropIndex(this.ns, name);
  }

  dropIndexByKey(key: Document): string {
    for (const index of this.indexes.values()) {
      if (JSON.stringify(index.key) === JSON.stringify(key)) {
        this.dropIndex(index.name);
        return index.name;
      }
    }
    throw commandError('IndexNotFound', `can't find index with key: ${JSON.stringify(key)}`);
  }

  listIndexes(): Document[] {
    return [...this.indexes.values()].map(describeIndex);
  }
}
