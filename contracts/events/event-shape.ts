import { z } from 'zod';

/** Events are immutable: the type a schema infers, readonly all the way down. */
export type Immutable<T> = T extends readonly (infer U)[]
  ? readonly Immutable<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Immutable<T[K]> }
    : T;

/** The event a schema of its data describes: `{ type, data }` as appended and as read back. */
export interface EventOf<Type extends string, Data extends z.ZodType> {
  readonly type: Type;
  readonly data: Immutable<z.output<Data>>;
}

/** Field shapes every contract shares. Money is integer minor units of a three-letter currency code. */
export const timestamp = z.iso.datetime({ offset: true });
export const minorUnits = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const id = z.string().min(1);
export const currency = z.string().length(3);
