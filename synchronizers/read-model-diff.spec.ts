import { diffReadModels, isSameReadModel } from './read-model-diff';
import { readModels } from './registry';
import { runBatches } from './testing/replay-safety';
import { shopDay } from './testing/shop-day';
import { history } from './testing/shop-events';

const doc = (id: string, position: number, fields: Record<string, unknown> = {}) => ({
  _id: id,
  _position: position,
  ...fields,
});

describe('verifying a live read model against a rebuild', () => {
  it('finds no difference between a live run in small batches and a rebuild in one go', () => {
    const events = history(...shopDay());
    for (const model of readModels) {
      const live = runBatches(model, new Map(), events, 3);
      const rebuilt = runBatches(model, new Map(), events);
      const diff = diffReadModels(live.values(), rebuilt.values());
      expect(isSameReadModel(diff)).toBe(true);
      expect(diff.compared).toBe(live.size);
    }
  });

  it('reports documents only one side has and the fields that differ', () => {
    const diff = diffReadModels(
      [doc('o-1', 1, { status: 'Paid', paid: 2500 }), doc('o-2', 2), doc('o-4', 4)],
      [doc('o-1', 1, { status: 'Placed', paid: 0 }), doc('o-2', 2), doc('o-3', 3)],
    );
    expect(diff).toEqual({
      onlyLive: ['o-4'],
      onlyRebuilt: ['o-3'],
      different: [{ id: 'o-1', fields: ['paid', 'status'] }],
      newerLive: 0,
      compared: 3,
    });
    expect(isSameReadModel(diff)).toBe(false);
  });

  it('leaves out live documents that have seen events past the rebuild', () => {
    const diff = diffReadModels(
      [doc('o-1', 500, { status: 'Paid' }), doc('o-2', 900)],
      [doc('o-1', 300)],
      400,
    );
    expect(diff).toMatchObject({ onlyLive: [], onlyRebuilt: [], newerLive: 2, compared: 0 });
  });

  it('names the fields that differ, with dates compared by time (documents come back from MongoDB)', () => {
    const live = { _id: 'o-1', _position: 1, status: 'Paid', at: new Date(1), n: 1 };
    const rebuilt = { _id: 'o-1', _position: 1, status: 'Placed', at: new Date(2), n: 1 };
    expect(diffReadModels([live], [rebuilt]).different).toEqual([{ id: 'o-1', fields: ['at', 'status'] }]);
  });
});
