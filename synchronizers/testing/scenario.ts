import type { ProjectedEvent, Projection, ReadModelDocument } from '../projection';
import { replayViolations, runBatches } from './replay-safety';
import { history, type EventDraft } from './shop-events';

/** A document as a spec states it: the replay guard's `_position` is checked by the replay-safety run instead. */
export type Expected<Doc> = Omit<Doc, '_position'>;

export interface Scenario<Doc extends ReadModelDocument> {
  readonly events: ProjectedEvent[];
  readonly documents: Map<string, Doc>;
  /** The read model holds exactly these documents, and every replay of the history leaves it byte-identical. */
  then(...expected: Expected<Doc>[]): void;
  /** The events leave no document (and none appears on replay). */
  thenNoDocument(): void;
  /** The document `id` has at least these fields, and every replay of the history leaves the model byte-identical. */
  thenIncludes(id: string, fields: Partial<Expected<Doc>>): void;
}

const withoutPosition = <Doc extends ReadModelDocument>({ _position, ...rest }: Doc): Expected<Doc> => rest;

/** `given(projection)(events…).then(document)`: a projection spec in the shop's own words. */
export function given<Doc extends ReadModelDocument>(projection: Projection<Doc>) {
  return (...drafts: EventDraft[]): Scenario<Doc> => {
    const events = history(...drafts);
    const documents = runBatches(projection, new Map<string, Doc>(), events);
    const then = (...expected: Expected<Doc>[]): void => {
      expect([...documents.values()].map(withoutPosition)).toStrictEqual(expected);
      expect(replayViolations(projection, events)).toEqual([]);
    };
    const thenIncludes = (id: string, fields: Partial<Expected<Doc>>): void => {
      expect(documents.get(id)).toMatchObject(fields);
      expect(replayViolations(projection, events)).toEqual([]);
    };
    return { events, documents, then, thenNoDocument: () => then(), thenIncludes };
  };
}
