import type { ReadModelDocument } from '../projection';
import { RecentDocuments } from './recent-documents';

const doc = (id: string, position: number): ReadModelDocument => ({ _id: id, _position: position });

describe('the documents a writer wrote most recently', () => {
  it('forgets the ones written longest ago once it holds more than its capacity', () => {
    const recent = new RecentDocuments(2);
    recent.remember(doc('a', 1));
    recent.remember(doc('b', 2));
    recent.remember(doc('c', 3));
    expect([recent.get('a'), recent.get('b'), recent.get('c')]).toEqual([
      undefined,
      doc('b', 2),
      doc('c', 3),
    ]);
  });

  it('counts a rewrite as the latest write, and a read as none', () => {
    const recent = new RecentDocuments(2);
    recent.remember(doc('a', 1));
    recent.remember(doc('b', 2));
    recent.get('a');
    recent.remember(doc('b', 5));
    recent.remember(doc('c', 6));
    expect([recent.get('a'), recent.get('b'), recent.get('c')]).toEqual([
      undefined,
      doc('b', 5),
      doc('c', 6),
    ]);
  });

  it('keeps its capacity however many documents pass through it', () => {
    const recent = new RecentDocuments(1_000);
    for (let i = 0; i < 100_000; i++) recent.remember(doc(`o-${i}`, i));
    expect(recent.get('o-98999')).toBeUndefined();
    expect(recent.get('o-99000')).toEqual(doc('o-99000', 99_000));
    recent.forget(['o-99000']);
    expect(recent.get('o-99000')).toBeUndefined();
  });
});
