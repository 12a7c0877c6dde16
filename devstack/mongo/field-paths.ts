import type { Document } from 'bson';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (value instanceof Date || value instanceof RegExp) return false;
  return (value as { _bsontype?: unknown })._bsontype === undefined;
}

/** The values an index sees at a dotted path, expanding arrays as MongoDB's multikey indexes do. */
export function indexValuesAt(doc: unknown, path: string): { values: unknown[]; multikey: boolean } {
  if (!path.includes('.') && isPlainObject(doc)) {
    const value = doc[path];
    if (!Array.isArray(value)) return { values: [value], multikey: false };
  }
  const out: unknown[] = [];
  let multikey = false;
  const walk = (value: unknown, parts: readonly string[], i: number): void => {
    if (i === parts.length) {
      if (Array.isArray(value)) {
        multikey = true;
        if (value.length === 0) out.push(undefined);
        else for (const v of value as unknown[]) out.push(v);
      } else out.push(value);
      return;
    }
    const part = parts[i] as string;
    if (Array.isArray(value)) {
      multikey = true;
      const index = /^\d+$/.test(part) ? Number(part) : -1;
      if (index >= 0 && index < value.length) walk(value[index], parts, i + 1);
      else for (const element of value as unknown[]) if (isPlainObject(element)) walk(element, parts, i);
      return;
    }
    if (isPlainObject(value) && part in value) walk(value[part], parts, i + 1);
    else out.push(undefined);
  };
  walk(doc, path.split('.'), 0);
  if (out.length === 0) out.push(undefined);
  return { values: dedupe(out), multikey };
}

function dedupe(values: unknown[]): unknown[] {
  if (values.length < 2) return values;
  const seen = new Set<unknown>();
  return values.filter((v) => {
    const k = typeof v === 'object' && v !== null ? v : `${typeof v}:${String(v)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The value at a dotted path without array expansion (undefined when absent). */
export function valueAt(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (isPlainObject(current)) current = current[part];
    else return undefined;
  }
  return current;
}

/** Sets a dotted path, creating intermediate documents (used to seed upserts from equality filters). */
export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Record<string, unknown> = doc;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const part = parts[i] as string;
    const next = current[part];
    if (!isPlainObject(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1] as string] = value;
}

/** A document's own field: undefined when absent, never a property of the prototype (`constructor`). */
export function ownField(doc: Record<string, unknown>, name: string): unknown {
  const value = doc[name];
  return value === undefined || Object.hasOwn(doc, name) ? value : undefined;
}

/**
 * The values a query predicate tests at a dotted path: arrays along the path are traversed, and an array at the
 * end is tested both as a whole and element by element, as MongoDB's matcher does. Missing is `undefined`.
 */
export function matchValuesAt(doc: unknown, path: string): unknown[] {
  if (!path.includes('.') && isPlainObject(doc)) {
    const value = ownField(doc, path);
    return Array.isArray(value) ? [value, ...(value as unknown[])] : [value];
  }
  const out: unknown[] = [];
  const walk = (value: unknown, parts: readonly string[], i: number): void => {
    if (i === parts.length) {
      out.push(value);
      if (Array.isArray(value)) for (const v of value as unknown[]) out.push(v);
      return;
    }
    const part = parts[i] as string;
    if (Array.isArray(value)) {
      if (/^\d+$/.test(part) && Number(part) < value.length) walk(value[Number(part)], parts, i + 1);
      for (const element of value as unknown[]) if (isPlainObject(element)) walk(element, parts, i);
      return;
    }
    if (isPlainObject(value) && Object.hasOwn(value, part)) walk(value[part], parts, i + 1);
    else out.push(undefined);
  };
  walk(doc, path.split('.'), 0);
  if (out.length === 0) out.push(undefined);
  return out;
}
