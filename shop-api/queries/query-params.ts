import { z } from 'zod';
import { isKnownCurrency } from '../../contracts/money/money';
import { ORDER_STATUSES } from '../../contracts/read-models/orders';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const MAX_REPORT_DAYS = 366;
const MAX_TEXT = 200;

/** One query-string value: repeated parameters and bracket syntax arrive as non-strings and are refused. */
const single = z.string({ error: 'must be given once, as a plain value' });
const text = single.min(1, 'must not be empty').max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`);

const day = single.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-23').refine((value) => {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}, 'is not a real calendar date');

export interface OrderCursor {
  readonly placedAt: string;
  readonly id: string;
}

export function encodeCursor(cursor: OrderCursor): string {
  return Buffer.from(JSON.stringify([cursor.placedAt, cursor.id])).toString('base64url');
}

function decodeCursor(value: string): OrderCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string')) {
      return { placedAt: parsed[0] as string, id: parsed[1] as string };
    }
  } catch {
    // falls through to "not a cursor"
  }
  return undefined;
}

export const orderListQuery = z
  .object({
    status: single
      .pipe(z.enum(ORDER_STATUSES, { error: `must be one of ${ORDER_STATUSES.join(', ')}` }))
      .optional(),
    customerId: text.optional(),
    limit: single
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(
        z.number().int().min(1, 'must be at least 1').max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`),
      )
      .default(DEFAULT_PAGE_SIZE),
    cursor: single
      .transform((value, context) => {
        const cursor = decodeCursor(value);
        if (!cursor) context.addIssue({ code: 'custom', message: 'is not a cursor this API handed out' });
        return cursor ?? z.NEVER;
      })
      .optional(),
  })
  .strict();

export const salesReportQuery = z
  .object({
    from: day,
    to: day,
    currency: single
      .refine(
        (code) => /^[A-Z]{3}$/.test(code) && isKnownCurrency(code),
        'must be a known ISO 4217 currency code',
      )
      .optional(),
  })
  .strict()
  .refine((query) => query.from <= query.to, { message: 'must not be after to', path: ['from'] })
  .refine((query) => (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 < MAX_REPORT_DAYS, {
    message: `the range must be at most ${MAX_REPORT_DAYS} days`,
    path: ['to'],
  });

/** `wait=N`: hold the answer up to N whole seconds, at most `maxWaitSeconds`; 0 when not given. */
export function waitSeconds(maxWaitSeconds: number) {
  return single
    .regex(/^\d+$/, 'must be a whole number of seconds')
    .transform(Number)
    .pipe(z.number().int().max(maxWaitSeconds, `must be at most ${maxWaitSeconds}`))
    .default(0);
}

/** `?wait=N` on a request's status: held until the request settles. */
export function requestStatusQuery(maxWaitSeconds: number) {
  return z.object({ wait: waitSeconds(maxWaitSeconds) }).strict();
}

export type OrderListQuery = z.infer<typeof orderListQuery>;
export type SalesReportQuery = z.infer<typeof salesReportQuery>;

export interface ParamError {
  readonly parameter: string;
  readonly message: string;
}

/** Zod's issues in the problem+json `errors` shape; an unknown parameter is named as such. */
export function paramErrors(error: z.ZodError): ParamError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ parameter: key, message: 'is not a known parameter' }));
    }
    return [{ parameter: issue.path.map(String).join('.') || '(query)', message: issue.message }];
  });
}
