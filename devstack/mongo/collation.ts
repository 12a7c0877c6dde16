import type { Document } from 'bson';
import type { StringOrder } from './bson-order';
import { commandError } from './errors';
import { isPlainObject } from './field-paths';

/** A validated collation; `simple` (binary comparison) has no string order. */
export interface Collation {
  readonly spec: Document;
  readonly strings: StringOrder;
}

const SIMPLE: Collation = { spec: { locale: 'simple' }, strings: undefined };
const FIELDS: Record<string, (v: unknown) => boolean> = {
  locale: (v) => typeof v === 'string',
  caseLevel: (v) => typeof v === 'boolean',
  caseFirst: (v) => v === 'upper' || v === 'lower' || v === 'off',
  strength: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5,
  numericOrdering: (v) => typeof v === 'boolean',
  alternate: (v) => v === 'non-ignorable' || v === 'shifted',
  maxVariable: (v) => v === 'punct' || v === 'space',
  normalization: (v) => typeof v === 'boolean',
  backwards: (v) => typeof v === 'boolean',
  version: (v) => typeof v === 'string',
};
const SENSITIVITY: Record<number, 'base' | 'accent' | 'case' | 'variant'> = { 1: 'base', 2: 'accent' };
// Collators are costly to build and commands repeat the same few collations.
const cache = new Map<string, Collation>();
const MAX_CACHED = 64;

function supported(locale: string): boolean {
  try {
    return Intl.Collator.supportedLocalesOf(locale).length > 0;
  } catch {
    return false;
  }
}

function build(spec: Document): Collation {
  // MongoDB names locales ICU-style (`en_US`, `zh_Hant`); Intl wants BCP 47 tags.
  const locale = (spec.locale as string).replace(/_/g, '-');
  if (!supported(locale)) {
    throw commandError('BadValue', `Field 'locale' is invalid in: ${JSON.stringify(spec)}`);
  }
  const strength = (spec.strength as number | undefined) ?? 3;
  let sensitivity = SENSITIVITY[strength] ?? 'variant';
  // caseLevel adds case to a strength that ignores it (Intl has no accent-and-case level: variant is closest).
  if (spec.caseLevel === true) sensitivity = sensitivity === 'base' ? 'case' : 'variant';
  const collator = new Intl.Collator(locale, {
    sensitivity,
    caseFirst: spec.caseFirst === 'upper' ? 'upper' : spec.caseFirst === 'lower' ? 'lower' : 'false',
    numeric: spec.numericOrdering === true,
    ignorePunctuation: spec.alternate === 'shifted',
    usage: 'sort',
  });
  return { spec, strings: (a, b) => collator.compare(a, b) };
}

/** Parses a command's `collation` as mongod does; undefined and `{locale: 'simple'}` mean binary order. */
export function parseCollation(value: unknown, command: string): Collation | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    throw commandError(
      'TypeMismatch',
      `BSON field '${command}.collation' is the wrong type '${typeof value}', expected type 'object'`,
    );
  }
  for (const [field, v] of Object.entries(value)) {
    const valid = FIELDS[field];
    if (!valid) throw commandError('UnknownField', `BSON field 'collation.${field}' is an unknown field.`);
    if (!valid(v)) throw commandError('BadValue', `Invalid value for collation field '${field}'`);
  }
  if (value.locale === undefined) {
    throw commandError('MissingField', "BSON field 'locale' is missing but a required field");
  }
  if (value.locale === 'simple') return SIMPLE;
  const key = JSON.stringify(value);
  let collation = cache.get(key);
  if (!collation) {
    collation = build(value);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, collation);
  }
  return collation;
}

/** The string order a command runs with: its own collation, else the collection's default. */
export function effectiveCollation(
  commandCollation: Collation | undefined,
  collectionOptions: Document | undefined,
): Collation | undefined {
  if (commandCollation) return commandCollation;
  const fallback = collectionOptions?.collation as unknown;
  return fallback === undefined ? undefined : parseCollation(fallback, 'create');
}
