import type { Document } from 'bson';
import { evalExpr } from 'mingo/core';
import { Lazy, type Iterator } from 'mingo/lazy';
import type { Options } from 'mingo/types/types';
import { isNumeric, numericKey } from './bson-numbers';
import { bsonTypeName } from './bson-type-names';
import { commandError } from './errors';
import { isPlainObject } from './field-paths';

/**
 * A text that is equal for two values exactly when MongoDB's $group puts them in one group: numbers by value
 * across types (7, 7.0, Decimal128("7.00")), missing as null, documents field by field in order.
 */
export function groupKey(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (isNumeric(value)) return `n:${numericKey(value)}`;
  if (typeof value === 'string') return `s:${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return `b:${String(value)}`;
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (Array.isArray(value)) return `[${(value as unknown[]).map(groupKey).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${groupKey(v)}`)
      .join(',')}}`;
  }
  if (value instanceof RegExp) return `r:${value.source}/${value.flags}`;
  return `${bsonTypeName(value)}:${JSON.stringify(value)}`;
}

/** `$group` with MongoDB's key equality (mingo's groups Decimal128 and other numbers apart). */
export function $group(coll: Iterator, spec: unknown, options: Options): Iterator {
  if (!isPlainObject(spec) || !('_id' in spec)) {
    throw commandError('BadValue', 'a group specification must include an _id');
  }
  const idExpr = spec._id;
  const fields = Object.keys(spec).filter((k) => k !== '_id');
  for (const field of fields) {
    if (field.includes('.')) throw commandError('BadValue', `The field name '${field}' cannot contain '.'`);
  }
  return coll.transform((items: Document[]) => {
    const groups = new Map<string, { id: unknown; members: Document[] }>();
    for (const item of items) {
      const id = evalExpr(item, idExpr, options);
      const key = groupKey(id);
      const group = groups.get(key);
      if (group) group.members.push(item);
      else groups.set(key, { id: id === undefined ? null : id, members: [item] });
    }
    const results: Document[] = [];
    for (const { id, members } of groups.values()) {
      const out: Document = { _id: id };
      for (const field of fields) out[field] = evalExpr(members, spec[field], options);
      results.push(out);
    }
    return Lazy(results);
  });
}
