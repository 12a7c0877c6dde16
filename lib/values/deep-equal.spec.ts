import { deepEqual } from './deep-equal';

describe('deep equality of plain data', () => {
  it('ignores key order, and treats a key holding undefined as absent', () => {
    expect(deepEqual({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
  });

  it('compares arrays in order, and an undefined element is not null', () => {
    expect(deepEqual([1, [2, 3]], [1, [2, 3]])).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual([undefined], [null])).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
  });

  it('compares dates by time, bytes by content, numbers with NaN equal to itself and 0 equal to -0', () => {
    expect(deepEqual(new Date('2026-12-03T10:00:00Z'), new Date('2026-12-03T10:00:00Z'))).toBe(true);
    expect(deepEqual({ at: new Date(1) }, { at: new Date(2) })).toBe(false);
    expect(deepEqual(Buffer.from('ab'), new Uint8Array([97, 98]))).toBe(true);
    expect(deepEqual(NaN, NaN)).toBe(true);
    expect(deepEqual(0, -0)).toBe(true);
    expect(deepEqual('1', 1)).toBe(false);
  });

  it('sees any difference in values', () => {
    expect(deepEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(deepEqual({ a: { b: 1 } }, { a: { b: 1, c: 0 } })).toBe(false);
    expect(deepEqual(new Map([[1, 2]]), new Map([[1, 3]]))).toBe(false);
  });
});
