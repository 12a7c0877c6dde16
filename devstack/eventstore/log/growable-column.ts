const INITIAL_CAPACITY = 1024;

type NumberArray = Float64Array | Uint32Array;

/** An append-only column of numbers in a typed array (no per-element object or boxing), doubling as it fills. */
export class GrowableColumn<Values extends NumberArray> {
  private values: Values;
  private size = 0;

  constructor(private readonly allocate: (capacity: number) => Values) {
    this.values = allocate(INITIAL_CAPACITY);
  }

  get length(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.values.length) {
      const grown = this.allocate(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
  }

  /** The value at `index`; callers check `index < length` (beyond it the answer is 0). */
  at(index: number): number {
    return this.values[index] ?? 0;
  }
}

export const float64Column = (): GrowableColumn<Float64Array> =>
  new GrowableColumn((capacity) => new Float64Array(capacity));

export const uint32Column = (): GrowableColumn<Uint32Array> =>
  new GrowableColumn((capacity) => new Uint32Array(capacity));
