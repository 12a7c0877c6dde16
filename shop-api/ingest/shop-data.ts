/** The seed contract of `POST /shop/api/v1`: routing fields plus a payload stored exactly as it came. */
export const ROUTING_FIELDS = ['applies', 'source', 'profile'] as const;
export type RoutingField = (typeof ROUTING_FIELDS)[number];
export const MAX_ROUTING_FIELD_LENGTH = 200;

export interface ShopData {
  readonly applies: string;
  readonly source: string;
  readonly profile: string;
  readonly payload: Record<string, unknown>;
}

export type ShopDataCheck =
  { ok: true; value: ShopData } | { ok: false; detail: string; errors: FieldError[] };
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the routing fields only; the payload is the processors' business, not the gateway's. */
export function readShopData(body: unknown): ShopDataCheck {
  if (!isPlainObject(body)) {
    return { ok: false, detail: 'The body must be a JSON object.', errors: [] };
  }
  if (Object.keys(body).length === 0) {
    return { ok: false, detail: 'The body must not be empty.', errors: [] };
  }
  const errors: FieldError[] = [];
  for (const field of ROUTING_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) errors.push({ field, message: 'is required' });
    else if (typeof value !== 'string') errors.push({ field, message: 'must be a string' });
    else if (value.trim() === '') errors.push({ field, message: 'must not be empty' });
    else if (value.length > MAX_ROUTING_FIELD_LENGTH)
      errors.push({ field, message: `must be at most ${MAX_ROUTING_FIELD_LENGTH} characters` });
  }
  if (errors.length > 0) {
    return {
      ok: false,
      detail: errors.map((e) => `${e.field} ${e.message}`).join('; ') + '.',
      errors,
    };
  }
  const { applies, source, profile, ...payload } = body as Record<RoutingField, string> &
    Record<string, unknown>;
  return { ok: true, value: { applies, source, profile, payload } };
}
