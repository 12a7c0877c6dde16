import type { CurrentRevision, ExpectedRevision } from './types';

/** Whether an append/delete with `expected` may go ahead on a stream whose last revision is `current`. */
export function expectedRevisionMatches(
  expected: ExpectedRevision,
  current: CurrentRevision,
  softDeleted: boolean,
): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 'no_stream' || softDeleted;
    case 'stream_exists':
      return current !== 'no_stream' && !softDeleted;
    default:
      return current === expected;
  }
}

export type IdempotencyOutcome =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly lastRevision: number }
  | { readonly kind: 'partial' };

/**
 * EventStoreDB's idempotent-append rule: re-sending the same event ids with the same expectation succeeds
 * without writing. `revisionOf` finds an event id already in the stream.
 */
export function checkIdempotency(
  ids: readonly string[],
  expected: ExpectedRevision,
  revisionOf: (id: string) => number | undefined,
): IdempotencyOutcome {
  const first = ids[0];
  if (first === undefined) return { kind: 'new' };
  const firstRevision = revisionOf(first);
  if (firstRevision === undefined) return { kind: 'new' };
  if (typeof expected === 'number' && firstRevision !== expected + 1) return { kind: 'new' };
  if (expected === 'no_stream' && firstRevision !== 0) return { kind: 'new' };
  const allMatch = ids.every((id, index) => revisionOf(id) === firstRevision + index);
  if (allMatch) return { kind: 'duplicate', lastRevision: firstRevision + ids.length - 1 };
  return { kind: 'partial' };
}
