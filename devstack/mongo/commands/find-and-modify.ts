import type { Document } from 'bson';
import { commandError } from '../errors';
import { commandEvalOptions } from '../mingo-context';
import { applyUpdate, updateKind } from '../update-apply';
import { ensureId, upsertSeed } from '../upsert-seed';
import { validates } from './write';
import { collectionName, optionalDocument, recordScan, type CommandHandler } from './context';
import { checkHint, project, runFind, validateFilter, withCollectionCollation } from './query-runner';

/** findAndModify: one document (the first in `sort` order) updated, replaced, upserted or removed. */
export const findAndModify: CommandHandler = (body, ctx) => {
  const command = Object.keys(body)[0] as string;
  const name = collectionName(body, command);
  const filter = validateFilter(body.query, 'query');
  const sort = optionalDocument(body, 'sort', command);
  const fields = optionalDocument(body, 'fields', command);
  const remove = body.remove === true;
  const hasUpdate = body.update !== undefined;
  const upsert = body.upsert === true;
  const returnNew = body.new === true;
  if (remove && hasUpdate)
    throw commandError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && !hasUpdate)
    throw commandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && (upsert || returnNew)) {
    throw commandError(
      'FailedToParse',
      'Cannot specify both new=true and remove=true; remove=true has no meaning with new=true or upsert=true',
    );
  }
  if (hasUpdate) updateKind(body.update);
  const given = commandEvalOptions(body, command);
  const collection = remove ? ctx.catalog.writable(ctx.db, name) : ctx.catalog.getOrCreate(ctx.db, name);
  checkHint(collection, body.hint);
  const options = withCollectionCollation(given, collection);
  const found = runFind(collection, { filter, sort, limit: 1, options });
  recordScan(ctx, found.stats);
  const target = found.docs[0];
  const rid = target && collection ? collection.ridOfId(target._id) : undefined;
  const shown = (doc: Document | undefined): Document | null =>
    doc ? (project([doc], fields, options)[0] ?? null) : null;

  if (remove) {
    ctx.counters.opcounters.delete += 1;
    if (!collection || rid === undefined) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    const removed = collection.remove(rid);
    return { lastErrorObject: { n: 1 }, value: shown(removed), ok: 1 };
  }
  ctx.counters.opcounters.update += 1;
  if (!collection) throw new Error('collection must exist for an update');
  const arrayFilters = body.arrayFilters as Document[] | undefined;
  if (target && rid !== undefined) {
    const result = applyUpdate(target, body.update, {
      arrayFilters,
      query: filter,
      inserting: false,
      eval: options,
    });
    const stored = result.modified ? collection.replace(rid, result.doc, validates(body)) : target;
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: shown(returnNew ? stored : target),
      ok: 1,
    };
  }
  if (!upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const seed = upsertSeed(filter, updateKind(body.update) === 'replacement');
  const built = applyUpdate(seed, body.update, {
    arrayFilters,
    query: filter,
    inserting: true,
    eval: options,
  });
  const inserted = collection.insert(ensureId(built.doc), validates(body));
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id as unknown },
    value: returnNew ? shown(inserted) : null,
    ok: 1,
  };
};
