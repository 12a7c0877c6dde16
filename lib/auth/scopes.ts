/**
 * What a caller may do. `shop:ingest` posts shop data, `shop:read` runs the queries, `shop:pii` sees customers'
 * names and e-mail addresses unmasked, `shop:admin` reads `/ready` and `/metrics`.
 */
export const SCOPES = ['shop:ingest', 'shop:read', 'shop:pii', 'shop:admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Who called: an API key's configured name or a JWT's subject, with the scopes it was granted. */
export interface Principal {
  readonly kind: 'api-key' | 'jwt';
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
}
