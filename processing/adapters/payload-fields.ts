import { z } from 'zod';
import { isKnownCurrency } from '../../contracts/money/money';

/** The field shapes the profiles share. Messages read after the field's path: `orderId must be …`. */

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const MAX_ID_LENGTH = 100;
const MAX_TEXT_LENGTH = 500;
/** An amount is a few digits; a longer one is refused before anything parses or echoes it. */
const MAX_AMOUNT_LENGTH = 40;
/** Lines of one order: generous for a shop, and keeps its event far below the store's 1 MiB. */
export const MAX_ORDER_LINES = 1000;

/** An id we can put into a stream name: no spaces, no leading `$` (EventStoreDB's system streams). */
export const id = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters` })
  .regex(ID_PATTERN, {
    error: 'may hold only letters, digits and . _ : - (starting with a letter or digit)',
  });

export const text = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(MAX_TEXT_LENGTH, { error: `must be at most ${MAX_TEXT_LENGTH} characters` });

export const optionalText = z
  .string()
  .trim()
  .max(MAX_TEXT_LENGTH, { error: `must be at most ${MAX_TEXT_LENGTH} characters` })
  .optional();

export const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be a three-letter ISO 4217 code like "EUR"', abort: true })
  .refine(isKnownCurrency, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a currency we accept`,
  });

/** A major-unit amount as the sender wrote it, `"12.50"` or `12.5`; converted once the currency is known. */
export const amount = z.union([z.string().max(MAX_AMOUNT_LENGTH), z.number()], {
  error: `must be a decimal string like "12.50" (at most ${MAX_AMOUNT_LENGTH} characters) or a number`,
});

export const quantity = z.number().int({ error: 'must be a positive integer' }).positive({
  error: 'must be a positive integer',
});

export const email = z.email({ error: 'must be an email address' });

export const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'must be a two-letter country code like "DE"' });
