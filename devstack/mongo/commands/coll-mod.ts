import type { Document } from 'bson';
import type { Collection } from '../collection';
import { commandError } from '../errors';
import { isPlainObject } from '../field-paths';
import type { IndexState } from '../index-spec';
import { validateValidationOptions } from '../validation';
import { collectionName, type CommandHandler } from './context';
import { viewOptions } from './views';

const VALIDATION_FIELDS = ['validator', 'validationLevel', 'validationAction'];
const VIEW_FIELDS = ['viewOn', 'pipeline'];
// Fields of the command itself (generic arguments the driver may add) rather than modifications.
const GENERIC_FIELDS = new Set([
  'collMod',
  '$db',
  'lsid',
  '$clusterTime',
  'writeConcern',
  'comment',
  '$readPreference',
]);

function findIndex(collection: Collection, spec: Document): IndexState {
  const byName = typeof spec.name === 'string' ? collection.indexes.get(spec.name) : undefined;
  const byKey = isPlainObject(spec.keyPattern)
    ? [...collection.indexes.values()].find((i) => JSON.stringify(i.key) === JSON.stringify(spec.keyPattern))
    : undefined;
  const index = byName ?? byKey;
  if (!index)
    throw commandError(
      'IndexNotFound',
      `cannot find index ${JSON.stringify(spec.keyPattern ?? spec.name)} for ns ${collection.ns}`,
    );
  return index;
}

/** collMod `index: {name | keyPattern, hidden}`: returns the old and new values. */
function modifyIndex(collection: Collection, spec: unknown): Document {
  if (!isPlainObject(spec))
    throw commandError(
      'TypeMismatch',
      "BSON field 'collMod.index' is the wrong type, expected type 'object'",
    );
  const index = findIndex(collection, spec);
  if (spec.expireAfterSeconds !== undefined) {
    throw commandError(
      'NotImplemented',
      'TTL indexes (expireAfterSeconds) are not supported by devstack-mongo',
    );
  }
  const reply: Document = {};
  const hidden = spec.hidden;
  if (hidden === undefined) return reply;
  if (typeof hidden !== 'boolean') throw commandError('TypeMismatch', "collMod 'hidden' must be a boolean");
  if (index.name === '_id_') throw commandError('BadValue', "can't hide _id index");
  reply.hidden_old = (index.options.hidden as boolean | undefined) ?? false;
  reply.hidden_new = hidden;
  collection.setIndexOption(index, 'hidden', hidden);
  return reply;
}

/** collMod: a collection's validation rules, a view's definition, an index's `hidden`. */
export const collMod: CommandHandler = (body, ctx) => {
  const name = collectionName(body, 'collMod');
  for (const field of Object.keys(body)) {
    if (!GENERIC_FIELDS.has(field) && ![...VALIDATION_FIELDS, ...VIEW_FIELDS, 'index'].includes(field)) {
      throw commandError('UnknownField', `BSON field 'collMod.${field}' is an unknown field.`);
    }
  }
  const collection = ctx.catalog.get(ctx.db, name);
  if (!collection) throw commandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const changesView = VIEW_FIELDS.some((f) => body[f] !== undefined);
  if (collection.isView) {
    if (VALIDATION_FIELDS.some((f) => body[f] !== undefined) || body.index !== undefined) {
      throw commandError('InvalidOptions', `option not supported on a view: ${collection.ns}`);
    }
    if (changesView) {
      if (body.viewOn === undefined || body.pipeline === undefined) {
        throw commandError(
          'InvalidOptions',
          "Must specify both 'viewOn' and 'pipeline' when modifying a view",
        );
      }
      collection.setOptions(viewOptions(body, collection.ns));
    }
    return { ok: 1 };
  }
  if (changesView) throw commandError('InvalidOptions', `ns ${collection.ns} is a collection, not a view`);
  validateValidationOptions(body, 'collMod');
  const reply: Document = body.index === undefined ? {} : modifyIndex(collection, body.index);
  if (VALIDATION_FIELDS.some((f) => body[f] !== undefined)) {
    const options: Document = { ...collection.options };
    for (const field of VALIDATION_FIELDS)
      if (body[field] !== undefined) options[field] = body[field] as unknown;
    collection.setOptions(options);
  }
  return { ...reply, ok: 1 };
};
