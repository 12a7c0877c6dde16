import { deepEqual } from '../lib/values/deep-equal';
import type { ReadModelDocument } from './projection';

export interface DocumentDifference {
  readonly id: string;
  /** Top-level fields whose values differ, sorted. */
  readonly fields: string[];
}

export interface ReadModelDiff {
  /** Documents the live collection has and the rebuild does not. */
  readonly onlyLive: string[];
  /** Documents the rebuild has and the live collection does not. */
  readonly onlyRebuilt: string[];
  readonly different: DocumentDifference[];
  /** Live documents left out because they already reflect events past the rebuild's position. */
  readonly newerLive: number;
  readonly compared: number;
}

export const isSameReadModel = (diff: ReadModelDiff): boolean =>
  diff.onlyLive.length === 0 && diff.onlyRebuilt.length === 0 && diff.different.length === 0;

function differentFields(live: ReadModelDocument, rebuilt: ReadModelDocument): string[] {
  const fields = new Set([...Object.keys(live), ...Object.keys(rebuilt)]);
  return [...fields]
    .filter(
      (field) =>
        !deepEqual(
          (live as unknown as Record<string, unknown>)[field],
          (rebuilt as unknown as Record<string, unknown>)[field],
        ),
    )
    .sort();
}

const sorted = (ids: Iterable<string>): string[] => [...ids].sort();

/**
 * Compares a live read model with one rebuilt from the history (verify, and the check before a blue-green switch).
 * A live collection keeps moving while the rebuild runs; pass the rebuild's position as `asOf` and live documents
 * that have seen later events are counted in `newerLive` instead of being reported as different.
 */
export function diffReadModels(
  live: Iterable<ReadModelDocument>,
  rebuilt: Iterable<ReadModelDocument>,
  asOf: number = Number.POSITIVE_INFINITY,
): ReadModelDiff {
  const rebuiltById = new Map([...rebuilt].map((doc) => [doc._id, doc]));
  const seen = new Set<string>();
  const onlyLive: string[] = [];
  const different: DocumentDifference[] = [];
  let newerLive = 0;
  for (const doc of live) {
    seen.add(doc._id);
    if (doc._position > asOf) {
      newerLive += 1;
      continue;
    }
    const twin = rebuiltById.get(doc._id);
    if (!twin) onlyLive.push(doc._id);
    else {
      const fields = differentFields(doc, twin);
      if (fields.length > 0) different.push({ id: doc._id, fields });
    }
  }
  return {
    onlyLive: sorted(onlyLive),
    onlyRebuilt: sorted([...rebuiltById.keys()].filter((id) => !seen.has(id))),
    different: different.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    newerLive,
    compared: seen.size - newerLive,
  };
}
