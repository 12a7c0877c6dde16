import { z } from 'zod';
import type { Address, OrderLine } from '../../contracts/events/orders';
import { parseAmount } from '../../contracts/money/money';
import { adapted, parsePayload, unmappable, type AdaptResult, type Adapter } from './adapt-result';
import { countryCode, currency, email, id, MAX_ORDER_LINES, optionalText, text } from './payload-fields';

/**
 * The `erp-export/v1` order profile: a flat legacy record with upper-case keys and the lines packed in one
 * string, e.g. `{"ORDER_NO":"o-9","CUST_NO":"c-2","CUST_NAME":"Bob","CURRENCY":"EUR","ITEMS":"SKU-1x2@12.50"}`.
 * Optional: `CUST_EMAIL`, a shipping address in `SHIP_STREET`/`SHIP_CITY`/`SHIP_ZIP`/`SHIP_COUNTRY`, and
 * `STATUS` (`OPEN` by default; `CANCELLED` with `CANCEL_REASON` cancels the order).
 */
export const ERP_EXPORT_V1 = 'erp-export/v1';

/** ERP numbers may come as JSON numbers. */
const erpId = z.union([id, z.number().int().nonnegative().transform(String)], {
  error: 'must be an id (letters, digits, . _ : -) or a whole number',
});

/** The ERP pads and lower-cases freely; we normalise before checking the code. */
const erpCurrency = z
  .string()
  .transform((code) => code.trim().toUpperCase())
  .pipe(currency);

const recordSchema = z.object({
  ORDER_NO: erpId,
  CUST_NO: erpId,
  CUST_NAME: text,
  CUST_EMAIL: email.optional(),
  CURRENCY: erpCurrency,
  ITEMS: z.string().trim().min(1, { error: 'must list at least one item like "SKU-1x2@12.50"' }),
  SHIP_STREET: optionalText,
  SHIP_CITY: optionalText,
  SHIP_ZIP: optionalText,
  SHIP_COUNTRY: countryCode.optional(),
  STATUS: z
    .string()
    .transform((status) => status.trim().toUpperCase())
    .pipe(z.enum(['OPEN', 'CANCELLED'], { error: 'must be "OPEN" or "CANCELLED"' }))
    .optional(),
  CANCEL_REASON: optionalText,
});

type ErpRecord = z.infer<typeof recordSchema>;

export const erpExportV1Order: Adapter = (payload) => {
  const parsed = parsePayload(
    recordSchema.pick({ ORDER_NO: true, STATUS: true, CANCEL_REASON: true }),
    payload,
  );
  if (!parsed.ok) return unmappable(parsed.reason);
  const { ORDER_NO: orderId, STATUS: status, CANCEL_REASON: reason } = parsed.value;
  if (status === 'CANCELLED') return adapted({ type: 'CancelOrder', orderId, reason: reason ?? '' });
  return place(payload);
};

function place(payload: unknown): AdaptResult {
  const parsed = parsePayload(recordSchema, payload);
  if (!parsed.ok) return unmappable(parsed.reason);
  const record = parsed.value;
  const lines = parseItems(record.ITEMS, record.CURRENCY);
  if (!lines.ok) return unmappable(lines.reason);
  const address = shippingAddress(record);
  if (!address.ok) return unmappable(address.reason);
  return adapted({
    type: 'PlaceOrder',
    orderId: record.ORDER_NO,
    customer: {
      id: record.CUST_NO,
      name: record.CUST_NAME,
      ...(record.CUST_EMAIL === undefined ? {} : { email: record.CUST_EMAIL }),
    },
    lines: lines.value,
    currency: record.CURRENCY,
    ...(address.value === undefined ? {} : { shippingAddress: address.value }),
  });
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The last `x` before the quantity splits, so a SKU may itself contain an `x` (`BOX-XL-1x2@3.00`). */
const ITEM = /^(.+)x([^x@]+)@(.+)$/;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const QUANTITY = /^\d+$/;

/** `SKU-1x2@12.50;SKU-2x1@3.00` → lines; a trailing `;` is tolerated. */
/** An entry as a rejection reason quotes it: never more than a line's worth of what the sender wrote. */
const MAX_QUOTED = 60;
function shortened(entry: string): string {
  return entry.length > MAX_QUOTED ? `${entry.slice(0, MAX_QUOTED)}…` : entry;
}

export function parseItems(items: string, currency: string): Parsed<OrderLine[]> {
  const entries = items.split(';').map((entry) => entry.trim());
  if (entries.at(-1) === '') entries.pop();
  if (entries.length > MAX_ORDER_LINES) {
    return { ok: false, reason: `ITEMS must list at most ${MAX_ORDER_LINES} items, not ${entries.length}` };
  }
  const lines: OrderLine[] = [];
  for (const [index, entry] of entries.entries()) {
    const where = `ITEMS[${index}] ${JSON.stringify(shortened(entry))}`;
    const match = ITEM.exec(entry);
    if (!match) return { ok: false, reason: `${where} must look like "SKU-1x2@12.50"` };
    const [, sku = '', count = '', price = ''] = match;
    if (!SKU.test(sku))
      return { ok: false, reason: `${where}: SKU may hold only letters, digits and . _ : -` };
    const quantity = Number(count);
    if (!QUANTITY.test(count) || !Number.isSafeInteger(quantity) || quantity === 0) {
      return { ok: false, reason: `${where}: quantity must be a positive integer` };
    }
    const unitPrice = parseAmount(price, currency);
    if (!unitPrice.ok)
      return { ok: false, reason: `${where}: price ${unitPrice.reason.replace(/^amount /, '')}` };
    if (unitPrice.minor < 0) return { ok: false, reason: `${where}: price must not be negative` };
    lines.push({ sku, quantity, unitPrice: unitPrice.minor });
  }
  return { ok: true, value: lines };
}

/** All four address fields or none: half an address cannot be shipped to. */
function shippingAddress(record: ErpRecord): Parsed<Address | undefined> {
  const { SHIP_STREET: line1, SHIP_CITY: city, SHIP_ZIP: postcode, SHIP_COUNTRY: country } = record;
  const given = [line1, city, postcode, country].filter((field) => field !== undefined && field !== '');
  if (given.length === 0) return { ok: true, value: undefined };
  if (!line1 || !city || !postcode || !country) {
    return { ok: false, reason: 'SHIP_STREET, SHIP_CITY, SHIP_ZIP and SHIP_COUNTRY must be given together' };
  }
  return { ok: true, value: { line1, city, postcode, country } };
}
