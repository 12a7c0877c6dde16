import { z } from 'zod';

/**
 * A personal value as the history keeps it: encrypted with its customer's key (AES-256-GCM), naming the key and the
 * algorithm. Events are immutable; forgetting a customer deletes the key, after which nothing can read the value.
 * Plain data for the domain: it only ever compares sealed values, never opens them.
 */
export const sealedSchema = z.object({
  $sealed: z.literal('AES-256-GCM'),
  /** Id of the customer key that sealed it: `<customerId>/<key version>`. */
  kid: z.string(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
export type Sealed = Readonly<z.output<typeof sealedSchema>>;

/** A field that holds personal data: sealed in events, plain only in the raw input and at the edges. */
export type Personal<T> = T | Sealed;

/** A personal field's schema: the sealed form, or the plain value as events written before sealing hold it. */
export function personal<T extends z.ZodType>(plain: T): z.ZodUnion<[T, typeof sealedSchema]> {
  return z.union([plain, sealedSchema]);
}

/** What an answer shows instead of a value whose customer was forgotten. */
export const ERASED = 'erased';

export function isSealed(value: unknown): value is Sealed {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.$sealed === 'AES-256-GCM' &&
    typeof v.kid === 'string' &&
    typeof v.iv === 'string' &&
    typeof v.tag === 'string' &&
    typeof v.data === 'string'
  );
}
