import type { Document } from 'bson';
import { Collection, type ChangeSink } from './collection';
import { commandError } from './errors';

/** Receives catalog-level changes as well as document changes (persistence journals all of them). */
export interface CatalogSink extends ChangeSink {
  createCollection(ns: string, options: Document): void;
  dropCollection(ns: string): void;
  dropDatabase(db: string): void;
}

const INVALID_DB_CHARS = /[/\\. "$\0]/;

export function validateDbName(db: string): void {
  if (db.length === 0 || INVALID_DB_CHARS.test(db) || db.length > 63) {
    throw commandError('InvalidNamespace', `Invalid database name: '${db}'`);
  }
}

export function validateCollectionName(db: string, name: string): void {
  if (name.length === 0 || name.includes('$') || name.includes('\0') || name.startsWith('.')) {
    throw commandError('InvalidNamespace', `Invalid collection name: ${db}.${name}`);
  }
}

/** All databases and their collections, in memory. */
export class Catalog {
  private readonly databases = new Map<string, Map<string, Collection>>();
  private sink?: CatalogSink;

  /** Routes every later change to `sink` (persistence attaches after recovery so replay is not re-journaled). */
  attachSink(sink: CatalogSink | undefined): void {
    this.sink = sink;
    for (const collections of this.databases.values()) for (const c of collections.values()) c.sink = sink;
  }

  /** Every collection of every database. */
  allCollections(): Collection[] {
    return [...this.databases.values()].flatMap((collections) => [...collections.values()]);
  }

  databaseNames(): string[] {
    return [...this.databases.keys()].filter((db) => (this.databases.get(db)?.size ?? 0) > 0);
  }

  collections(db: string): Collection[] {
    return [...(this.databases.get(db)?.values() ?? [])];
  }

  get(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** Creates the collection; `exists` when it already did (callers decide whether that is an error). */
  create(db: string, name: string, options: Document = {}): { collection: Collection; created: boolean } {
    validateDbName(db);
    validateCollectionName(db, name);
    let collections = this.databases.get(db);
    if (!collections) {
      collections = new Map();
      this.databases.set(db, collections);
    }
    const existing = collections.get(name);
    if (existing) return { collection: existing, created: false };
    const collection = new Collection(db, name, options, this.sink);
    collections.set(name, collection);
    this.sink?.createCollection(collection.ns, options);
    return { collection, created: true };
  }

  /** The collection, created implicitly as MongoDB does on first write; a view cannot be written. */
  getOrCreate(db: string, name: string): Collection {
    return this.writable(db, name) ?? this.create(db, name).collection;
  }

  /** The collection a write or index command targets, if it exists; a view is refused as mongod does. */
  writable(db: string, name: string): Collection | undefined {
    const collection = this.get(db, name);
    if (collection?.isView) {
      throw commandError(
        'CommandNotSupportedOnView',
        `Namespace ${collection.ns} is a view, not a collection`,
      );
    }
    return collection;
  }

  drop(db: string, name: string): boolean {
    const collections = this.databases.get(db);
    if (!collections?.delete(name)) return false;
    this.sink?.dropCollection(`${db}.${name}`);
    return true;
  }

  rename(db: string, from: string, toDb: string, to: string, dropTarget: boolean): void {
    const source = this.get(db, from);
    if (!source) throw commandError('NamespaceNotFound', 'Source collection does not exist');
    if (this.get(toDb, to)) {
      if (!dropTarget) throw commandError('NamespaceExists', 'target namespace exists');
      this.drop(toDb, to);
    }
    const target = this.create(toDb, to, source.options).collection;
    for (const spec of source.listIndexes()) if (spec.name !== '_id_') target.createIndex(spec);
    for (const doc of source.records.values()) target.insert(doc, false);
    this.drop(db, from);
  }

  dropDatabase(db: string): void {
    if (this.databases.delete(db)) this.sink?.dropDatabase(db);
  }
}
