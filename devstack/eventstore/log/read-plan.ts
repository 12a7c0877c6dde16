import type { ReadAllOptions, ReadStreamOptions } from './types';

/** `from`, `from + 1`, … up to `to` (exclusive). */
export function sequenceRange(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, at) => from + at);
}

/** The `$all` sequences a read visits, in its direction (`visible`: how many events readers can see). */
export function allReadSequences(
  options: ReadAllOptions,
  visible: number,
  sequenceAtOrAfter: (position: number) => number,
): number[] {
  const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
  const from = options.fromPosition ?? (options.direction === 'backwards' ? 'end' : 'start');
  if (options.direction === 'backwards') {
    const start = from === 'end' ? visible - 1 : from === 'start' ? -1 : sequenceAtOrAfter(from) - 1;
    return sequenceRange(Math.max(0, start - maxCount + 1), start + 1).reverse();
  }
  const start = from === 'start' ? 0 : from === 'end' ? visible : sequenceAtOrAfter(from);
  return sequenceRange(start, Math.min(visible, start + maxCount));
}

/** The revisions a stream read may visit, in its direction, between the readable first and last revisions. */
export interface RevisionCursor {
  readonly remaining: number;
  /** The next `count` revisions (at most `remaining`), advancing the cursor. */
  take(count: number): number[];
}

export function streamRevisions(
  options: ReadStreamOptions,
  firstRevision: number,
  lastRevision: number,
): RevisionCursor {
  const backwards = options.direction === 'backwards';
  const from = options.fromRevision ?? (backwards ? 'end' : 'start');
  let revision = backwards
    ? from === 'end'
      ? lastRevision
      : from === 'start'
        ? -1
        : Math.min(from, lastRevision)
    : Math.max(from === 'start' ? firstRevision : from === 'end' ? lastRevision + 1 : from, firstRevision);
  const step = backwards ? -1 : 1;
  return {
    get remaining() {
      return Math.max(0, backwards ? revision - firstRevision + 1 : lastRevision - revision + 1);
    },
    take(count) {
      const revisions: number[] = [];
      for (let wanted = Math.min(count, this.remaining); wanted > 0; wanted--) {
        revisions.push(revision);
        revision += step;
      }
      return revisions;
    },
  };
}
