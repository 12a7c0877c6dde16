import type { Document } from 'bson';
import { arithmetic, isDecimal } from './bson-numbers';
import { compareValues, typeClass } from './bson-order';
import { commandError } from './errors';
import { isPlainObject, valueAt } from './field-paths';

const FAST_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$currentDate',
  '$setOnInsert',
]);

type Edit = (current: unknown, present: boolean) => { value?: unknown; remove?: boolean } | undefined;

/**
 * A shallow copy that takes new fields cheaply: V8 gives a spread copy a map that adding properties to is
 * several times slower than to an object built field by field.
 */
function shallowCopy(source: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in source) {
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: source[key],
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else copy[key] = source[key];
  }
  return copy;
}

function sameValue(a: unknown, b: unknown): boolean {
  return typeClass(a) === typeClass(b) && typeof a === typeof b && compareValues(a, b) === 0;
}

/**
 * Applies one edit at a dotted path with copy-on-write along the path (stored documents are never mutated).
 * Returns false when the path crosses an array or a scalar: the general updater handles those.
 */
function editPath(root: Document, path: string, edit: Edit, changed: { value: boolean }): boolean {
  const parts = path.includes('.') ? path.split('.') : [path];
  let parent: Record<string, unknown> = root;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const part = parts[i] as string;
    const child = parent[part];
    if (child === undefined) {
      parent[part] = {};
    } else if (isPlainObject(child)) {
      parent[part] = shallowCopy(child);
    } else {
      return false;
    }
    parent = parent[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1] as string;
  const present = Object.prototype.hasOwnProperty.call(parent, last);
  const result = edit(parent[last], present);
  if (!result) return true;
  if (result.remove) {
    if (present) {
      delete parent[last];
      changed.value = true;
    }
  } else if (!present || !sameValue(parent[last], result.value)) {
    parent[last] = result.value;
    changed.value = true;
  }
  return true;
}

function editFor(op: string, arg: unknown): Edit | undefined {
  switch (op) {
    case '$set':
    case '$setOnInsert':
      return () => ({ value: arg });
    case '$unset':
      return () => ({ remove: true });
    case '$inc':
      if (typeof arg === 'number')
        return (current) => ({ value: current === undefined ? arg : arithmetic('add', current, arg) });
      if (!isDecimal(arg)) return undefined;
      return (current) => ({ value: arithmetic('add', current ?? 0, arg) });
    case '$mul':
      if (typeof arg !== 'number' && !isDecimal(arg)) return undefined;
      return (current) => ({
        value: current === undefined && !isDecimal(arg) ? 0 : arithmetic('multiply', current ?? 0, arg),
      });
    case '$min':
      return (current, present) => (!present || compareValues(arg, current) < 0 ? { value: arg } : undefined);
    case '$max':
      return (current, present) => (!present || compareValues(arg, current) > 0 ? { value: arg } : undefined);
    case '$currentDate':
      return arg === true || (isPlainObject(arg) && arg.$type === 'date')
        ? () => ({ value: new Date() })
        : undefined;
    default:
      return undefined;
  }
}

/**
 * The common update operators on plain paths, without a deep copy or a generic updater; undefined when the
 * update needs the general path (arrays, positional operators, array filters, Long arithmetic...).
 * Call only after validation (known operators, no conflicts, numeric operands).
 */
export function tryFastUpdate(
  doc: Document,
  update: Document,
  inserting: boolean,
): { doc: Document; modified: boolean } | undefined {
  const edits: Array<[string, Edit]> = [];
  for (const [op, args] of Object.entries(update)) {
    if (!FAST_OPERATORS.has(op)) return undefined;
    if (op === '$setOnInsert' && !inserting) continue;
    for (const [path, arg] of Object.entries(args as Document)) {
      if (path.includes('$') || hasNumericPart(path)) return undefined;
      const edit = editFor(op, arg);
      if (!edit) return undefined;
      if ((op === '$inc' || op === '$mul') && !plainNumberOrMissing(lookup(doc, path))) return undefined;
      edits.push([path, edit]);
    }
  }
  const next: Document = shallowCopy(doc);
  const changed = { value: false };
  for (const [path, edit] of edits) if (!editPath(next, path, edit, changed)) return undefined;
  return { doc: next, modified: changed.value };
}

/**
 * `tryFastUpdate` for the commonest update — only `$set`, `$setOnInsert` and `$unset` of distinct plain
 * top-level fields other than `_id` (the caller has checked the paths) — without building edits; undefined
 * when another operator or a numeric field name needs `tryFastUpdate` or the general updater.
 */
export function applyPlainSets(
  doc: Document,
  update: Document,
  inserting: boolean,
): { doc: Document; modified: boolean } | undefined {
  for (const op in update) {
    if (op !== '$set' && op !== '$setOnInsert' && op !== '$unset') return undefined;
    // `__proto__` keeps whatever the general updaters do with it.
    for (const path in update[op] as Document)
      if (hasNumericPart(path) || path === '__proto__') return undefined;
  }
  const next: Document = shallowCopy(doc);
  let modified = false;
  for (const op in update) {
    if (op === '$setOnInsert' && !inserting) continue;
    const args = update[op] as Document;
    for (const path in args) {
      const present = Object.prototype.hasOwnProperty.call(next, path);
      if (op === '$unset') {
        if (present) {
          delete next[path];
          modified = true;
        }
        continue;
      }
      const value: unknown = args[path];
      if (present && sameValue(next[path], value)) continue;
      next[path] = value;
      modified = true;
    }
  }
  return { doc: next, modified };
}

// A numeric path part may address an array element: the general updater decides.
function hasNumericPart(path: string): boolean {
  return /\d/.test(path) && /(^|\.)\d+(\.|$)/.test(path);
}

function lookup(doc: Document, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

// Long keeps its own width through the general updater; doubles and decimals are handled here.
function plainNumberOrMissing(value: unknown): boolean {
  return value === undefined || typeof value === 'number' || isDecimal(value);
}

/**
 * mingo's `$inc`/`$mul` take JavaScript numbers only and its `$min`/`$max` compare by JavaScript type: where a
 * Decimal128 is involved (or, for `$min`/`$max`, on any plain path) the result is computed here with BSON's
 * arithmetic and order and applied as a `$set` of the same path (validation has already run).
 */
export function bsonOperatorsAsSet(operators: Document, doc: Document): Document {
  let result = operators;
  const settle = (op: string, path: string, value: unknown, changes: boolean): void => {
    const { [path]: _done, ...rest } = (result[op] as Document | undefined) ?? {};
    result = { ...result, [op]: rest };
    if (changes) result.$set = { ...((result.$set as Document | undefined) ?? {}), [path]: value };
    if (Object.keys(rest).length === 0) delete result[op];
  };
  for (const op of ['$inc', '$mul', '$min', '$max'] as const) {
    const args = operators[op] as Document | undefined;
    if (!args) continue;
    for (const [path, arg] of Object.entries(args)) {
      const current = valueAt(doc, path);
      const arithmeticOp = op === '$inc' || op === '$mul';
      if (arithmeticOp && !isDecimal(arg) && !isDecimal(current)) continue;
      if (path.includes('$')) {
        if (arithmeticOp) {
          throw commandError(
            'NotImplemented',
            `${op} of a Decimal128 through a positional path is not supported`,
          );
        }
        continue;
      }
      if (arithmeticOp)
        settle(op, path, arithmetic(op === '$inc' ? 'add' : 'multiply', current ?? 0, arg), true);
      else {
        const c = compareValues(arg, current);
        settle(op, path, arg, current === undefined || (op === '$min' ? c < 0 : c > 0));
      }
    }
  }
  return result;
}
