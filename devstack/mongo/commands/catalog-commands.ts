import type { Document } from 'bson';
import type { Collection } from '../collection';
import { parseCollation } from '../collation';
import { cursorDocument } from '../cursors';
import { bsonSize } from '../document-clone';
import { commandError } from '../errors';
import { isPlainObject } from '../field-paths';
import { defaultIndexName } from '../index-spec';
import { newQuery } from '../mingo-context';
import { validateValidationOptions } from '../validation';
import { collMod } from './coll-mod';
import { collectionName, type CommandContext, type CommandHandler } from './context';
import { viewOptions } from './views';

const CREATE_OPTION_FIELDS = ['validator', 'validationLevel', 'validationAction', 'collation'];

// Options of mongod's create this server cannot honour; `capped: false` is the default and accepted.
const UNSUPPORTED_CREATE_OPTIONS = [
  'capped',
  'timeseries',
  'clusteredIndex',
  'expireAfterSeconds',
  'changeStreamPreAndPostImages',
  'encryptedFields',
  'storageEngine',
  'indexOptionDefaults',
];

const SIZE_SAMPLE = 100;

/** Approximate bytes from a sample, so listing databases stays cheap on large collections. */
function estimatedSize(collection: Collection): number {
  let sampled = 0;
  let bytes = 0;
  for (const doc of collection.records.values()) {
    bytes += bsonSize(doc);
    sampled += 1;
    if (sampled >= SIZE_SAMPLE) break;
  }
  return sampled === 0 ? 0 : Math.round((bytes / sampled) * collection.size);
}

function dataSize(collection: Collection): number {
  let size = 0;
  for (const doc of collection.records.values()) size += bsonSize(doc);
  return size;
}

function requireCollection(ctx: CommandContext, name: string): Collection {
  const collection = ctx.catalog.writable(ctx.db, name);
  if (!collection) throw commandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  return collection;
}

const listDatabases: CommandHandler = (body, ctx) => {
  let databases = ctx.catalog.databaseNames().map((name) => {
    const collections = ctx.catalog.collections(name);
    const size = collections.reduce((sum, c) => sum + estimatedSize(c), 0);
    return { name, sizeOnDisk: size, empty: collections.every((c) => c.size === 0) };
  });
  if (isPlainObject(body.filter)) {
    const query = newQuery(body.filter);
    databases = databases.filter((d) => query.test(d));
  }
  if (body.nameOnly === true) return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
  const totalSize = databases.reduce((sum, d) => sum + d.sizeOnDisk, 0);
  return { databases, totalSize, totalSizeMb: Math.floor(totalSize / 1024 / 1024), ok: 1 };
};

const listCollections: CommandHandler = (body, ctx) => {
  let infos: Document[] = ctx.catalog.collections(ctx.db).map((c) =>
    c.isView
      ? { name: c.name, type: 'view', options: c.options, info: { readOnly: true } }
      : {
          name: c.name,
          type: 'collection',
          options: c.options,
          info: { readOnly: false },
          idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
        },
  );
  if (isPlainObject(body.filter)) {
    const query = newQuery(body.filter);
    infos = infos.filter((info) => query.test(info));
  }
  if (body.nameOnly === true)
    infos = infos.map((info) => ({ name: info.name as string, type: info.type as string }));
  const cursor = isPlainObject(body.cursor) ? body.cursor : {};
  const batchSize = typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined;
  return cursorDocument(ctx.cursors.open(`${ctx.db}.$cmd.listCollections`, infos, batchSize), true);
};

const create: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'create');
  if (body.viewOn !== undefined || body.pipeline !== undefined) {
    const options = viewOptions(body, `${ctx.db}.${name}`);
    if (ctx.catalog.get(ctx.db, name))
      throw commandError('NamespaceExists', `Namespace ${ctx.db}.${name} already exists`);
    ctx.catalog.create(ctx.db, name, options);
    return { ok: 1 };
  }
  const options: Document = {};
  for (const field of CREATE_OPTION_FIELDS)
    if (body[field] !== undefined) options[field] = body[field] as unknown;
  const existing = ctx.catalog.get(ctx.db, name);
  if (existing) {
    const asked = UNSUPPORTED_CREATE_OPTIONS.some((f) => body[f] !== undefined && body[f] !== false);
    if (asked || JSON.stringify(existing.options) !== JSON.stringify(options)) {
      throw commandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
    }
    return { ok: 1 };
  }
  for (const field of UNSUPPORTED_CREATE_OPTIONS) {
    if (body[field] !== undefined && body[field] !== false) {
      throw commandError('NotImplemented', `create option '${field}' is not supported by devstack-mongo`);
    }
  }
  parseCollation(body.collation, 'create');
  validateValidationOptions(body, 'create');
  ctx.catalog.create(ctx.db, name, options);
  return { ok: 1 };
};

const drop: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'drop');
  const collection = ctx.catalog.get(ctx.db, name);
  if (!collection) throw commandError('NamespaceNotFound', 'ns not found');
  const nIndexesWas = collection.indexes.size;
  ctx.catalog.drop(ctx.db, name);
  return { nIndexesWas, ns: collection.ns, ok: 1 };
};

const dropDatabase: CommandHandler = (_body, ctx) => {
  ctx.catalog.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

function splitNs(ns: unknown, field: string): [string, string] {
  if (typeof ns !== 'string' || !ns.includes('.'))
    throw commandError('InvalidNamespace', `Invalid ${field} namespace: ${String(ns)}`);
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

const renameCollection: CommandHandler = (body, ctx) => {
  const [fromDb, from] = splitNs(body.renameCollection, 'source');
  const [toDb, to] = splitNs(body.to, 'target');
  ctx.catalog.rename(fromDb, from, toDb, to, body.dropTarget === true);
  return { ok: 1 };
};

const createIndexes: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'createIndexes');
  const specs = body.indexes as unknown;
  if (!Array.isArray(specs) || specs.length === 0) {
    throw commandError('BadValue', 'Must specify at least one index to create');
  }
  const existed = ctx.catalog.get(ctx.db, name) !== undefined;
  const collection = ctx.catalog.getOrCreate(ctx.db, name);
  const numIndexesBefore = collection.indexes.size;
  let created = 0;
  for (const spec of specs as unknown[]) {
    if (!isPlainObject(spec)) throw commandError('TypeMismatch', 'index specification must be an object');
    const named = typeof spec.name === 'string' ? spec : { ...spec, name: defaultIndexName(spec.key ?? {}) };
    if (collection.createIndex(named) === 'created') created += 1;
  }
  return {
    numIndexesBefore,
    numIndexesAfter: collection.indexes.size,
    createdCollectionAutomatically: !existed,
    ...(created === 0 ? { note: 'all indexes already exist' } : {}),
    ok: 1,
  };
};

const listIndexes: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'listIndexes');
  const collection = requireCollection(ctx, name);
  const cursor = isPlainObject(body.cursor) ? body.cursor : {};
  const batchSize = typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined;
  return cursorDocument(ctx.cursors.open(collection.ns, collection.listIndexes(), batchSize), true);
};

const dropIndexes: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'dropIndexes');
  const collection = requireCollection(ctx, name);
  const nIndexesWas = collection.indexes.size;
  const target = body.index as unknown;
  if (target === '*') {
    for (const index of [...collection.indexes.keys()]) if (index !== '_id_') collection.dropIndex(index);
  } else if (typeof target === 'string') {
    collection.dropIndex(target);
  } else if (Array.isArray(target)) {
    for (const index of target) collection.dropIndex(String(index));
  } else if (isPlainObject(target)) {
    collection.dropIndexByKey(target);
  } else {
    throw commandError('TypeMismatch', "BSON field 'dropIndexes.index' is missing but a required field");
  }
  return { nIndexesWas, ok: 1 };
};

const collStats: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'collStats');
  const collection = requireCollection(ctx, name);
  const size = dataSize(collection);
  const indexSizes: Document = {};
  for (const index of collection.indexes.values()) indexSizes[index.name] = index.tree.size * 16;
  const totalIndexSize = Object.values(indexSizes).reduce((sum: number, s) => sum + (s as number), 0);
  return {
    ns: collection.ns,
    count: collection.size,
    size,
    avgObjSize: collection.size > 0 ? Math.floor(size / collection.size) : 0,
    storageSize: size,
    nindexes: collection.indexes.size,
    totalIndexSize,
    totalSize: size + totalIndexSize,
    indexSizes,
    capped: false,
    ok: 1,
  };
};

const dbStats: CommandHandler = (_body, ctx) => {
  const all = ctx.catalog.collections(ctx.db);
  const collections = all.filter((c) => !c.isView);
  const objects = collections.reduce((sum, c) => sum + c.size, 0);
  const size = collections.reduce((sum, c) => sum + dataSize(c), 0);
  const indexes = collections.reduce((sum, c) => sum + c.indexes.size, 0);
  const indexSize = collections.reduce((sum, c) => {
    let s = 0;
    for (const index of c.indexes.values()) s += index.tree.size * 16;
    return sum + s;
  }, 0);
  return {
    db: ctx.db,
    collections: collections.length,
    views: all.length - collections.length,
    objects,
    avgObjSize: objects > 0 ? size / objects : 0,
    dataSize: size,
    storageSize: size,
    indexes,
    indexSize,
    totalSize: size + indexSize,
    scaleFactor: 1,
    ok: 1,
  };
};

export const catalogCommands: Record<string, CommandHandler> = {
  listDatabases,
  listCollections,
  create,
  drop,
  dropDatabase,
  renameCollection,
  createIndexes,
  listIndexes,
  dropIndexes,
  collStats,
  dbStats,
  collMod,
};
