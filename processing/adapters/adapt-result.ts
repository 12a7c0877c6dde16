import type { z } from 'zod';
import type { ShopCommand } from '../commands';

export type AdaptResult =
  { readonly ok: true; readonly command: ShopCommand } | { readonly ok: false; readonly reason: string };

/** Turns a raw payload into a command, or says in words why it cannot. */
export type Adapter = (payload: unknown, requestId: string) => AdaptResult;

export function adapted(command: ShopCommand): AdaptResult {
  return { ok: true, command };
}

export function unmappable(reason: string): AdaptResult {
  return { ok: false, reason };
}

/** Parses with zod; a failure becomes one sentence naming every bad field, e.g. `lines[0].quantity must be …`. */
export function parsePayload<T>(
  schema: z.ZodType<T>,
  payload: unknown,
): { ok: true; value: T } | { ok: false; reason: string } {
  const result = schema.safeParse(payload, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: result.error.issues.map(describeIssue).join('; ') };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = fieldPath(issue.path);
  if (issue.input === undefined && issue.path.length > 0) return `${where} is required`;
  // zod's own wording starts with "Invalid"; ours (set on the schemas) reads on from the field name.
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid')) {
    return `${where} must be ${withArticle(issue.expected)}`;
  }
  return `${where} ${issue.message}`;
}

/** `['lines', 0, 'quantity']` → `lines[0].quantity`; the payload itself is `payload`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'payload';
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function withArticle(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
