/**
 * Which fields of each input profile hold personal data, as paths into the raw payload (`*` for every field
 * below). Processing seals what these map to before anything is appended, and logs never show them.
 */
export const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'Order web/v1': ['customer.name', 'customer.email', 'shippingAddress.*'],
  'Order erp-export/v1': ['CUST_NAME'],
};

/** The fields of a PlaceOrder that carry those values, sealed with the customer's key. */
export const SEALED_COMMAND_FIELDS = ['customer.name', 'customer.email', 'shippingAddress'] as const;

/** Every declared path, as log redaction paths under the given prefixes (e.g. `payload`, `data`). */
export function personalLogPaths(prefixes: readonly string[]): string[] {
  const fields = new Set(Object.values(PERSONAL_FIELDS).flat());
  for (const field of SEALED_COMMAND_FIELDS) fields.add(field);
  return prefixes.flatMap((prefix) =>
    [...fields].map((field) => (prefix === '' ? field : `${prefix}.${field}`)),
  );
}
